"""Bring the Blogger archive home: import exports and old drafts as articles.

- `import_blogger(export, options)`: a Blogger export (classic Atom or the
  newer `blogger:` format) to `content/<year>/<DD>-<slug>.md`;
- `import_html(path, options)`: drafts kept as HTML or Markdown in
  `YYYY/DD/…` folders, the same way.

Both return an `ImportReport` (text and Markdown) that lists every article
and what needs a person. Modules: `blogger` (reading the export), `convert`
(HTML to Markdown), `bylines`, `people`, `images` (safe downloads), `slug`
(Blogger's address rule), `article` (planning, checking, writing), `report`,
`run` (the two imports), `command` (the invoke task).
"""

from __future__ import annotations

from .blogger import ExportError, read_export
from .report import ImportReport
from .run import Options, fetch_settings, import_blogger, import_html

__all__ = [
    "ExportError",
    "ImportReport",
    "Options",
    "fetch_settings",
    "import_blogger",
    "import_html",
    "read_export",
]
