"""contentrules: rules for untrusted article content (scripts, embeds, images).

Wiring only; the rules live in `rules`. Every Markdown source of the articles
and pages is checked before Pelican runs (stage `source`), and the HTML Pelican
renders is checked again as a safety net (stage `rendered`) for what the source
check could not see. The pipeline runs both once per build.
"""

from __future__ import annotations

import json
from dataclasses import astuple
from pathlib import Path

from plugins.core.checks import (
    RENDERED,
    SOURCE,
    Check,
    ParseFact,
    fingerprint,
    take_fact,
)
from plugins.core.problems import Problem, display_path
from plugins.core.settings import declare

from .rules import DEFAULTS, check_facts, check_rendered, text_facts

SETTINGS = declare(
    DEFAULTS,
    {
        "CONTENTRULES_IFRAME_HOSTS": "hosts an <iframe> may load from (https only)",
        "CONTENTRULES_MAX_IMAGE_BYTES": "largest image, in bytes",
        "CONTENTRULES_IMAGE_EXTENSIONS": "image types an article may show",
        "CONTENTRULES_FORBIDDEN_TAGS": "elements no article may contain",
    },
)


FACTS_KEY = "contentrules/facts"
RENDERED_KEY = "contentrules/rendered"


def source_facts(source, settings, rendered=None) -> dict:
    """The rules' findings in the site's own parse of `source` (JSON)."""
    from plugins.gfm.parser import parse_source

    return text_facts(source.path, source.text, parse_source(source), settings)


def _load(value, source):
    return value


def _source_problems(source, settings) -> list:
    """The source rules of one file, computed once and kept on the source:
    from the facts of the build's one parse, or from a parse now."""

    def compute(source):
        facts = source._cache.get(FACTS_KEY) or source_facts(source, settings)
        return check_facts(source.path, facts, settings)

    return source.cached("contentrules", compute)


def check_sources(sources, settings) -> list:
    """The content rules on every article and page source."""
    problems = []
    for source in sources:
        if source.kind in ("article", "page"):
            problems.extend(_source_problems(source, settings))
    return problems


def check_html(source, html, settings) -> list:
    """What only the rendered HTML shows (another Markdown dialect, raw HTML)."""
    if not source.ok:
        return []
    seen = {(p.path, p.check) for p in _source_problems(source, settings)}
    return [
        p
        for p in _rendered_problems(source, html, settings)
        if (p.path, p.check) not in seen
    ]


def _store(settings, folder):
    """One store per build (kept on the build's run), else a new one."""
    from plugins.core.run import RUN_SETTING, BuildRun
    from plugins.core.store import Store

    run = settings.get(RUN_SETTING)
    if not isinstance(run, BuildRun):
        return Store(folder)
    return run.data.setdefault("contentrules/rendered-store", Store(folder))


def rendered_fact(source, settings, rendered) -> dict:
    """Parse fact: the safety net's findings on the HTML `source` rendered,
    made where it was rendered (JSON; the path is put back on load)."""
    html = rendered["content"]
    found = check_rendered(source.path, html, source.text, settings)
    return {
        "html": fingerprint(html),
        "problems": [[p.line, p.column, p.severity, p.check, p.message] for p in found],
    }


def load_rendered(value, source) -> dict:
    path = display_path(source.path)
    return {
        "html": str(value["html"]),
        "problems": [
            Problem(path, int(line), int(column), str(severity), str(check), str(text))
            for line, column, severity, check, text in value["problems"]
        ],
    }


def _rendered_problems(source, html, settings) -> list:
    """`check_rendered`: the pre-render stage's findings when they are for
    this very HTML; else a full scan comes from the cache when this source
    rendered this HTML before (CACHE_PATH/contentrules-rendered/), or is
    made now."""
    done = take_fact(settings, source.path, RENDERED_KEY)
    if done is not None and done["html"] == fingerprint(html):
        return done["problems"]
    folder = settings.get("CACHE_PATH")
    if not folder or not settings.get("BUILD_RENDER_CACHE", True):
        return check_rendered(source.path, html, source.text, settings)

    def remembered(scan) -> list:
        from plugins.core.cachekeys import code_version, digest, package_versions

        store = _store(settings, Path(folder) / "contentrules-rendered")
        known = {k: v for k, v in settings.items() if k.startswith("CONTENTRULES_")}
        key = digest(
            "contentrules/rendered",
            code_version("plugins.contentrules", "plugins.sanitize"),
            package_versions("html5lib"),
            json.dumps(known, sort_keys=True, default=repr),
            source.path,
            source.text,
            html,
        )
        found = store.get(key)
        if isinstance(found, list):
            try:
                return [Problem(*fields) for fields in found]
            except TypeError:
                pass  # a damaged entry: scan again
        problems = scan()
        store.put(key, [list(astuple(p)) for p in problems])
        return problems

    return check_rendered(source.path, html, source.text, settings, remembered)


PARSE_FACTS = [
    ParseFact(
        FACTS_KEY,
        source_facts,
        _load,
        code=("plugins.contentrules", "plugins.sanitize"),
        settings=("CONTENTRULES_",),
    ),
    ParseFact(
        RENDERED_KEY,
        rendered_fact,
        load_rendered,
        code=("plugins.contentrules", "plugins.sanitize"),
        settings=("CONTENTRULES_",),
        packages=("html5lib",),
        kept=True,
    ),
]

CHECKS = [
    Check("contentrules", SOURCE, check_sources, "scripts, embeds, images, TODOs"),
    Check(
        "contentrules/rendered",
        RENDERED,
        check_html,
        "the rendered HTML, as a safety net",
    ),
]


def register():
    """Nothing to wire: the pipeline runs CHECKS."""
