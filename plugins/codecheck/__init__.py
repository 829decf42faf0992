"""codecheck: every code block of every article is checked before it is published.

Wiring only; the logic lives in `check` (see `check_paths`). The checker
never runs a snippet and never uses the network. Blocks come from the
site's own Markdown parse (`plugins.markdown.parser`), so what is checked is
exactly what the page shows as code.
"""

from __future__ import annotations

import logging
import os

from .check import DEFAULTS, Report, check_paths, check_sources, run, with_defaults

logger = logging.getLogger(__name__)

__all__ = ["check_paths", "check_sources", "run", "Report", "with_defaults", "register"]


def _defaults(settings) -> None:
    for name, value in DEFAULTS.items():
        settings.setdefault(name, value)


def check_content(generator) -> None:
    """Check the code blocks of every article and page source (future ones too)."""
    from plugins.core.problems import ContentError, has_errors
    from plugins.core.source import read_source

    settings = generator.settings
    _defaults(settings)
    files = generator.get_files(
        settings["ARTICLE_PATHS"],
        exclude=settings["ARTICLE_EXCLUDES"],
        extensions=("md",),
    )
    files |= generator.get_files(
        settings["PAGE_PATHS"], exclude=settings["PAGE_EXCLUDES"], extensions=("md",)
    )
    paths = sorted({os.path.join(generator.path, f) for f in files})
    # The run's store (when the pipeline gives one) reads each file once and
    # keeps its parse for the reader.
    store = settings.get("SYSADVENT_SOURCES")
    sources = [store.get(p) if store is not None else read_source(p) for p in paths]
    report = check_sources(sources, settings)
    logger.info("%s", report.summary())
    if has_errors(report.problems) and settings["CODECHECK_FAIL_ON_ERROR"]:
        raise ContentError(report.problems)
    for problem in report.problems:
        logger.warning("%s", problem.as_text())


def register():
    from pelican import signals

    signals.article_generator_init.connect(check_content)
