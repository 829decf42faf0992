"""linkcheck: every link, image and anchor of the built site checked.

Internal references are checked offline on the output folder (stage `site`,
run by the pipeline after the build); external ones with
`invoke linkcheck --external`. Every problem points at the Markdown line
that holds the link. The logic lives in plain modules; this is the wiring.

Public functions (usable without Pelican):

- `check_internal(output_dir, source_map, settings, pages=None) -> [Problem]`
- `check_external(output_dir, source_map, settings, pages=None) -> [Problem]`
- `internal_findings(...)`, `external_findings(...)`: the same as `Finding`s
  (with url, outcome, status) for the JSON and Markdown reports
"""

from __future__ import annotations

import os
import posixpath

from plugins.core.checks import SITE, Check, ParseFact
from plugins.core.settings import declare

from .internal import (
    Site,
    check_internal,
    future_links,
    internal_findings,
    page_cache,
)
from .prefetch import URLS_KEY, load_urls, urls_fact
from .settings import DEFAULTS, DOCS, with_defaults

SETTINGS = declare(DEFAULTS, DOCS, types={"LINKCHECK_USER_AGENT": (str,)})


def check_site(output, run, settings) -> list:
    """Broken internal references, and links an article makes to an article
    that opens after it (broken on the linking article's own day)."""
    if not settings["LINKCHECK_INTERNAL_ON_BUILD"]:
        return []
    options = with_defaults(settings)
    site = Site.scan(output, page_cache(settings), settings)
    found = internal_findings(output, run.source_map, options, site=site)
    problems = [
        _not_built(f.problem(), run, settings)
        for f in found
        if not _refused_file(f, run)
    ]
    problems += draft_links(run, settings)
    if run.mode == "check":  # every article is built: judge each on its own day
        opens = _opening_dates(run, settings)
        problems += future_links(output, run.source_map, opens, options, site=site)
    return problems


# Pelican leaves these unresolved when the attachments check refused the file.
FILE_PLACEHOLDERS = ("{attach}", "{static}")
# Checks that judge a source's files and images at their line, before the build.
FILE_CHECKS = ("attachments/",)
IMAGE_CHECKS = ("attachments/", "contentrules/image-path")


def _refused_file(finding, run) -> bool:
    """Whether `finding` is a file or image reference a source check already
    reported at the same line (saying why, where this would only say that
    the built site lacks it)."""
    image = finding.message.startswith("img ")
    if not (image or finding.url.startswith(FILE_PLACEHOLDERS)):
        return False
    reported = run.data.get("linkcheck/reported-files")
    if reported is None:  # {(source, line): checks with an error there}
        reported = run.data["linkcheck/reported-files"] = {}
        for p in run.problems:
            if p.is_error and p.check.startswith(IMAGE_CHECKS):
                where = (os.path.abspath(p.path), p.line)
                reported.setdefault(where, set()).add(p.check)
    owners = IMAGE_CHECKS if image else FILE_CHECKS
    found = reported.get((os.path.abspath(finding.path), finding.line), ())
    return any(check.startswith(owners) for check in found)


def _not_built(problem, run, settings):
    """An unresolved {filename} link to a source that exists but was left out
    of the build for its own errors says so (not "no such file")."""
    import dataclasses
    from urllib.parse import unquote, urlsplit

    if not problem.url.startswith("{filename}"):
        return problem
    target = unquote(urlsplit(problem.url[len("{filename}") :]).path)
    if not target:
        return problem
    if target.startswith("/"):
        linked = os.path.join(settings["PATH"], target.lstrip("/"))
    else:
        linked = os.path.join(os.path.dirname(problem.path), target)
    linked = os.path.abspath(linked)
    if linked not in run.skipped:
        return problem
    shown = os.path.relpath(linked, os.path.dirname(os.path.abspath(problem.path)))
    return dataclasses.replace(
        problem,
        message=f"{problem.message.split(': ', 1)[0]}: {shown} is not built "
        "because of its own errors (reported at that file); the link works once "
        "they are fixed",
    )


def draft_links(run, settings) -> list:
    """Links written {filename}<a draft>.md: a draft has no address, so
    Pelican sends such a link to the home page, and nothing else notices."""
    from urllib.parse import unquote, urlsplit

    from plugins.attachments.references import find_references
    from plugins.core.problems import error

    root = os.path.abspath(settings["PATH"])

    def key(path) -> str:
        return os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")

    def is_draft(source) -> bool:
        return source.ok and source.header.value("status").lower() == "draft"

    drafts = {key(s.path) for s in run.sources if s.kind == "article" and is_draft(s)}
    problems = []
    for source in run.sources:
        if source.kind not in ("article", "page") or not source.ok or is_draft(source):
            continue
        if not drafts or "filename" not in source.text:
            continue
        folder = posixpath.dirname(key(source.path))
        for ref in find_references(source.text, source.body_line):
            target = unquote(urlsplit(ref.target).path)
            if ref.marker != "filename" or not target:
                continue
            if target.startswith("/"):
                linked = posixpath.normpath(target.lstrip("/"))
            else:
                linked = posixpath.normpath(posixpath.join(folder, target))
            if linked in drafts:
                problems.append(
                    error(
                        source.path,
                        ref.line,
                        "linkcheck/internal",
                        f"{ref.url!r} links to a draft, which is not published "
                        "(the link would lead to the home page): link it once "
                        "it is out, or remove the link",
                    )
                )
    return problems


def _opening_dates(run, settings) -> dict:
    """{source path: the day it opens} for every article source."""
    from plugins.advent.rules import parse_date

    dates = {}
    for source in run.sources:
        if source.kind != "article" or not source.ok:
            continue
        try:
            dates[source.path] = parse_date(
                source.header.value("date"), settings["TIMEZONE"]
            ).date()
        except ValueError:
            continue
    return dates


CHECKS = [Check("linkcheck/internal", SITE, check_site, "links, images, anchors")]

# The links of each source, from the one parse where it is rendered: what
# `invoke linkcheck --external` checks while the site builds (prefetch.py).
PARSE_FACTS = [
    ParseFact(URLS_KEY, urls_fact, load_urls, code=("plugins.linkcheck.prefetch",))
]


def check_external(output_dir, source_map, settings, pages=None) -> list:
    """Every external link problem (broken or unknown), as `problems.Problem`s."""
    from .external import external_findings

    return [
        f.problem() for f in external_findings(output_dir, source_map, settings, pages)
    ]


def register():
    """Nothing to wire: the pipeline runs CHECKS."""


__all__ = [
    "CHECKS",
    "SETTINGS",
    "check_external",
    "check_internal",
    "internal_findings",
    "register",
    "with_defaults",
]
