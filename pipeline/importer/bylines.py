"""Find who wrote and who edited an article in its byline, and take it out.

SysAdvent credited people in the text itself, in a few forms:

- "By: Eric Sigler (@esigler) / Edited By: Michelle Carroll (@miiiiiche)"
  (2017; also on two lines, "Written by", "Edited by" alone);
- "This was written by [Jordan Sissel](http://semicomplete.com)" (2011;
  also "This article was written by … and edited by …").

A byline is looked for in the first and last few blocks of a post (a whole
paragraph, or one line of it between `<br>`s). Only text that parses as a
list of people counts, so "By the way, …" stays prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bs4 import NavigableString, Tag

BLOCKS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
}
SCAN = 3  # blocks looked at, at each end of the post

_BY = r"(?:written\s+by|by)\s*:?\s+"
_EDITED = r"edited\s+by\s*:?\s+"
FORMS = [
    re.compile(
        rf"^{_BY}(?P<a>.+?)\s*(?:[/|;,]\s*|\s+and\s+|\s+)?{_EDITED}(?P<e>.+?)\.?$", re.I
    ),
    re.compile(
        rf"^this\s+(?:article\s+|post\s+)?was\s+written\s+by\s+(?P<a>.+?)"
        rf"(?:\s*(?:,\s*|\s+)(?:and\s+)?{_EDITED}(?P<e>.+?))?\.?$",
        re.I,
    ),
    re.compile(rf"^{_EDITED}(?P<e>.+?)\.?$", re.I),
    re.compile(rf"^{_BY}(?P<a>.+?)\.?$", re.I),
]
_SPLIT = re.compile(r"\s*(?:,|&|\band\b)\s*", re.I)
_PERSON = re.compile(
    r"^(?P<name>[^()@]*?)\s*(?:\(\s*@?(?P<h1>[A-Za-z0-9_.-]+)\s*\)|@(?P<h2>[A-Za-z0-9_]+))?$"
)
_PARTICLES = {
    "de",
    "van",
    "von",
    "der",
    "den",
    "da",
    "di",
    "du",
    "la",
    "le",
    "del",
    "y",
}
HANDLE_HOSTS = {
    "twitter.com",
    "www.twitter.com",
    "x.com",
    "github.com",
    "www.github.com",
    "mobile.twitter.com",
}


@dataclass(frozen=True)
class PersonRef:
    """A person as a byline names them."""

    name: str = ""
    handle: str = ""
    url: str = ""


@dataclass
class Byline:
    """The people a post's byline credits, and the lines taken out."""

    authors: list[PersonRef] = field(default_factory=list)
    editors: list[PersonRef] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def handle_from_url(url: str) -> str:
    """`esigler` for https://twitter.com/esigler (Twitter, X, GitHub), else ""."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in HANDLE_HOSTS:
        return ""
    first = parts.path.strip("/").split("/")[0]
    return first.lstrip("@") if re.fullmatch(r"@?[A-Za-z0-9_-]{1,39}", first) else ""


def _looks_like_name(name: str) -> bool:
    words = name.replace('"', " ").split()
    if not 1 <= len(words) <= 6:
        return False
    capitals = 0
    for word in words:
        if word.lower() in _PARTICLES:
            continue
        first = next((c for c in word if c.isalpha()), "")
        if not first or not first.isupper():
            return False
        capitals += 1
    return capitals > 0


def parse_people(
    text: str, links: dict[str, str] | None = None
) -> list[PersonRef] | None:
    """The people of "A (@a), B and C", or None when it is not a list of people."""
    links = links or {}
    people = []
    for item in _SPLIT.split(text.strip().rstrip(".")):
        item = item.strip()
        if not item:
            continue
        match = _PERSON.match(item)
        if not match:
            return None
        name = " ".join(match.group("name").split())
        handle = match.group("h1") or match.group("h2") or ""
        if name.startswith("@") and not handle:
            name, handle = "", name[1:]
        if name and not _looks_like_name(name):
            return None
        if not (name or handle):
            return None
        url = links.get(name) or links.get(f"@{handle}") or ""
        if url and not handle:
            handle = handle_from_url(url)
        people.append(PersonRef(name, handle, url))
    return people or None


def parse_line(text: str, links: dict[str, str] | None = None) -> Byline | None:
    """The byline of one line of text, or None when the line is not one."""
    text = " ".join(text.replace("\xa0", " ").split())
    if not text or len(text) > 300:
        return None
    for form in FORMS:
        match = form.match(text)
        if not match:
            continue
        found = Byline(lines=[text])
        groups = match.groupdict()
        for role, key in (("authors", "a"), ("editors", "e")):
            if groups.get(key):
                people = parse_people(groups[key], links)
                if people is None:
                    found = None
                    break
                getattr(found, role).extend(people)
        if found is not None:
            return found
    return None


# --- finding bylines in a parsed post ---


def _is_block(node) -> bool:
    return isinstance(node, Tag) and node.name in BLOCKS


def leaf_blocks(root) -> list[Tag]:
    """Blocks with no block inside (paragraphs, headings …), in order."""
    found = []
    for element in root.find_all(BLOCKS):
        if element.name in ("pre", "table", "hr", "ul", "ol", "dl"):
            continue
        if element.find_parent(["pre", "table"]):
            continue
        if not element.find(BLOCKS):
            found.append(element)
    return found


def _segments(block: Tag) -> list[list]:
    """The block's children split at <br>: one list of nodes per line."""
    lines, current = [], []
    for child in list(block.children):
        if isinstance(child, Tag) and child.name == "br":
            lines.append(current)
            current = []
        else:
            current.append(child)
    lines.append(current)
    return [line for line in lines if _line_text(line).strip() or _has_media(line)]


def _line_text(nodes) -> str:
    return "".join(
        n.get_text() if isinstance(n, Tag) else str(n)
        for n in nodes
        if isinstance(n, Tag | NavigableString)
    )


def _has_media(nodes) -> bool:
    return any(isinstance(n, Tag) and (n.name == "img" or n.find("img")) for n in nodes)


def _links(nodes) -> dict[str, str]:
    found = {}
    for node in nodes:
        if not isinstance(node, Tag):
            continue
        anchors = [node] if node.name == "a" else node.find_all("a")
        for anchor in anchors:
            text = " ".join(anchor.get_text().split())
            href = (anchor.get("href") or "").strip()
            if text and href.startswith(("http://", "https://")):
                found.setdefault(text, href)
    return found


def _remove_line(block: Tag, nodes) -> None:
    for node in nodes:
        following = node.next_sibling
        node.extract()
        if isinstance(following, Tag) and following.name == "br":
            following.extract()
    # A <br> left at the very start or end of the block is an empty line.
    while (
        block.contents
        and isinstance(block.contents[0], Tag)
        and block.contents[0].name == "br"
    ):
        block.contents[0].extract()
    while (
        block.contents
        and isinstance(block.contents[-1], Tag)
        and block.contents[-1].name == "br"
    ):
        block.contents[-1].extract()
    while block is not None and not block.get_text().strip() and not block.find("img"):
        parent = block.parent
        block.decompose()
        block = parent if _is_block(parent) else None


def take_bylines(root) -> Byline:
    """Find the byline lines near the start and end of `root`, remove them,
    and return the people they credit (authors and editors, in order)."""
    result = Byline()
    blocks = leaf_blocks(root)
    chosen = blocks[:SCAN] + [b for b in blocks[-SCAN:] if b not in blocks[:SCAN]]
    for block in chosen:
        while not block.decomposed and block.parent is not None:
            lines = _segments(block)
            # The first line, the second (a byline on two lines), the last.
            candidates = lines[:2] + lines[-1:] if len(lines) > 2 else lines
            for nodes in candidates:
                found = parse_line(_line_text(nodes), _links(nodes))
                if found is not None:
                    break
            else:
                break
            result.authors.extend(p for p in found.authors if p not in result.authors)
            result.editors.extend(p for p in found.editors if p not in result.editors)
            result.lines.extend(found.lines)
            _remove_line(block, nodes)
    return result
