"""The code blocks of a Markdown source, from the same parse that renders the page.

Blocks come from `plugins.gfm.parser` tokens: fenced blocks, indented
blocks and raw HTML `<pre>` elements, in page order, so every `<pre>` a
reader sees is a block codecheck sees. Line numbers are those of the
Markdown file (1-based): the metadata header is blanked before parsing.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from plugins.core.source import Source, parse_header
from plugins.gfm.parser import fence_info, parse_source

ATTR_INFO_RE = re.compile(r"^\{(?P<attrs>[^\n}]*)\}")
CLASS_RE = re.compile(r"(?:^|\s)\.(?P<cls>[\w#.+-]+)")
MARKER_RE = re.compile(r"<!--\s*codecheck:\s*(?P<kind>[\w-]*)(?P<rest>.*?)-->")
REASON_RE = re.compile(r"""^\s*reason\s*=\s*(?P<q>["'])(?P<reason>.*?)(?P=q)\s*$""")
PRE_RE = re.compile(
    r"<pre\b[^>]*>(?P<body>.*?)(?:</pre\s*>|$)", re.IGNORECASE | re.DOTALL
)
TAG_RE = re.compile(r"<[^>]*>")

MARKER_KINDS = ("skip", "expect-error")

FENCED, INDENTED, RAW_HTML = "fenced", "indented", "html"


@dataclass
class Marker:
    """A `<!-- codecheck: … -->` comment."""

    line: int
    kind: str
    reason: str = ""
    problem: str = ""  # why the marker itself is wrong, if it is


@dataclass
class Block:
    """One code block of a Markdown file: fenced, indented, or a raw `<pre>`."""

    path: str
    fence_line: int  # line of the opening fence (an indented block: its first line)
    info: str  # the raw text after the fence
    text: str  # the block's content, indentation of the fence removed
    indent: int = 0  # columns the content is shifted by in the source
    lang: str | None = None  # the language tag, lowercase; None when untagged
    info_error: str = ""  # why the info string is not a valid tag
    closed: bool = True
    marker: Marker | None = None
    form: str = FENCED

    @property
    def first_line(self) -> int:
        """The Markdown line of the block's first content line."""
        return self.fence_line + 1 if self.form == FENCED else self.fence_line


@dataclass
class Document:
    """The code blocks and markers found in one file."""

    path: str
    blocks: list[Block] = field(default_factory=list)
    stray_markers: list[Marker] = field(default_factory=list)
    tokens: list = field(default_factory=list, repr=False)


def parse_info(info: str) -> tuple[str | None, str]:
    """The language of a fence's info string (GitHub: its first word) and an error.

    Words after the language are fine (GitHub ignores them). Python-Markdown's
    attribute syntax (`{ .bash }`) is not GitHub's: GitHub shows such a block
    without highlighting, so it is an error that says what to write.
    """
    lang, _rest = fence_info(info)
    if not lang:
        return None, ""
    attrs = ATTR_INFO_RE.match(info.strip())
    if attrs:
        classes = CLASS_RE.findall(attrs.group("attrs"))
        tag = classes[0].lower() if classes else None
        fix = f"```{tag}" if tag else "``` and the language"
        return tag, (
            f"attribute syntax ({info.strip()!r}) is not GitHub Markdown: GitHub "
            f"and the site show the block without highlighting; write {fix}, and "
            "put a codecheck marker on the line before the fence if you need one"
        )
    return lang.lower(), ""


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


def _leading(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content_indent(lines: list[str], first: int, content: str, opening: str) -> int:
    """Columns of the source line before a block's content (0-based `first`:
    the line of the content's first line): indentation, and in a blockquote
    its `> ` too, so a problem's column is the column in the file."""
    for offset, text in enumerate(content.split("\n")):
        if not text.strip():
            continue
        index = first + offset
        source = lines[index] if index < len(lines) else ""
        if source.endswith(text):
            return len(source) - len(text)
        break
    # A tab the parser expanded: as before, the opening line's indentation.
    return _leading(opening)


def _raw_pre_blocks(content: str, first_line: int, path: str) -> list[Block]:
    """Raw HTML `<pre>` elements of an HTML token: pages show them as code."""
    found = []
    for match in PRE_RE.finditer(content):
        line = first_line + content.count("\n", 0, match.start())
        text = html.unescape(TAG_RE.sub("", match.group("body")))
        found.append(Block(path, line, "", text, form=RAW_HTML))
    return found


def _code_blocks(tokens, lines: list[str], path: str) -> tuple[list[Block], set[int]]:
    """Every block in page order, and the 0-based lines inside code blocks."""
    blocks: list[Block] = []
    inside: set[int] = set()
    for token in tokens:
        if token.type == "fence" and token.map:
            start, end = token.map
            inside.update(range(start, end))
            fence = lines[start]
            lang, info_error = parse_info(token.info)
            # The parser's map takes in the closing fence when there is one:
            # this holds inside blockquotes and list items too, where the
            # closing line starts with `> ` or the container's indentation.
            closed = end - start - 1 > token.content.count("\n")
            blocks.append(
                Block(
                    path=path,
                    fence_line=start + 1,
                    info=token.info.strip(),
                    text=token.content,
                    indent=_content_indent(lines, start + 1, token.content, fence),
                    lang=lang,
                    info_error=info_error,
                    closed=closed,
                )
            )
        elif token.type == "code_block" and token.map:
            start, end = token.map
            inside.update(range(start, end))
            indent = _content_indent(lines, start, token.content, lines[start])
            blocks.append(
                Block(path, start + 1, "", token.content, indent, form=INDENTED)
            )
        elif (
            token.type == "html_block" and token.map and "<pre" in token.content.lower()
        ):
            blocks.extend(_raw_pre_blocks(token.content, token.map[0] + 1, path))
        elif (
            token.type == "inline"
            and token.children
            and "<pre" in token.content.lower()
        ):
            line = token.map[0] + 1 if token.map else 0
            for child in token.children:
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
                elif (
                    child.type == "html_inline" and child.content[:4].lower() == "<pre"
                ):
                    blocks.append(Block(path, line, "", "", form=RAW_HTML))
    return blocks, inside


# Source._cache key of a source's Document found where it was parsed (the
# build's pre-render stage: see `PARSE_FACTS` in the package).
DOCUMENT_KEY = "codecheck/document"


def document_json(doc: Document) -> dict:
    """A Document as JSON (without its tokens and path)."""

    def marker(m: Marker | None):
        return None if m is None else [m.line, m.kind, m.reason, m.problem]

    return {
        "blocks": [
            [
                b.fence_line,
                b.info,
                b.text,
                b.indent,
                b.lang,
                b.info_error,
                b.closed,
                marker(b.marker),
                b.form,
            ]
            for b in doc.blocks
        ],
        "stray_markers": [marker(m) for m in doc.stray_markers],
    }


def document_from_json(value: dict, path: str) -> Document:
    """The Document of `document_json` for the file at `path`."""

    def marker(m):
        return None if m is None else Marker(*m)

    doc = Document(path)
    for line, info, text, indent, lang, info_error, closed, mark, form in value[
        "blocks"
    ]:
        doc.blocks.append(
            Block(
                path,
                line,
                info,
                text,
                indent,
                lang,
                info_error,
                closed,
                marker(mark),
                form,
            )
        )
    doc.stray_markers = [marker(m) for m in value["stray_markers"]]
    return doc


def read_blocks(text: str | Source, path: str | None = None) -> Document:
    """Every code block of a Markdown source, with the marker before it.

    `text` is a `Source` (the Document found where the build parsed it, or
    its cached parse) or a text (`path` names it).
    """
    if isinstance(text, Source):
        source = text
        if path is None and DOCUMENT_KEY in source._cache:
            return source._cache[DOCUMENT_KEY]
    else:
        source = Source(path=path or "", text=text, header=parse_header(text))
    path = path or source.path
    tokens = parse_source(source)
    lines = source.body_blanked().split("\n")
    doc = Document(path, tokens=tokens)
    doc.blocks, inside = _code_blocks(tokens, lines, path)
    starts = {block.fence_line: block for block in doc.blocks}
    for index, line in enumerate(lines):
        if index in inside:
            continue
        for match in MARKER_RE.finditer(line):
            marker = parse_marker(index + 1, match)
            block = starts.get(_next_content_line(lines, index + 1))
            if block is not None and block.marker is None:
                block.marker = marker
            else:
                if not marker.problem:
                    marker.problem = (
                        "codecheck marker is not on the line before a code block"
                    )
                doc.stray_markers.append(marker)
    return doc


def _next_content_line(lines: list[str], index: int) -> int:
    """The 1-based number of the first non-blank line at or after `index`."""
    while index < len(lines) and not lines[index].strip():
        index += 1
    return index + 1
