"""Read a Blogger export (untrusted XML) into plain entries.

Both formats are read:

- the classic export (Atom): an entry's kind is a category with scheme
  `http://schemas.google.com/g/2005#kind` and a term ending in `#post`,
  `#page`, `#comment`, `#settings` or `#template`; a draft carries
  `<app:control><app:draft>yes</app:draft></app:control>`; the post's address
  is its `rel="alternate"` link; labels are categories with scheme
  `http://www.blogger.com/atom/ns#`;
- the newer export (namespace `http://schemas.google.com/blogger/2018`):
  `blogger:type` (POST, PAGE, COMMENT), `blogger:status` (LIVE, DRAFT,
  SOFT_TRASHED …), `blogger:filename` (the post's path) and labels as plain
  `<category term="…"/>`.

The XML parser resolves no entity, loads no DTD and reaches no network, and a
document that declares a DTD is refused (entity-expansion attacks). Any parse
error becomes an `ExportError` naming the export's line and the entry being
read, never a traceback.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
BLOGGER_2018 = "http://schemas.google.com/blogger/2018"
KINDS = ("post", "page", "comment", "settings", "template")


class ExportError(Exception):
    """The export cannot be read; the message names the line and the entry."""


@dataclass
class Entry:
    """One entry of the export, as plain values."""

    number: int  # 1-based position among the export's entries
    line: int  # line of <entry> in the export
    id: str = ""
    kind: str = ""  # post, page, comment, settings, template ("" unknown)
    status: str = "live"  # live, draft, or Blogger's word (soft_trashed …)
    title: str = ""
    content: str = ""  # HTML
    published: dt.datetime | None = None
    updated: dt.datetime | None = None
    labels: list[str] = field(default_factory=list)
    url: str = ""  # the post's address on Blogger (alternate link)
    filename: str = ""  # blogger:filename (newer exports)
    author_name: str = ""
    author_uri: str = ""
    problems: list[str] = field(default_factory=list)  # why it cannot be used

    @property
    def path(self) -> str:
        """The post's path on Blogger (`/2017/12/x.html`), "" when unknown."""
        if self.filename:
            return (
                self.filename if self.filename.startswith("/") else "/" + self.filename
            )
        return urlsplit(self.url).path if self.url else ""

    def describe(self) -> str:
        """How a message names this entry: number, id and title."""
        parts = [f"entry {self.number}"]
        if self.id:
            parts.append(self.id)
        if self.title:
            parts.append(repr(self.title))
        return " ".join(parts)


@dataclass
class Export:
    """What an export holds."""

    path: str
    format: str  # "classic" or "2018"
    blog_title: str = ""
    blog_url: str = ""
    entries: list[Entry] = field(default_factory=list)

    @property
    def hosts(self) -> set[str]:
        """Host names the blog was served from (for links between its posts)."""
        found = set()
        for url in [self.blog_url, *(e.url for e in self.entries)]:
            host = (urlsplit(url).hostname or "") if url else ""
            if host:
                found.add(host.lower())
        return found


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _text(element) -> str:
    return (element.text or "").strip() if element is not None else ""


def parse_time(value: str) -> dt.datetime:
    """An Atom date-time (RFC 3339) as an aware datetime; ValueError if not one."""
    value = value.strip()
    if not value:
        raise ValueError("empty date")
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone")
    return parsed


def _content(element) -> str:
    """The HTML of a <content>: escaped text (type html) or inline XHTML."""
    kind = element.get("type", "text")
    if kind == "xhtml":
        inner = [etree.tostring(child, encoding="unicode") for child in element]
        return (element.text or "") + "".join(inner)
    if kind == "text":
        from html import escape

        return escape(element.text or "")
    return element.text or ""


def _fill(entry: Entry, element) -> None:
    """Read one finished <entry> element into `entry`."""
    new_kind = new_status = ""
    for child in element:
        name = _local(child.tag)
        namespace = (
            etree.QName(child.tag).namespace if isinstance(child.tag, str) else ""
        )
        if name == "id":
            entry.id = _text(child)
        elif name == "title":
            entry.title = " ".join((child.text or "").split())
        elif name == "content":
            entry.content = _content(child)
        elif name in ("published", "updated"):
            try:
                setattr(entry, name, parse_time(child.text or ""))
            except ValueError as exc:
                entry.problems.append(f"<{name}> is not a date-time: {exc}")
        elif name == "category":
            scheme, term = child.get("scheme", ""), (child.get("term") or "").strip()
            if scheme == KIND_SCHEME:
                kind = term.rsplit("#", 1)[-1]
                entry.kind = kind if kind in KINDS else kind or ""
            elif term and (scheme in ("", LABEL_SCHEME) or scheme.startswith("tag:")):
                entry.labels.append(" ".join(term.split()))
        elif name == "link" and child.get("rel") == "alternate":
            entry.url = (child.get("href") or "").strip()
        elif name == "author":
            for part in child:
                if _local(part.tag) == "name":
                    entry.author_name = " ".join((part.text or "").split())
                elif _local(part.tag) == "uri":
                    entry.author_uri = _text(part)
        elif name == "control":
            for part in child:
                if _local(part.tag) == "draft" and _text(part).lower() == "yes":
                    entry.status = "draft"
        elif namespace == BLOGGER_2018 and name == "type":
            new_kind = _text(child).lower()
        elif namespace == BLOGGER_2018 and name == "status":
            new_status = _text(child).lower()
        elif namespace == BLOGGER_2018 and name == "filename":
            entry.filename = _text(child)
    if new_kind:
        entry.kind = new_kind
    if new_status:
        entry.status = new_status
    entry.labels = list(dict.fromkeys(entry.labels))


def read_export(path) -> Export:
    """Read the export at `path`; raise ExportError on anything unreadable."""
    path = Path(path)
    shown = str(path)
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise ExportError(
            f"{shown}: cannot read the export: {exc.strerror or exc}"
        ) from None
    export = Export(shown, "classic")
    current: Entry | None = None
    last: Entry | None = None
    depth = 0
    with handle:
        events = etree.iterparse(
            handle,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        try:
            for event, element in events:
                if event == "start":
                    depth += 1
                    if depth == 1:
                        _refuse_dtd(element, shown)
                        if _local(element.tag) != "feed":
                            raise ExportError(
                                f"{shown}:{element.sourceline}: not a Blogger export: "
                                f"the document is <{_local(element.tag)}>, not an Atom <feed>"
                            )
                    elif depth == 2 and _local(element.tag) == "entry":
                        current = Entry(
                            len(export.entries) + 1, element.sourceline or 0
                        )
                    continue
                depth -= 1
                name = _local(element.tag)
                if depth == 1 and name == "entry" and current is not None:
                    _fill(current, element)
                    if any(
                        etree.QName(c.tag).namespace == BLOGGER_2018
                        for c in element
                        if isinstance(c.tag, str)
                    ):
                        export.format = "2018"
                    export.entries.append(current)
                    last, current = current, None
                    element.clear()
                elif depth == 1 and name == "title":
                    export.blog_title = " ".join((element.text or "").split())
                elif (
                    depth == 1 and name == "link" and element.get("rel") == "alternate"
                ):
                    export.blog_url = (element.get("href") or "").strip()
                elif depth == 2 and current is not None and name in ("id", "title"):
                    # Known early, so an error later in the entry can name it.
                    if name == "id":
                        current.id = _text(element)
                    else:
                        current.title = " ".join((element.text or "").split())
        except etree.XMLSyntaxError as exc:
            raise ExportError(_syntax_message(path, exc, current, last)) from None
    if depth:
        raise ExportError(f"{shown}: the export ends early (truncated)")
    return export


def _refuse_dtd(root, shown: str) -> None:
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise ExportError(
            f"{shown}:1: the export declares a DTD (<!DOCTYPE …>); a Blogger export "
            "has none, and entity declarations can be an attack: refused"
        )


def _line_count(path: Path) -> int:
    with open(path, "rb") as handle:
        return (
            sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
            + 1
        )


def _syntax_message(path: Path, exc, current: Entry | None, last: Entry | None) -> str:
    shown = str(path)
    line = getattr(exc, "lineno", 0) or 0
    reason = getattr(exc, "msg", "") or str(exc)
    where = f"{shown}:{line}" if line else shown
    # An error on the last line is the file ending early, whatever libxml2 says.
    truncated = (
        "end of data" in reason.lower()
        or "premature" in reason.lower()
        or line >= _line_count(path)
    )
    what = (
        "the export is truncated" if truncated else "the export is not well-formed XML"
    )
    if current is not None:
        at = f"inside {current.describe()} (from line {current.line})"
    elif last is not None:
        at = f"after {last.describe()}"
    else:
        at = "before the first entry"
    return f"{where}: {what} ({reason}), {at}"
