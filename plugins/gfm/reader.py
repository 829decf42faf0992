"""The Pelican reader of `.md` files: GitHub-flavoured Markdown, one parse.

The file comes from the build's `Sources` (the pipeline's `BuildRun` in the
`SYSADVENT_RUN` setting), so it is read once; its tokens are cached on the
Source, so codecheck reads the very same parse.
"""

from __future__ import annotations

import os

from pelican.readers import BaseReader

from plugins.core.run import RUN_SETTING, BuildRun
from plugins.core.source import read_source

from . import html
from .parser import parse_source

# BuildRun.data key: {absolute source path: render_source() result}, filled
# by the pipeline's pre-render stage (pipeline/prerender.py) before Pelican runs.
PRERENDERED = "gfm/rendered"


class SourceError(ValueError):
    """The file cannot be read as text (Pelican logs it and skips the file)."""


def render_source(source, aliases: dict, formatted) -> dict:
    """The HTML of a source's body and of its formatted header fields, and
    the prose warnings of its parse (`{"content": html, "formatted": {field:
    html}, "placeholders": [[line, column, message]]}`): all the reader
    renders and all that the `markdown` check needs, from one parse."""
    from .checks import placeholder_problems

    fields = {
        name: html.markdown_to_html(field.value, aliases)
        for name, field in source.header.fields.items()
        if name in formatted
    }
    tokens = parse_source(source)
    found = placeholder_problems(tokens, source.body_blanked().split("\n"), "")
    return {
        "content": html.render(tokens, aliases),
        "formatted": fields,
        "placeholders": [[p.line, p.column, p.message] for p in found],
    }


def _prerendered(settings, path) -> dict | None:
    """The pre-rendered result of `path`, taken out of the build's store
    (Pelican keeps the content from here on: one copy, not two)."""
    run = settings.get(RUN_SETTING)
    if isinstance(run, BuildRun):
        return run.data.get(PRERENDERED, {}).pop(os.path.abspath(path), None)
    return None


def get_source(settings, path):
    """The Source of `path`: from the build's store if there is one, else read
    now (a bare `pelican` run; no store is made, so nothing goes stale)."""
    run = settings.get(RUN_SETTING)
    if isinstance(run, BuildRun):
        return run.sources.get(path)
    return read_source(path)


class GFMReader(BaseReader):
    """Reads `Key: value` header + GitHub-flavoured Markdown body."""

    enabled = True
    # Set for `md` by the plugin (`use_reader`); Pelican also finds
    # BaseReader subclasses by themselves, so this must not claim others.
    file_extensions = ["md"]

    def read(self, source_path):
        source = get_source(self.settings, source_path)
        if not source.ok:
            raise SourceError("; ".join(p.as_text() for p in source.problems))
        rendered = _prerendered(self.settings, source_path)
        if rendered is None:
            aliases = self.settings.get("CODECHECK_ALIASES") or {}
            formatted = set(self.settings.get("FORMATTED_FIELDS", ["summary"]))
            rendered = render_source(source, aliases, formatted)
        metadata = {}
        for name, field in source.header.fields.items():
            value = rendered["formatted"].get(name, field.value)
            metadata[name] = self.process_metadata(name, value)
        return rendered["content"], metadata
