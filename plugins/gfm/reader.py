"""The Pelican reader of `.md` files: GitHub-flavoured Markdown, one parse.

The file comes from the build's `Sources` (the pipeline's `BuildRun` in the
`SYSADVENT_RUN` setting), so it is read once; its tokens are cached on the
Source, so codecheck reads the very same parse.
"""

from __future__ import annotations

from pelican.readers import BaseReader

from plugins.core.run import RUN_SETTING, BuildRun
from plugins.core.source import read_source

from . import html
from .parser import parse_source


class SourceError(ValueError):
    """The file cannot be read as text (Pelican logs it and skips the file)."""


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
        aliases = self.settings.get("CODECHECK_ALIASES") or {}
        content = html.render(parse_source(source), aliases)
        formatted = set(self.settings.get("FORMATTED_FIELDS", ["summary"]))
        metadata = {}
        for name, field in source.header.fields.items():
            value = field.value
            if name in formatted:
                value = html.markdown_to_html(value, aliases)
            metadata[name] = self.process_metadata(name, value)
        return content, metadata
