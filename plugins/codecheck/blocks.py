"""Read fenced code blocks and their markers from a Markdown source file.

Line numbers are those of the Markdown file (1-based), so every problem can
be reported where the author will look. The metadata header (`Key: value`
lines up to the first blank line) is blanked before parsing, keeping lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from plugins.core.source import parse_header

# Python-Markdown's fenced_code accepts only `lang`, `.lang`, `hl_lines="…"`
# or `{ attributes }` after the fence; anything else turns the block into a
# paragraph, so we must flag it.
PLAIN_INFO_RE = re.compile(
    r"^\.?(?P<lang>[\w#.+-]*)[ ]*(?:hl_lines=(?P<q>[\"'])[^\"']*(?P=q)[ ]*)?$"
)
ATTR_INFO_RE = re.compile(r"^\{(?P<attrs>[^\n}]*)\}$")
CLASS_RE = re.compile(r"(?:^|\s)\.(?P<cls>[\w#.+-]+)")
MARKER_RE = re.compile(r"<!--\s*codecheck:\s*(?P<kind>[\w-]*)(?P<rest>.*?)-->")
REASON_RE = re.compile(r"""^\s*reason\s*=\s*(?P<q>["'])(?P<reason>.*?)(?P=q)\s*$""")
CLOSE_RE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})[ \t]*$")

MARKER_KINDS = ("skip", "expect-error")

# Fences are block-level: the inline rules (links, emphasis …), most of the
# parse time, never change where a fence is, so they do not run.
PARSER = MarkdownIt("commonmark").disable("inline")


@dataclass
class Marker:
    """A `<!-- codecheck: … -->` comment."""

    line: int
    kind: str
    reason: str = ""
    problem: str = ""  # why the marker itself is wrong, if it is


@dataclass
class Block:
    """One fenced code block of a Markdown file."""

    path: str
    fence_line: int  # line of the opening fence
    info: str  # the raw text after the fence
    text: str  # the block's content, indentation of the fence removed
    indent: int = 0  # columns the content is shifted by in the source
    lang: str | None = None  # the language tag, lowercase; None when untagged
    info_error: str = ""  # why the info string is not a valid tag
    closed: bool = True
    marker: Marker | None = None

    @property
    def first_line(self) -> int:
        """The Markdown line of the block's first content line."""
        return self.fence_line + 1


@dataclass
class Document:
    """The code blocks and markers found in one file."""

    path: str
    blocks: list[Block] = field(default_factory=list)
    stray_markers: list[Marker] = field(default_factory=list)


def parse_info(info: str) -> tuple[str | None, str]:
    """The language of a fence's info string and an error (or "")."""
    info = info.strip()
    if not info:
        return None, ""
    attrs = ATTR_INFO_RE.match(info)
    if attrs:
        classes = CLASS_RE.findall(attrs.group("attrs"))
        return (classes[0].lower() if classes else None), ""
    plain = PLAIN_INFO_RE.match(info)
    if plain:
        return (plain.group("lang").lower() or None), ""
    first = info.split()[0].lstrip(".")
    return first.lower(), (
        f"words after the language in the fence ({info!r}) make Python-Markdown "
        "render the block as a paragraph; put a skip marker on the line before "
        "the fence instead"
    )


def parse_marker(line: int, match: re.Match) -> Marker:
    """A marker from its regex match; `problem` says what is wrong with it."""
    kind, rest = match.group("kind"), match.group("rest").strip()
    marker = Marker(line, kind)
    if kind not in MARKER_KINDS:
        marker.problem = (
            f"unknown codecheck marker {kind!r}; use "
            '`<!-- codecheck: skip reason="…" -->` or '
            "`<!-- codecheck: expect-error -->`"
        )
    elif kind == "skip":
        reason = REASON_RE.match(rest)
        marker.reason = reason.group("reason").strip() if reason else ""
        if not marker.reason:
            marker.problem = (
                'a skip marker needs a reason: <!-- codecheck: skip reason="…" -->'
            )
    elif rest:
        marker.problem = f"unexpected text in expect-error marker: {rest!r}"
    return marker


def blank_header(text: str) -> str:
    """The text with its metadata header lines emptied (line numbers kept)."""
    end = parse_header(text).end_line
    if not end:
        return text
    lines = text.split("\n")
    return "\n" * end + "\n".join(lines[end:])


def read_blocks(text: str, path: str) -> Document:
    """Every fenced code block of a Markdown text, with the marker before it."""
    body = blank_header(text)
    lines = body.split("\n")
    doc = Document(path)
    inside: set[int] = set()  # 0-based lines inside fences
    for token in PARSER.parse(body):
        if token.type != "fence" or not token.map:
            continue
        start, end = token.map
        inside.update(range(start, end))
        fence = lines[start]
        lang, info_error = parse_info(token.info)
        last = lines[end - 1] if end - 1 > start else ""
        close = CLOSE_RE.match(last)
        closed = bool(close and close.group("fence")[0] == token.markup[0])
        closed = closed and len(close.group("fence")) >= len(token.markup)
        doc.blocks.append(
            Block(
                path=path,
                fence_line=start + 1,
                info=token.info.strip(),
                text=token.content,
                indent=len(fence) - len(fence.lstrip(" ")),
                lang=lang,
                info_error=info_error,
                closed=closed,
            )
        )
    by_fence = {block.fence_line: block for block in doc.blocks}
    for index, line in enumerate(lines):
        if index in inside:
            continue
        for match in MARKER_RE.finditer(line):
            marker = parse_marker(index + 1, match)
            block = by_fence.get(_next_content_line(lines, index + 1))
            if block is not None and block.marker is None:
                block.marker = marker
            else:
                if not marker.problem:
                    marker.problem = (
                        "codecheck marker is not on the line before a code fence"
                    )
                doc.stray_markers.append(marker)
    return doc


def _next_content_line(lines: list[str], index: int) -> int:
    """The 1-based number of the first non-blank line at or after `index`."""
    while index < len(lines) and not lines[index].strip():
        index += 1
    return index + 1
