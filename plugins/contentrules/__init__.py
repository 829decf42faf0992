"""contentrules: rules for untrusted article content (scripts, embeds, images).

Wiring only; the rules live in `rules`. Every Markdown source of the articles
and pages is checked before Pelican writes anything, and the HTML Pelican
renders is checked again as a safety net. Any error fails the build (so a
publish with publishconf.py never ships a broken rule).
"""

from __future__ import annotations

import logging
import os

from pelican import signals

from plugins.core.problems import ContentError, format_problems, has_errors

from .rules import DEFAULTS, check_paths, check_rendered

logger = logging.getLogger(__name__)

MARKDOWN_EXTENSIONS = ("md", "markdown")
KEY = "contentrules_problems"


def _state(context) -> dict:
    return context.setdefault(KEY, {"problems": [], "seen": set()})


def _defaults(settings) -> None:
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)


def _check_sources(generator, paths_key, excludes_key) -> None:
    settings = generator.settings
    _defaults(settings)
    files = generator.get_files(
        settings[paths_key],
        exclude=settings[excludes_key],
        extensions=MARKDOWN_EXTENSIONS,
    )
    found = check_paths([os.path.join(generator.path, f) for f in files], settings)
    state = _state(generator.context)
    state["problems"].extend(found)
    state["seen"].update((p.path, p.check) for p in found)


def check_articles(generator) -> None:
    _check_sources(generator, "ARTICLE_PATHS", "ARTICLE_EXCLUDES")


def check_pages(generator) -> None:
    _check_sources(generator, "PAGE_PATHS", "PAGE_EXCLUDES")


def check_rendered_content(instance) -> None:
    """Look at the rendered HTML for what the source check could not see."""
    context = getattr(instance, "_context", None)
    html = getattr(instance, "_content", None)
    source = getattr(instance, "source_path", None)
    if context is None or not html or not source:
        return
    try:
        with open(source, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        text = ""
    state = _state(context)
    for problem in check_rendered(source, html, text, instance.settings):
        if (problem.path, problem.check) not in state["seen"]:
            state["seen"].add((problem.path, problem.check))
            state["problems"].append(problem)


def report(generators) -> None:
    """Fail the build on any error, before anything is written."""
    if not generators:
        return
    problems = _state(generators[0].context)["problems"]
    if has_errors(problems):
        raise ContentError(problems)
    if problems:
        logger.warning("%s", format_problems(problems))


def register():
    signals.article_generator_init.connect(check_articles)
    signals.page_generator_init.connect(check_pages)
    signals.content_object_init.connect(check_rendered_content)
    signals.all_generators_finalized.connect(report)
