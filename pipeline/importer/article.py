"""Turn one converted post into an article file of the project, checked.

An article is planned (`Plan`: where it goes, its day, its permanent id and
old address), converted, given its header, and then checked with the
project's own checks (metadata rules, content rules, codecheck) in a scratch
copy. What historical text breaks in the rules for new articles is turned
into something that builds and noted: a `TODO:` in prose is written
`TODO&#58;` (it shows the same), a code block codecheck refuses gets a skip
marker naming the error. Whatever still fails is listed for review.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from plugins.core.source import read_source, split_list

from .convert import Hooks, ImageOutcome, Note
from .images import (
    FetchError,
    FetchSettings,
    digest,
    fetch_bytes,
    image_suffix,
    stem_for,
)

DAY_RE = re.compile(r"^\s*day\s*(?P<day>\d{1,2})\s*(?:[-–—:.]+\s*|\s+|$)", re.I)
FALLBACK_TAG = "archive"


@dataclass
class Plan:
    """Where one article goes and what identifies it."""

    kind: str  # "article" or "page"
    title: str
    path: Path  # the file to write (an existing article's path when matched)
    slug: str
    source: str  # the entry or draft, for the report
    year: int = 0
    day: int = 0
    guid: str = ""
    aliases: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    existing: Path | None = None  # the article already in content/, if any
    notes: list[Note] = field(default_factory=list)


def split_title(title: str) -> tuple[int | None, str]:
    """(day, title without its "Day N -" prefix)."""
    match = DAY_RE.match(title or "")
    if not match:
        return None, " ".join((title or "").split())
    rest = " ".join(title[match.end() :].split())
    return int(match.group("day")), rest


def midnight(year: int, day: int, timezone: str) -> str:
    """`2017-12-09T00:00:00-05:00`: the day's midnight in the site's zone."""
    return dt.datetime(year, 12, day, tzinfo=ZoneInfo(timezone)).isoformat()


def one_line(value: str) -> str:
    """A header value: one line, no control characters."""
    value = re.sub(r"[\x00-\x1f\x7f]+", " ", value or "")
    return " ".join(value.split())


def header_text(fields: list[tuple[str, str]]) -> str:
    return "".join(f"{name}: {one_line(value)}\n" for name, value in fields if value)


# --- what is already there ---


@dataclass
class Existing:
    """The articles and pages already in the content folder, by what names them."""

    by_guid: dict[str, Path] = field(default_factory=dict)
    by_alias: dict[str, Path] = field(default_factory=dict)
    by_day: dict[tuple[int, int], Path] = field(default_factory=dict)
    by_path: set[Path] = field(default_factory=set)

    @classmethod
    def scan(cls, content: Path) -> Existing:
        found = cls()
        for path in sorted(content.rglob("*.md")):
            source = read_source(path)
            if not source.ok:
                continue
            header = source.header
            resolved = path.resolve()
            found.by_path.add(resolved)
            guid = header.value("guid")
            if guid:
                found.by_guid.setdefault(guid, resolved)
            for alias in split_list(header.value("aliases")):
                found.by_alias.setdefault(alias, resolved)
            year, day = header.value("date")[:4], header.value("day")
            if year.isdigit() and day.isdigit():
                found.by_day.setdefault((int(year), int(day)), resolved)
        return found

    def match(self, plan: Plan) -> Path | None:
        if plan.guid and plan.guid in self.by_guid:
            return self.by_guid[plan.guid]
        for alias in plan.aliases:
            if alias in self.by_alias:
                return self.by_alias[alias]
        if plan.kind == "article" and (plan.year, plan.day) in self.by_day:
            return self.by_day[(plan.year, plan.day)]
        if plan.path.resolve() in self.by_path:
            return plan.path.resolve()
        return None


# --- images and links of one article ---


@dataclass
class PendingFile:
    path: Path
    data: bytes


class ArticleHooks(Hooks):
    """Images stored beside the article (`{attach}images/…`), links between
    imported posts rewritten to `{filename}…`."""

    def __init__(
        self,
        plan: Plan,
        *,
        offline: bool,
        fetch: FetchSettings,
        links: dict[str, Path],
        blog_hosts: set[str],
        tags: dict[str, str],
        local_root: Path | None = None,
        local_base: str = "",
    ):
        self.plan = plan
        self.offline = offline
        self.fetch = fetch
        self.links = links  # Blogger path -> article file
        self.blog_hosts = blog_hosts
        self.tags = tags  # label -> tag slug, for label links
        self.local_root = local_root  # drafts: images beside the draft
        self.local_base = local_base
        self.files: list[PendingFile] = []
        self.names: dict[str, str] = {}  # digest -> name already chosen

    # images

    def image(self, url: str, alt: str) -> ImageOutcome:
        data, reason = self._read(url)
        if data is None:
            return ImageOutcome(url, False, reason)
        suffix = image_suffix(data)
        if not suffix:
            return ImageOutcome(url, False, "not a PNG, JPEG, GIF or WebP image")
        if len(data) > self.fetch.max_bytes:
            return ImageOutcome(url, False, f"{len(data):,} bytes, over the limit")
        return ImageOutcome(f"{{attach}}images/{self._store(url, data, suffix)}", True)

    def _read(self, url: str) -> tuple[bytes | None, str]:
        if self.local_root is not None and url.startswith(self.local_base):
            return self._read_local(url)
        parts = urlsplit(url)
        if self.local_root is not None and parts.scheme == "file":
            return None, "outside the draft's folder: not read"
        if parts.scheme == "data":
            return None, "an inline data: image"
        if parts.scheme not in ("http", "https"):
            return None, f"not a web address ({parts.scheme or 'relative'})"
        if self.offline:
            return None, "--offline"
        try:
            return fetch_bytes(url, self.fetch), ""
        except FetchError as exc:
            return None, f"download failed: {exc}"

    def _read_local(self, url: str) -> tuple[bytes | None, str]:
        relative = unquote(url[len(self.local_base) :].split("?")[0].split("#")[0])
        target = (self.local_root / relative).resolve()
        root = self.local_root.resolve()
        if (
            not target.is_relative_to(root)
            or target.is_symlink()
            or not target.is_file()
        ):
            return None, f"no file {relative} beside the draft"
        data = target.read_bytes()
        if len(data) > self.fetch.max_bytes:
            return None, f"{len(data):,} bytes, over the limit"
        return data, ""

    def _store(self, url: str, data: bytes, suffix: str) -> str:
        key = digest(data)
        if key in self.names:
            return self.names[key]
        folder = self.plan.path.parent / "images"
        stem = (
            f"{self.plan.day:02d}-{stem_for(url)}" if self.plan.day else stem_for(url)
        )
        name, number = f"{stem}{suffix}", 2
        taken = {f.path.name for f in self.files}
        while name in taken or (
            (folder / name).exists() and (folder / name).read_bytes() != data
        ):
            name, number = f"{stem}-{number}{suffix}", number + 1
        self.files.append(PendingFile(folder / name, data))
        self.names[key] = name
        return name

    # links

    def link(self, url: str) -> str | None:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if not host or not self._is_blog(host):
            return None
        # Blogger's "read more" break (#more) has no anchor here.
        fragment = f"#{parts.fragment}" if parts.fragment not in ("", "more") else ""
        target = self.links.get(parts.path)
        if target is not None:
            relative = os.path.relpath(target, self.plan.path.parent)
            return f"{{filename}}{PurePosixPath(*Path(relative).parts)}{fragment}"
        label = re.match(r"^/search/label/(.+)$", parts.path)
        if label:
            slug = self.tags.get(unquote(label.group(1)).lower())
            if slug:
                return f"{{tag}}{slug}"
        return None

    def _is_blog(self, host: str) -> bool:
        # The blog's own hosts, and Blogger's: a blog is also served as
        # name.blogspot.co.uk, name.blogspot.com.br … Only paths of imported
        # or existing articles are rewritten, so another blog's link stays.
        return host in self.blog_hosts or bool(re.search(r"\.blogspot\.[a-z.]+$", host))


# --- checking what is written ---


def _registry(people_entries: dict, path: Path):
    from plugins.advent.people import Person, Registry

    registry = Registry(str(path))
    for key, entry in people_entries.items():
        registry.people[key] = Person(
            key, entry.get("name", ""), entry.get("handle", "")
        )
    return registry


def check_article_text(
    plan: Plan, text: str, files: list[PendingFile], people: dict, settings: dict
) -> list:
    """Every problem the project's checks find in the article, as if written.

    The article and its images are written to a scratch folder shaped like
    the content folder; problems are reported against the real path.
    """
    from plugins.advent.rules import check_article
    from plugins.codecheck import check_sources
    from plugins.contentrules.rules import check_text

    content = Path(settings["PATH"])
    relative = plan.path.resolve().relative_to(content.resolve())
    scratch = Path(tempfile.mkdtemp(prefix="sysadvent-import-"))
    try:
        path = scratch / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        for pending in files:
            target = scratch / pending.path.resolve().relative_to(content.resolve())
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(pending.data)
        problems = []
        if plan.kind == "article":
            registry = _registry(
                people, content / settings.get("ADVENT_PEOPLE", "people.toml")
            )
            _, found = check_article(
                str(path),
                text,
                registry,
                timezone=settings["TIMEZONE"],
                last_day=settings.get("ADVENT_LAST_DAY", 25),
            )
            problems += found
        problems += check_text(path, text, settings)
        options = {k: v for k, v in settings.items() if k.startswith("CODECHECK_")}
        problems += check_sources([(str(path), text)], options).problems
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return sorted(problems)


def fix_for_history(plan: Plan, text: str, files, people: dict, settings: dict):
    """Make historical text pass the rules for new articles where it can.

    Returns (text, notes, errors left).
    """
    from plugins.codecheck.blocks import read_blocks

    notes: list[Note] = []
    reasons: dict[str, str] = {}  # marker -> the codecheck error it stands for
    for _ in range(4):
        errors = [
            p
            for p in check_article_text(plan, text, files, people, settings)
            if p.is_error
        ]
        lines = text.split("\n")
        code_errors = [p for p in errors if p.check.startswith("code")]
        inserted = False
        blocks = read_blocks(text, str(plan.path)).blocks if code_errors else []
        for block in sorted(blocks, key=lambda b: -b.fence_line):
            last = block.fence_line + block.text.count("\n") + 1
            inside = [p for p in code_errors if block.fence_line <= p.line <= last]
            if not inside or block.marker is not None:
                continue
            reason = re.sub(r"[\"\n]|--", " ", inside[0].message)[:120].strip()
            marker = (
                f'<!-- codecheck: skip reason="imported from the archive: {reason}" -->'
            )
            reasons[marker] = inside[0].message
            lines[block.fence_line - 1 : block.fence_line - 1] = [marker, ""]
            inserted = True
        if inserted:
            text = "\n".join(lines)
            continue
        changed = False
        for line in sorted({p.line for p in errors if p.check == "contentrules/todo"}):
            if 0 < line <= len(lines) and "TODO:" in lines[line - 1]:
                lines[line - 1] = lines[line - 1].replace("TODO:", "TODO&#58;", 1)
                notes.append(
                    Note(
                        "todo",
                        "a 'TODO:' of the original is written TODO&#58; (it shows the same)",
                        line,
                    )
                )
                changed = True
        text = "\n".join(lines)
        if not changed:
            break
    lines = text.split("\n")
    for block in read_blocks(text, str(plan.path)).blocks:
        marker = lines[block.marker.line - 1].strip() if block.marker else ""
        if marker in reasons:
            notes.append(
                Note(
                    "check",
                    f"code block fails codecheck ({reasons[marker]}); marked skip: "
                    "fix the code or its language tag",
                    block.fence_line,
                )
            )
    left = [
        p for p in check_article_text(plan, text, files, people, settings) if p.is_error
    ]
    return text, notes, left


def write_files(text_path: Path, text: str, files: list[PendingFile]) -> None:
    """Write the article and its images (folders made as needed)."""
    for pending in files:
        pending.path.parent.mkdir(parents=True, exist_ok=True)
        if not pending.path.exists() or pending.path.read_bytes() != pending.data:
            pending.path.write_bytes(pending.data)
    text_path.parent.mkdir(parents=True, exist_ok=True)
    text_path.write_text(text, encoding="utf-8")
