"""codecheck: every code block of every article is checked before it is published.

Wiring only; the logic lives in `check` (see `check_paths`). The checker
never runs a snippet and never uses the network. Blocks come from the site's
own Markdown parse (`plugins.gfm.parser`, cached on each Source), so
what is checked is exactly what the page shows as code.
"""

from __future__ import annotations

from plugins.core.checks import SOURCE, Check, ParseFact
from plugins.core.settings import declare

from .blocks import DOCUMENT_KEY
from .check import DEFAULTS, Report, check_paths, check_sources, run, with_defaults
from .limits import DEFAULTS as LIMITS

__all__ = [
    "CHECKS",
    "SETTINGS",
    "Report",
    "check_paths",
    "check_sources",
    "register",
    "run",
    "with_defaults",
]


SETTINGS = declare(
    {**DEFAULTS, **LIMITS},
    {
        "CODECHECK_MAX_BLOCK_BYTES": "a larger code block is not parsed (code/limits)",
        "CODECHECK_MAX_DEPTH": "deeper nesting of ( [ { is not parsed (code/limits)",
        "CODECHECK_BLOCK_TIMEOUT": "seconds one block may take to check",
        "CODECHECK_MEMORY_LIMIT": "bytes of memory the checking process may use",
        "CODECHECK_FAIL_ON_ERROR": "code-block errors are errors (False: warnings)",
        "CODECHECK_CACHE": "folder of the result cache; None turns caching off",
        "CODECHECK_PLACEHOLDER": "regex of an on-purpose placeholder (<POD NAME>)",
        "CODECHECK_ALIASES": 'extra tag aliases: {"mytag": "pygments-alias"}',
        "CODECHECK_SHELLCHECK_EXCLUDE": 'ShellCheck codes never reported ("SC1091")',
    },
    types={"CODECHECK_CACHE": (str,)},
)


def check_code(sources, settings):
    """Every code block of every article and page (plugins/codecheck/check.py)."""
    from plugins.core.checks import Deferred

    from .check import plan_sources

    # The blocks come from the sources' one parse (read now); the checkers
    # then run in their worker processes on the other core while Pelican
    # builds the site.
    texts = [s for s in sources if s.kind in ("article", "page")]
    planned = plan_sources(texts, settings)
    return Deferred(_problems, planned, settings["CODECHECK_FAIL_ON_ERROR"])


def _problems(planned, fail_on_error: bool) -> list:
    from plugins.core.problems import ERROR, WARNING, Problem

    problems = planned.run().problems
    if fail_on_error:
        return problems
    # Development builds keep previewing: errors are shown as warnings.
    return [
        Problem(p.path, p.line, p.column, WARNING, p.check, p.message)
        if p.severity == ERROR
        else p
        for p in problems
    ]


def document_facts(source, settings, rendered=None) -> dict:
    """The code blocks of `source`, from the site's one parse (JSON)."""
    from .blocks import document_json, read_blocks

    return document_json(read_blocks(source))


def load_document(value, source):
    from .blocks import document_from_json

    return document_from_json(value, source.path)


# Blocks are found where the source is parsed and rendered (any core, cached
# with the render); the check only runs the checkers.
PARSE_FACTS = [
    ParseFact(
        DOCUMENT_KEY,
        document_facts,
        load_document,
        code=("plugins.codecheck.blocks",),
    )
]

CHECKS = [Check("codecheck", SOURCE, check_code, "the syntax of every code block")]


def register():
    """Nothing to wire: the check runs from the registry (`CHECKS`)."""
