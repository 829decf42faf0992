"""attachments: the one gate between `content/` and the site's output.

Wiring only; the policy lives in `policy` (and `references`). Before Pelican
reads anything, the content folder is scanned (a symbolic link, FIFO or device
anywhere is an error) and every reference of every source is judged. Pelican
then resolves `{attach}`/`{static}` links as usual, but only to the files the
*published* articles and pages may publish (`static_links` is replaced, and
`STATIC_PATHS` finds nothing). Pelican's StaticGenerator copies the theme's
files only: this plugin writes the approved files itself, checking each again.
"""

from __future__ import annotations

import logging
import os
import posixpath

from pelican import signals
from pelican.generators import Generator

from plugins.core.problems import (
    ContentError,
    Problem,
    display_path,
    error,
    format_problems,
    has_errors,
)
from plugins.core.source import read_source

from .policy import (
    DEFAULTS,
    FILE,
    Judge,
    copy_attachment,
    ignored,
    scan_tree,
    unreferenced,
)

logger = logging.getLogger(__name__)

KEY = "attachments"


def _defaults(settings) -> None:
    for name, value in DEFAULTS.items():
        settings.setdefault(name, value)


def _fail_or_warn(settings, problems) -> None:
    if has_errors(problems) and settings["ATTACHMENTS_FAIL_ON_ERROR"]:
        raise ContentError(problems)
    if problems:
        logger.warning("%s", format_problems(problems))


def _source_extensions(generator) -> tuple[str, ...]:
    return tuple(f".{ext}" for ext in generator.readers.extensions if ext != "static")


def _noun(rel: str, settings) -> str:
    for folder in settings.get("PAGE_PATHS", []):
        folder = folder.strip("/")
        if folder and (rel == folder or rel.startswith(folder + "/")):
            return "page"
    return "article"


def check_content(generator) -> None:
    """Scan content/ and judge every reference, before Pelican opens a file."""
    settings = generator.settings
    _defaults(settings)
    root = generator.path
    extensions = _source_extensions(generator)
    files, problems = scan_tree(root)
    judge = Judge(root, settings, extensions)
    documents = {}
    for rel in files:
        if not rel.lower().endswith(extensions) or ignored(
            rel, settings.get("IGNORE_FILES", [])
        ):
            continue
        path = os.path.join(root, rel)
        source = read_source(path)
        if not source.ok:
            continue  # unreadable sources are reported by the source checks
        document = judge.check_document(
            path, source.text, source.body_line, _noun(rel, settings)
        )
        documents[os.path.abspath(path)] = document
        problems += document.problems
    problems += unreferenced(
        root,
        files,
        documents.values(),
        settings.get("IGNORE_FILES", []),
        extensions,
    )
    generator.context[KEY] = {"documents": documents, "approved": {}}
    _fail_or_warn(settings, problems)


def _published(context) -> list:
    return [
        *context.get("articles", []),
        *context.get("pages", []),
        *context.get("hidden_pages", []),
    ]


class AttachmentsGenerator(Generator):
    """Decides which files Pelican may resolve links to, then writes them."""

    def generate_context(self):
        state = self.context.get(KEY)
        if state is None:
            return
        approved: dict[str, list] = {}  # source path -> its attachments
        problems: list[Problem] = []
        for content in _published(self.context):
            source = os.path.abspath(content.source_path)
            document = state["documents"].get(source)
            allowed = document.attachments if document else []
            approved[source] = allowed
            keys = {a.key for a in allowed}
            # What Pelican itself would copy for this source must have been
            # judged: a renderer may see a link the source reader did not.
            for link in sorted(content.get_static_links() - keys):
                problems.append(_unjudged(source, link))
        state["approved"] = approved
        # Pelican's StaticGenerator reads exactly these, and nothing else.
        self.context["static_links"] = {
            a.key for found in approved.values() for a in found if a.marker
        }
        _fail_or_warn(self.settings, problems)

    def generate_output(self, writer):
        state = self.context.get(KEY)
        if state is None:
            return
        static = self.context.get("static_content", {})
        by_source = {
            os.path.abspath(c.source_path): c for c in _published(self.context)
        }
        written: dict[str, str] = {}
        problems: list[Problem] = []
        for source, attachments in sorted(state["approved"].items()):
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
        if problems:
            raise ContentError(problems)


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
    state = generator.context.get(KEY)
    if state is None:
        return
    keys = {a.key for found in state["approved"].values() for a in found}
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
    signals.article_generator_init.connect(check_content)
    signals.get_generators.connect(get_generators)
    signals.static_generator_finalized.connect(drop_unapproved)
