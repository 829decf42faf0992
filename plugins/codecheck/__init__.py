"""codecheck: every code block of every article is checked before it is published.

Wiring only; the logic lives in `check` (see `check_paths`). The checker
never runs a snippet and never uses the network.
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


def add_markdown_extension(pelican) -> None:
    """Render aliased tags (yml, terminal …) with the right Pygments lexer."""
    _defaults(pelican.settings)
    markdown = pelican.settings.setdefault("MARKDOWN", {})
    extensions = markdown.setdefault("extensions", [])
    if "plugins.codecheck.render" not in extensions:
        extensions.append("plugins.codecheck.render")
    if pelican.settings["CODECHECK_ALIASES"]:
        configs = markdown.setdefault("extension_configs", {})
        configs["plugins.codecheck.render"] = {
            "aliases": dict(pelican.settings["CODECHECK_ALIASES"])
        }


def check_content(generator) -> None:
    """Check the code blocks of every article and page source (future ones too)."""
    from plugins.core.problems import ContentError, has_errors

    settings = generator.settings
    _defaults(settings)
    files = generator.get_files(
        settings["ARTICLE_PATHS"],
        exclude=settings["ARTICLE_EXCLUDES"],
        extensions=("md", "markdown"),
    )
    files |= generator.get_files(
        settings["PAGE_PATHS"],
        exclude=settings["PAGE_EXCLUDES"],
        extensions=("md", "markdown"),
    )
    paths = sorted({os.path.join(generator.path, f) for f in files})
    report = run(paths, settings)
    logger.info("%s", report.summary())
    if has_errors(report.problems) and settings["CODECHECK_FAIL_ON_ERROR"]:
        raise ContentError(report.problems)
    for problem in report.problems:
        logger.warning("%s", problem.as_text())


def register():
    from pelican import signals

    signals.initialized.connect(add_markdown_extension)
    signals.article_generator_init.connect(check_content)
