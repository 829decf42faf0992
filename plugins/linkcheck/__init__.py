"""linkcheck: every link, image and anchor of the built site checked.

Internal references are checked offline on the output folder after a build
(when LINKCHECK_INTERNAL_ON_BUILD is on, as in publishconf.py); external ones
with `invoke linkcheck --external`. Every problem points at the Markdown line
that holds the link. The logic lives in plain modules; this is the wiring.

Public functions (usable without Pelican):

- `check_internal(output_dir, source_map, settings, pages=None) -> [Problem]`
- `check_external(output_dir, source_map, settings, pages=None) -> [Problem]`
- `internal_findings(...)`, `external_findings(...)`: the same as `Finding`s
  (with url, outcome, status) for the JSON and Markdown reports
- `recorded_source_map(output_dir) -> {output page: Markdown source}`, as
  recorded by the last Pelican build into that folder in this process
"""

from __future__ import annotations

import logging
from pathlib import Path

from pelican import signals

from plugins.core.problems import ContentError

from .internal import check_internal, internal_findings
from .settings import set_defaults, with_defaults

logger = logging.getLogger(__name__)

# Output folder -> {output page -> source file}, filled during builds.
_SOURCE_MAPS: dict[str, dict[str, str]] = {}

CONTENT_LISTS = (
    "articles",
    "translations",
    "pages",
    "hidden_pages",
    "hidden_translations",
)


def _key(output_dir) -> str:
    return str(Path(output_dir).resolve())


def recorded_source_map(output_dir) -> dict[str, str]:
    """{output page: Markdown source} recorded by the last build into `output_dir`."""
    return dict(_SOURCE_MAPS.get(_key(output_dir), {}))


def source_map_of(generators) -> dict[str, str]:
    """{output page: source path} of every article and page the generators write."""
    found = {}
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, None) or []:
                save_as = getattr(content, "save_as", "")
                source = getattr(content, "source_path", "")
                if save_as and source:
                    found[save_as.replace("\\", "/").lstrip("/")] = source
    return found


def record_sources(generators) -> None:
    """Remember which Markdown file each output page comes from."""
    if not generators:
        return
    settings = generators[0].settings
    _SOURCE_MAPS[_key(settings["OUTPUT_PATH"])] = source_map_of(generators)


def check_after_build(pelican) -> None:
    """Fail the build on broken internal links (LINKCHECK_INTERNAL_ON_BUILD)."""
    settings = pelican.settings
    set_defaults(settings)
    if not settings["LINKCHECK_INTERNAL_ON_BUILD"]:
        return
    output = pelican.output_path
    problems = check_internal(
        output, recorded_source_map(output), with_defaults(settings)
    )
    if problems:
        raise ContentError(problems)


def initialize(pelican) -> None:
    set_defaults(pelican.settings)


def check_external(output_dir, source_map, settings, pages=None) -> list:
    """Every external link problem (broken or unknown), as `problems.Problem`s."""
    from .external import external_findings

    return [
        f.problem() for f in external_findings(output_dir, source_map, settings, pages)
    ]


def register():
    signals.initialized.connect(initialize)
    signals.all_generators_finalized.connect(record_sources)
    signals.finalized.connect(check_after_build)


__all__ = [
    "check_external",
    "check_internal",
    "internal_findings",
    "recorded_source_map",
    "register",
    "source_map_of",
]
