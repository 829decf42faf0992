"""What is under the content folder: sources, the people registry, and files
that are none of these. Walked once, symlinks never followed."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from plugins.core.problems import error
from plugins.core.source import READ_CHECK, Source, Sources, _kind

# Formats Pelican could read but the site does not take: one format, one set
# of checks. Anything else is an attachment, judged by the publishing policy.
UNSUPPORTED = {
    ".markdown",
    ".mdown",
    ".mkd",
    ".mkdn",
    ".mdwn",
    ".mdtxt",
    ".rst",
    ".html",
    ".htm",
    ".xhtml",
    ".adoc",
    ".ipynb",
}


@dataclass
class Content:
    """The content folder, classified."""

    sources: list[Source] = field(default_factory=list)  # articles, pages, people
    others: list[Path] = field(default_factory=list)  # attachments, stray files
    problems: list = field(default_factory=list)
    skipped: set[str] = field(default_factory=set)  # never handed to Pelican


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
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(dirs):
            path = Path(folder, name)
            if os.path.islink(path):  # os.walk lists a link to a folder as a folder
                found.problems.append(_refused(path, "a symbolic link"))
                dirs.remove(name)
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(folder, name)
            suffix = path.suffix.lower()
            if suffix == ".md" or path == people:
                source = sources.get(path)
                source.kind = _kind_of(path, pages, people)
                found.sources.append(source)
                found.problems.extend(source.problems)
                if not source.ok:
                    found.skipped.add(os.path.abspath(path))
                continue
            kind = _kind(os.lstat(path).st_mode)
            if kind:
                found.problems.append(_refused(path, kind))
                found.skipped.add(os.path.abspath(path))
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


def _kind_of(path: Path, pages, people) -> str:
    if path == people:
        return "people"
    if any(path.is_relative_to(p) for p in pages):
        return "page"
    return "article"


def _refused(path: Path, kind: str):
    return error(
        path,
        0,
        READ_CHECK,
        f"{kind} in the content folder; only regular files may be there "
        "(a link could publish any file of the build machine)",
    )


def is_regular(path) -> bool:
    return stat.S_ISREG(os.lstat(path).st_mode)
