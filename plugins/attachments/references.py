"""Every reference a Markdown source makes to a file, with its source line.

Read from the Markdown *source* (markdown-it-py tokens with line maps, the
standard HTML parser for raw HTML), not from what one renderer makes of it,
so the result does not depend on Python-Markdown. Links, images, reference
definitions, raw HTML attributes (`href`, `src`, `srcset`, `poster`, …, and any
attribute whose value starts with a Pelican marker such as `data-src`) and CSS
`url()` in `style` attributes are all found. A last scan of the plain source
lines catches Pelican markers (`{attach}`, `|static|` …) that a Markdown
dialect might turn into a link where markdown-it does not.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote

from markdown_it import MarkdownIt

# Pelican's INTRASITE_LINK_REGEX: `{what}` or `|what|` (mixed forms match too).
MARKER_RE = re.compile(r"^[{|](?P<what>[^{}|]*?)[|}]")
FILE_MARKERS = ("attach", "static", "filename")
# Attributes whose value is a URL a browser loads or follows.
URL_ATTRS = {
    "href",
    "src",
    "poster",
    "data",
    "cite",
    "action",
    "formaction",
    "background",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "xlink:href",
    "ping",
    "manifest",
    "icon",
    "codebase",
    "archive",
    "content",
    "itemtype",
}
SRCSET_ATTRS = {"srcset", "imagesrcset"}
CSS_URL_RE = re.compile(r"""url\(\s*(['"]?)(?P<url>[^'")]*)\1\s*\)""", re.IGNORECASE)
# A Pelican marker anywhere in a line, up to the end of the URL.
LOOSE_MARKER_RE = re.compile(
    r"""[{|](?:attach|static|filename)[|}][^\s"'<>()\]]*""", re.IGNORECASE
)
CODE_SPAN_RE = re.compile(r"(`+)(?:(?!\1).)+?\1")
# Every place a URL may start, as plain text: link and image destinations,
# reference definitions, and the attributes of HTML tags (quoted or not).
URL_START_RE = re.compile(
    r"""\]\(\s*(?P<link>(?:[^\s()]|\([^\s()]*\))*)"""
    r"""|^\s{0,3}\[[^\]]+\]:\s*(?P<definition>\S*)""",
    re.MULTILINE,
)
TAG_RE = re.compile(r"""<[A-Za-z](?:[^>"']|"[^"]*"|'[^']*')*>?""")
ATTRIBUTE_RE = re.compile(
    r"""(?P<name>[\w:-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))"""
)


@dataclass(frozen=True)
class Reference:
    """A URL written in a source, at a 1-based line, and where it was found."""

    line: int
    url: str
    where: str  # "link", "image", "<img src>", "<source srcset>", "text" …

    @property
    def marker(self) -> str:
        """The Pelican marker ('attach', 'static', 'filename', …) or ''."""
        match = MARKER_RE.match(self.url)
        return match.group("what").strip().lower() if match else ""

    @property
    def target(self) -> str:
        """The URL without its marker."""
        match = MARKER_RE.match(self.url)
        return self.url[match.end() :] if match else self.url


def srcset_urls(value: str) -> list[str]:
    """The URLs of a `srcset` value (descriptors dropped), as the HTML spec parses it."""
    urls = []
    index, size = 0, len(value)
    while index < size:
        while index < size and (value[index].isspace() or value[index] == ","):
            index += 1
        start = index
        while index < size and not value[index].isspace():
            index += 1
        url = value[start:index]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            # Skip the descriptors, up to the next comma outside parentheses.
            depth = 0
            while index < size:
                char = value[index]
                if char == "(":
                    depth += 1
                elif char == ")":
                    depth = max(depth - 1, 0)
                elif char == "," and not depth:
                    break
                index += 1
        if url:
            urls.append(url)
    return urls


class _AttributeScanner(HTMLParser):
    """Collects (line, url, where) for every URL-valued attribute of a fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str]] = []

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        for name, value in attrs:
            if not value:
                continue
            name = name.lower()
            where = f"<{tag} {name}>"
            if name in SRCSET_ATTRS:
                self.found += [(line, url, where) for url in srcset_urls(value)]
            elif name == "style":
                self.found += [
                    (line, m.group("url"), f"<{tag} style url()>")
                    for m in CSS_URL_RE.finditer(value)
                ]
            elif name in URL_ATTRS or MARKER_RE.match(value.strip()):
                self.found.append((line, value.strip(), where))

    handle_startendtag = handle_starttag


def html_references(fragment: str, first_line: int) -> list[Reference]:
    """References in one raw HTML fragment that starts at `first_line`."""
    scanner = _AttributeScanner()
    scanner.feed(fragment)
    scanner.close()
    return [
        Reference(first_line + line - 1, url, where)
        for line, url, where in scanner.found
    ]


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table")
    # See every URL as written: markdown-it would drop javascript: links and
    # percent-encode the rest ({attach} becomes %7Battach%7D).
    md.validateLink = lambda url: True
    md.normalizeLink = lambda url: url
    return md


def _inline_references(token, line: int) -> list[Reference]:
    found = []
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "html_inline":
            found += html_references(child.content, line)
            line += child.content.count("\n")
        elif child.type == "link_open":
            found.append(Reference(line, str(child.attrs.get("href", "")), "link"))
        elif child.type == "image":
            found.append(Reference(line, str(child.attrs.get("src", "")), "image"))
        elif child.type in ("text", "code_inline"):
            line += child.content.count("\n")
    return found


def _blank_code_spans(line: str) -> str:
    return CODE_SPAN_RE.sub(lambda m: " " * len(m.group()), line)


def body_text(text: str, body_start: int) -> str:
    """The body of a source, its header lines blank (line numbers kept)."""
    lines = text.split("\n")
    return "\n" * (body_start - 1) + "\n".join(lines[body_start - 1 :])


def quick_references(text: str) -> list[Reference] | None:
    """Every string of the text that may be a URL, without parsing Markdown:
    more than `find_references` sees (code too), never less; None when a
    construct needs the parser (an angle-bracket destination).

    A source whose quick references all name no file needs no parse (most
    articles link only other sites and other articles).
    """
    if "](<" in text or "]: <" in text:
        return None
    found = []
    line = 0  # not needed to decide; find_references locates what matters
    for match in URL_START_RE.finditer(text):
        url = match.group("link") or match.group("definition") or ""
        found.append(Reference(line, url, "link"))
    for tag in TAG_RE.finditer(text):
        for match in ATTRIBUTE_RE.finditer(tag.group()):
            name = match.group("name").lower()
            value = match.group("dq") or match.group("sq") or match.group("bare") or ""
            value = html.unescape(value)
            if name in SRCSET_ATTRS:
                found += [Reference(line, url, name) for url in srcset_urls(value)]
            elif name == "style":
                found += [
                    Reference(line, m.group("url"), "style")
                    for m in CSS_URL_RE.finditer(value)
                ]
            else:
                found.append(Reference(line, value.strip(), name))
    for match in LOOSE_MARKER_RE.finditer(text):
        found.append(Reference(line, match.group(), "text"))
    return found


def find_references(text: str, body_start: int = 1) -> list[Reference]:
    """Every reference of a Markdown text, in source order, body lines only.

    `body_start` is the first line after the metadata header.
    """
    lines = text.split("\n")
    body = body_text(text, body_start)
    found: list[Reference] = []
    code_lines: set[int] = set()
    for token in _markdown().parse(body):
        if token.map is None:
            continue
        first = token.map[0] + 1
        if token.type in ("fence", "code_block"):
            code_lines.update(range(first, token.map[1] + 1))
        elif token.type == "html_block":
            found += html_references(token.content, first)
        elif token.type == "inline":
            found += _inline_references(token, first)
    found = [_where_written(ref, lines) for ref in found]
    # Pelican markers the tokens did not show as a link (another dialect might).
    known: dict[int, list[str]] = {}
    for ref in found:
        known.setdefault(ref.line, []).append(_canonical(ref.url))
    for number in range(body_start, len(lines) + 1):
        if number in code_lines:
            continue
        for match in LOOSE_MARKER_RE.finditer(_blank_code_spans(lines[number - 1])):
            url = _canonical(match.group())
            if not any(url in k or k in url for k in known.get(number, [])):
                found.append(Reference(number, match.group(), "text"))
    return sorted(found, key=lambda ref: ref.line)


def _canonical(url: str) -> str:
    return unquote(html.unescape(url))


def _where_written(ref: Reference, lines: list[str]) -> Reference:
    """A link from a reference definition ([x][1] … [1]: url) is reported at
    the definition, where the URL is written."""
    wanted = _canonical(ref.url)
    if not ref.url or wanted in _canonical(lines[ref.line - 1]):
        return ref
    for number, line in enumerate(lines, start=1):
        if re.match(r"^ {0,3}\[[^\]]+\]:", line) and wanted in _canonical(line):
            return Reference(number, ref.url, ref.where)
    return ref
