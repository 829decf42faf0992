"""What is under the content folder: sources, the people registry, and files
that are none of these. Walked once, symlinks never followed."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from plugins.core.problems import error
from plugins.core.source import (
    READ_CHECK,
    SOURCE_EXTENSIONS,
    Source,
    Sources,
    file_kind,
)

# Formats Pelican could read but the site does not take: one format, one set
# of checks. Anything else is an attachment, judged by the publishing policy.
UNSUPPORTED = set(SOURCE_EXTENSIONS) - {".md"}


@dataclass
class Content:
    """The content folder, classified."""

    sources: list[Source] = field(default_factory=list)  # articles, pages, people
    others: list[Path] = field(default_factory=list)  # attachments, stray files
    problems: list = field(default_factory=list)
    skipped: set[str] = field(default_factory=set)  # never handed to Pelican
    # Symlinks, FIFOs, devices: Pelican would follow or open them (a link can
    # reach any file of the machine, a FIFO blocks), so it must not run at all.
    special: list[Path] = field(default_factory=list)


def collect(settings, sources: Sources) -> Content:
    """Read every source under PATH once; report what may not be there."""
    root = Path(settings["PATH"])
    found = Content()
    if not root.is_dir():
        found.problems.append(
            error(root, 0, READ_CHECK, "the content folder does not exist")
        )
        return found
    pages = [root / p for p in settings.get("PAGE_PATHS", [])]
    people = root / settings.get("ADVENT_PEOPLE", "people.toml")

    def unreadable(exc: OSError) -> None:
        # os.walk skips a folder it cannot list: its articles would vanish
        # from the site without a word.
        found.problems.append(
            error(
                exc.filename,
                0,
                READ_CHECK,
                f"cannot read this folder ({exc.strerror}): make it readable",
            )
        )

    for folder, dirs, names in os.walk(root, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(dirs):
            path = Path(folder, name)
            if os.path.islink(path):  # os.walk lists a link to a folder as a folder
                found.problems.append(_refused(path, "a symbolic link"))
                found.special.append(path)
                dirs.remove(name)
            elif path.suffix.lower() in (".md", *UNSUPPORTED):
                found.problems.append(
                    _refused(path, "a folder named like a source file")
                )
                dirs.remove(name)
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(folder, name)
            suffix = path.suffix.lower()
            if suffix == ".md" != path.suffix and not file_kind(os.lstat(path).st_mode):
                # Pelican reads '.md' only: checked here, it would then vanish.
                found.problems.append(
                    error(
                        path,
                        0,
                        READ_CHECK,
                        f"Pelican reads only names ending in '.md' (lowercase): "
                        f"rename it to {path.stem}.md",
                    )
                )
                found.skipped.add(os.path.abspath(path))
                continue
            if suffix == ".md" or path == people:
                source = sources.get(path)
                source.kind = _kind_of(path, pages, people)
                if file_kind(os.lstat(path).st_mode) and not path.is_dir():
                    found.special.append(path)
                if source.ok and source.kind != "people":
                    _limit_nesting(source, settings["SOURCES_MAX_NESTING"])
                found.sources.append(source)
                found.problems.extend(source.problems)
                if not source.ok:
                    found.skipped.add(os.path.abspath(path))
                continue
            kind = file_kind(os.lstat(path).st_mode)
            if kind:
                found.problems.append(_refused(path, kind))
                found.skipped.add(os.path.abspath(path))
                found.special.append(path)
            elif suffix in UNSUPPORTED:
                found.problems.append(
                    error(
                        path,
                        0,
                        READ_CHECK,
                        f"'{suffix}' files are not read: articles and pages are "
                        "Markdown files ending in '.md'",
                    )
                )
                found.skipped.add(os.path.abspath(path))
            else:
                found.others.append(path)
    return found


LIST_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
QUOTES = re.compile(r"^(?:[ ]{0,3}>)+")


def nesting_depth(text: str) -> tuple[int, int]:
    """(deepest nesting of lists and block quotes, its line), read from the
    indentation: Markdown parsers slow down badly on thousands of levels."""
    deepest, where = 0, 0
    for number, line in enumerate(text.split("\n"), start=1):
        quotes = QUOTES.match(line)
        depth = quotes.group(0).count(">") if quotes else 0
        rest = line[quotes.end() :] if quotes else line
        item = LIST_ITEM.match(rest)
        if item:
            indent = item.group("indent").expandtabs(4)
            depth += len(indent) // 2 + 1
        if depth > deepest:
            deepest, where = depth, number
    return deepest, where


def _limit_nesting(source: Source, limit: int) -> None:
    depth, line = nesting_depth(source.text)
    if depth > limit:
        source.problems.append(
            error(
                source.path,
                line,
                READ_CHECK,
                f"lists or quotes nested {depth} deep, over the limit of {limit} "
                "(SOURCES_MAX_NESTING)",
            )
        )


def _kind_of(path: Path, pages, people) -> str:
    if path == people:
        return "people"
    if any(path.is_relative_to(p) for p in pages):
        return "page"
    return "article"


def _refused(path: Path, kind: str):
    why = " (it could publish any file of the build machine)" if "link" in kind else ""
    return error(
        path,
        0,
        READ_CHECK,
        f"{kind} in the content folder; only regular files may be there{why}",
    )
