"""attachments: the one gate between `content/` and the site's output.

Wiring only; the policy lives in `policy` (and `references`).

- Source stage (`CHECKS`): every reference of every article and page is
  judged, with its `path:line`; the files nobody references are named in a
  warning. What each source may publish is kept in the build run.
- In Pelican: `{attach}`/`{static}` links resolve only to the files the
  *published* articles and pages may publish (`static_links` is replaced and
  `STATIC_PATHS` finds nothing), and this plugin writes those files itself,
  checking each again; Pelican's StaticGenerator copies the theme's files only.
"""

from __future__ import annotations

import logging
import os
import posixpath

from pelican import signals
from pelican.generators import Generator

from plugins.core.checks import SOURCE, Check, ParseFact
from plugins.core.problems import Problem, display_path, error
from plugins.core.run import ensure_run
from plugins.core.settings import declare

from .policy import (
    DEFAULTS,
    FILE,
    Document,
    Judge,
    copy_attachment,
    scan_tree,
    unreferenced,
)
from .references import Reference, body_text, quick_references

logger = logging.getLogger(__name__)

SETTINGS = declare(
    DEFAULTS,
    {
        "ATTACHMENTS_TYPES": "extension -> image format its bytes must hold",
        "ATTACHMENTS_MAX_BYTES": "largest file that may be published, in bytes",
    },
)
KEY = "attachments"  # the build run's data: {source path: Document}
KINDS = ("article", "page")


def _noun(kind: str) -> str:
    return "page" if kind == "page" else "article"


def judge_sources(sources, settings) -> dict[str, Document]:
    """What each article and page may publish, judged once per build."""
    judge = Judge(settings["PATH"], settings)
    documents = {}
    for source in sources:
        if source.kind in KINDS and source.ok:
            documents[os.path.abspath(source.path)] = source.cached(
                KEY,
                lambda s: judge.check_document(
                    s.path,
                    s.text,
                    s.body_line,
                    _noun(s.kind),
                    quick=s._cache.get(QUICK_KEY),
                ),
            )
    return documents


QUICK_KEY = "attachments/quick"


def quick_fact(source, settings, rendered) -> dict:
    """Parse fact: every string of the body that may be a URL (a regex scan,
    made where the source is rendered and cached with it); None: a
    construct needs the parser."""
    found = quick_references(body_text(source.text, source.body_line))
    if found is None:
        return {"refs": None}
    return {"refs": [[r.line, r.url, r.where] for r in found]}


def load_quick(value, source) -> dict:
    refs = value["refs"]
    if refs is None:
        return {"refs": None}
    return {"refs": [Reference(int(n), str(url), str(w)) for n, url, w in refs]}


PARSE_FACTS = [
    ParseFact(QUICK_KEY, quick_fact, load_quick, code=("plugins.attachments",))
]


def check_attachments(sources, settings) -> list:
    """Every reference of every article and page, and the files nobody
    references (plugins/attachments/policy.py)."""
    documents = judge_sources(sources, settings)
    ensure_run(settings).data[KEY] = documents
    problems = [p for d in documents.values() for p in d.problems]
    # Special files are the source reader's to report; here only the list.
    files, _ = scan_tree(settings["PATH"])
    people = settings.get("ADVENT_PEOPLE", "people.toml")
    pictures = people_pictures(sources, settings, people)
    return problems + unreferenced(
        settings["PATH"],
        [f for f in files if f != people and f not in pictures],
        documents.values(),
        settings.get("IGNORE_FILES", [".*"]),
    )


def people_pictures(sources, settings, people: str) -> set[str]:
    """The pictures people.toml names (paths under PATH): the advent plugin
    publishes them, resized (plugins/advent/pictures.py)."""
    from plugins.advent import registry_of

    registry, _ = registry_of(sources, settings)
    folder = posixpath.dirname(people)
    return {
        posixpath.normpath(posixpath.join(folder, person.picture))
        for person in registry.people.values()
        if person.picture
    }


CHECKS = [
    Check(
        "attachments",
        SOURCE,
        check_attachments,
        "files a source references: inside its folder, images, never a link",
    )
]


def _documents(settings) -> dict[str, Document]:
    """The judged sources of this build (judged now for a bare Pelican run)."""
    run = ensure_run(settings)
    if KEY not in run.data:
        from plugins.core.source import read_source

        found = []
        for folder, _, names in os.walk(settings["PATH"]):
            for name in names:
                if name.endswith(".md"):
                    source = read_source(os.path.join(folder, name))
                    pages = [
                        os.path.join(settings["PATH"], p)
                        for p in settings.get("PAGE_PATHS", [])
                    ]
                    source.kind = (
                        "page"
                        if any(source.path.startswith(p + os.sep) for p in pages)
                        else "article"
                    )
                    found.append(source)
        run.data[KEY] = judge_sources(found, settings)
    return run.data[KEY]


def _published(context) -> list:
    return [
        *context.get("articles", []),
        *context.get("pages", []),
        *context.get("hidden_pages", []),
    ]


class AttachmentsGenerator(Generator):
    """Decides which files Pelican may resolve links to, then writes them."""

    def generate_context(self):
        documents = _documents(self.settings)
        approved: dict[str, list] = {}  # source path -> its attachments
        problems: list[Problem] = []
        for content in _published(self.context):
            source = os.path.abspath(content.source_path)
            document = documents.get(source)
            allowed = document.attachments if document else []
            approved[source] = allowed
            keys = {a.key for a in allowed} | (document.judged if document else set())
            # What Pelican itself would copy for this source must have been
            # judged: a renderer may see a link the source reader did not.
            for link in sorted(content.get_static_links() - keys):
                problems.append(_unjudged(source, link))
        self.context["attachments_approved"] = approved
        # Pelican's StaticGenerator reads exactly these, and nothing else.
        self.context["static_links"] = {
            a.key for found in approved.values() for a in found if a.marker
        }
        ensure_run(self.settings).problems.extend(problems)

    def generate_output(self, writer):
        approved = self.context.get("attachments_approved", {})
        static = self.context.get("static_content", {})
        by_source = {
            os.path.abspath(c.source_path): c for c in _published(self.context)
        }
        written: dict[str, str] = {}
        problems: list[Problem] = []
        for source, attachments in sorted(approved.items()):
            content = by_source[source]
            for attachment in attachments:
                dest = _destination(attachment, content, static)
                if dest is None:
                    continue  # Pelican did not resolve the link: nothing to copy
                if written.get(dest, attachment.key) != attachment.key:
                    problems.append(
                        error(
                            source,
                            attachment.line,
                            FILE,
                            f"{attachment.key} would be published as {dest}, "
                            f"where {written[dest]} already is: rename one",
                        )
                    )
                    continue
                if dest in written:
                    continue
                why = copy_attachment(
                    self.path, attachment.key, self.output_path, dest, self.settings
                )
                if why:
                    problems.append(
                        error(source, attachment.line, FILE, f"not published: {why}")
                    )
                    continue
                written[dest] = attachment.key
        # Pelican's StaticGenerator now copies the theme's files only.
        self.context["staticfiles"] = []
        logger.info("attachments: %d file(s) published", len(written))
        ensure_run(self.settings).problems.extend(problems)


def _destination(attachment, content, static) -> str | None:
    """Where an approved file goes: where Pelican resolved it ({attach}:
    beside the page that attached it first, {static}: its own path), or,
    for a plain relative path, beside the page that links it."""
    if attachment.marker:
        found = static.get(attachment.key)
        return found.save_as if found is not None else None
    return posixpath.join(posixpath.dirname(content.save_as), attachment.tail)


def _unjudged(source: str, link: str) -> Problem:
    name = posixpath.basename(link)
    line = 0
    try:
        with open(source, encoding="utf-8", errors="replace") as handle:
            for number, text in enumerate(handle, start=1):
                if name and name in text:
                    line = number
                    break
    except OSError:
        pass
    return error(
        source,
        line,
        FILE,
        f"a reference to {display_path(link)} that could not be checked, so it "
        "is not published: write it as a Markdown link or image, "
        "e.g. ![what it shows]({attach}images/<name>)",
    )


def drop_unapproved(generator) -> None:
    """Forget every static file no published source may publish (a setting
    such as STATIC_PATHS or another plugin may have added some)."""
    approved = generator.context.get("attachments_approved", {})
    keys = {a.key for found in approved.values() for a in found}
    generator.staticfiles = [
        s for s in generator.staticfiles if s.get_relative_source_path() in keys
    ]
    generator.context["staticfiles"] = list(generator.staticfiles)
    static = generator.context.get("static_content", {})
    for key in [k for k in static if k not in keys]:
        del static[key]


def get_generators(pelican):
    return AttachmentsGenerator


def register():
    signals.get_generators.connect(get_generators)
    signals.static_generator_finalized.connect(drop_unapproved)
