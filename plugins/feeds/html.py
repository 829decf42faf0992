"""Make every URL in an HTML fragment absolute.

Feed readers show entries outside the site and most ignore `xml:base`, so a
relative link, image or `srcset` candidate in an entry is broken there.

`absolutize` runs on every article's full HTML each build, so it does not
build a tree: it finds start tags the way the HTML tokenizer does and
rewrites only the values of URL attributes, leaving every other byte alone.
"""

from __future__ import annotations

import re
from html import unescape
from html.entities import html5 as _ENTITIES
from urllib.parse import urljoin

from bs4 import BeautifulSoup

# Attributes that hold one URL.
URL_ATTRIBUTES = ("href", "src", "poster", "cite", "action", "data", "background")
# Attributes that hold a list of "URL [descriptor]" candidates.
SRCSET_ATTRIBUTES = ("srcset", "imagesrcset")

# Elements whose content is text up to their end tag, never markup: the
# HTML standard's raw text and RCDATA elements, and `plaintext`. (`noscript`
# is not one: readers without scripts show its markup, e.g. a lazy image.)
_RAW_TEXT_ELEMENTS = (
    "script style textarea title xmp iframe noembed noframes plaintext".split()
)
_RAW_TEXT_ENDS = {
    name: re.compile(rf"</{name}(?=[\t\n\f\r />])", re.IGNORECASE)
    for name in _RAW_TEXT_ELEMENTS
}

_SPACE = r"[\t\n\f\r ]"
# One attribute of a start tag, as the tokenizer reads it (atomic groups and
# possessive runs: a tag that never closes cannot make the search backtrack).
_ATTRIBUTE = (
    r"(?P<attribute_name>[^\t\n\f\r />][^\t\n\f\r /=>]*+)"
    rf"(?>{_SPACE}*+={_SPACE}*+"
    r"(?P<value>\"[^\"]*+\"|'[^']*+'|[^\t\n\f\r >]*+))?"
)
_ATTRIBUTES = re.compile(_ATTRIBUTE)
# The markup of a fragment: comments (also `<!-->`), CDATA sections, end tags,
# doctypes and bogus comments (`<!x>`, `<?x>`), and start tags. A `<` that
# starts none of these is text.
_MARKUP = re.compile(
    r"<!--(?:-?>|.*?(?:--!?>|\Z))"
    r"|<!\[CDATA\[.*?(?:\]\]>|\Z)"
    r"|<[!?/][^>]*+>?"
    r"|<(?P<name>[a-zA-Z][^\t\n\f\r />]*+)"
    rf"(?P<attributes>(?>[\t\n\f\r /]*+{_ATTRIBUTE})*+)[\t\n\f\r /]*+>",
    re.DOTALL,
)
# Cheap pre-check: most tags (code highlighting spans) hold no URL at all.
_URL_NAMES = "|".join(URL_ATTRIBUTES + SRCSET_ATTRIBUTES)
_URL_HINT = re.compile(rf"(?:{_URL_NAMES}){_SPACE}*=", re.IGNORECASE)
_CHARACTER_REFERENCE = re.compile(
    r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|(?P<named>[A-Za-z][A-Za-z0-9]*)(?P<semicolon>;?))"
)


def absolute_url(url: str, base: str) -> str:
    """`url` resolved against the page it appears on (`base`)."""
    url = url.strip()
    if not url:
        return url
    return urljoin(base, url)


def parse_srcset(value: str) -> list[tuple[str, str]]:
    """The (URL, descriptor) candidates of a `srcset`, as the HTML standard
    splits them: a URL is a run without spaces; commas end a candidate."""
    candidates, i, n = [], 0, len(value)
    while i < n:
        while i < n and (value[i].isspace() or value[i] == ","):
            i += 1
        if i >= n:
            break
        start = i
        while i < n and not value[i].isspace():
            i += 1
        url, descriptor = value[start:i], ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            start, depth = i, 0
            while i < n and (value[i] != "," or depth):
                depth += {"(": 1, ")": -1}.get(value[i], 0)
                i += 1
            descriptor = value[start:i].strip()
        candidates.append((url, descriptor))
    return candidates


def absolute_srcset(value: str, base: str) -> str:
    """A `srcset` with every candidate's URL made absolute."""
    return ", ".join(
        f"{absolute_url(url, base)} {descriptor}".strip()
        for url, descriptor in parse_srcset(value)
    )


def unescape_attribute(value: str) -> str:
    """An attribute value as the browser reads it: character references
    decoded, except a named one without ";" followed by "=" or a letter or
    digit (so `?a=1&copy=2` stays a query string, as the HTML standard says)."""
    if "&" not in value:
        return value

    def decode(match: re.Match) -> str:
        name = match.group("named")
        if name is None:  # numeric: always a reference
            return unescape(match.group())
        if match.group("semicolon"):
            return _ENTITIES.get(f"{name};", match.group())
        following = value[match.end() : match.end() + 1]
        if name in _ENTITIES and following != "=":  # a legacy name: "&amp"
            return _ENTITIES[name]
        return match.group()  # "&copy=", "&copyx": text, not a reference

    return _CHARACTER_REFERENCE.sub(decode, value)


def _absolute_attributes(attributes: str, base: str) -> str:
    """The attribute text of one start tag with its URL values made absolute;
    an attribute whose URL is already absolute keeps its exact bytes."""
    pieces, done = [], 0
    for attribute in _ATTRIBUTES.finditer(attributes):
        raw = attribute.group("value")
        if raw is None:
            continue
        name = attribute.group("attribute_name").lower()
        if name in URL_ATTRIBUTES:
            resolve = absolute_url
        elif name in SRCSET_ATTRIBUTES:
            resolve = absolute_srcset
        else:
            continue
        if raw[:1] in ("'", '"'):
            raw = raw[1:-1]
        value = unescape_attribute(raw)
        absolute = resolve(value, base)
        if absolute == value:
            continue
        escaped = absolute.replace("&", "&amp;").replace('"', "&quot;")
        pieces += (attributes[done : attribute.start("value")], f'"{escaped}"')
        done = attribute.end("value")
    if not pieces:
        return attributes
    pieces.append(attributes[done:])
    return "".join(pieces)


def absolutize(html: str, base: str) -> str:
    """`html` with every URL attribute resolved against `base` (the absolute
    URL of the page the fragment comes from).

    Only the values of URL attributes change. Markup is found as browsers
    find it: comments, CDATA and the content of `<script>`, `<style>`,
    `<textarea>` and the other raw-text elements are left alone, and a code
    example is text (escaped), not tags.
    """
    if not html or "<" not in html:
        return html
    pieces, done, pos = [], 0, 0
    while token := _MARKUP.search(html, pos):
        pos = token.end()
        name = token.group("name")
        if name is None:  # comment, CDATA, end tag, doctype
            continue
        attributes = token.group("attributes")
        if _URL_HINT.search(attributes):
            rewritten = _absolute_attributes(attributes, base)
            if rewritten != attributes:
                pieces += (html[done : token.start("attributes")], rewritten)
                done = token.end("attributes")
        end_tag = _RAW_TEXT_ENDS.get(name.lower())
        if end_tag is not None:
            end = end_tag.search(html, pos)
            pos = end.start() if end else len(html)
    pieces.append(html[done:])
    return "".join(pieces)


def plain_text(html: str) -> str:
    """The text of an HTML fragment, whitespace collapsed."""
    text = BeautifulSoup(html or "", "html.parser").get_text(" ")
    return " ".join(text.split())


# --- page chrome: what the site's pages need and a feed reader does not -----

_HEADING = re.compile(
    r"<(?P<tag>h[1-6])(?P<attributes>(?:[\t\n\f\r ][^>]*)?)>(?P<inner>.*?)</(?P=tag)\s*>",
    re.IGNORECASE | re.DOTALL,
)
_ID = re.compile(
    r"""(?:^|[\t\n\f\r ])id[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r >]+))""",
    re.IGNORECASE,
)
_HREF = re.compile(
    r"""(?:^|[\t\n\f\r ])href[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r >]+))""",
    re.IGNORECASE,
)
_LINK = re.compile(
    r"<a(?P<attributes>[\t\n\f\r ][^>]*)?>(?P<inner>.*?)</a\s*>",
    re.IGNORECASE | re.DOTALL,
)
_TAG = re.compile(r"<[^>]*>")
_PRE = re.compile(r"(<pre\b[^>]*>)(.*?)(</pre\s*>)", re.IGNORECASE | re.DOTALL)
_SPAN = re.compile(r"</?span\b[^>]*>", re.IGNORECASE)


def _attribute(pattern: re.Pattern, attributes: str) -> str | None:
    match = pattern.search(attributes or "")
    if not match:
        return None
    return unescape_attribute(next(g for g in match.groups() if g is not None))


def _heading_without_permalink(match: re.Match) -> str:
    """A heading with its links to itself taken out: a symbol-only link ("#",
    "¶") is dropped, a link around the heading's words is unwrapped."""
    heading_id = _attribute(_ID, match.group("attributes"))
    if not heading_id:
        return match.group()

    def link(found: re.Match) -> str:
        if _attribute(_HREF, found.group("attributes")) != f"#{heading_id}":
            return found.group()
        words = unescape(_TAG.sub("", found.group("inner")))
        return found.group("inner") if any(c.isalnum() for c in words) else ""

    inner = _LINK.sub(link, match.group("inner"))
    if inner == match.group("inner"):
        return match.group()
    start = match.start("inner") - match.start()
    end = match.end("inner") - match.start()
    return match.group()[:start] + inner.rstrip() + match.group()[end:]


def without_permalinks(html: str) -> str:
    """`html` with every heading's links to itself taken out (see
    `strip_chrome`); used for feeds and for tables of contents."""
    if "<h" not in html and "<H" not in html:
        return html
    return _HEADING.sub(_heading_without_permalink, html)


def strip_chrome(html: str) -> str:
    """`html` (an article's rendered content) without what only the site's
    pages need: permalink anchors in headings (feed readers show them as a
    stray "#") and the syntax-highlighting spans in code blocks, whose
    classes mean nothing without the site's stylesheet and make up a quarter
    of an entry's bytes. Every other byte is left alone."""
    if not html or "<" not in html:
        return html
    html = without_permalinks(html)
    if "<span" in html:
        html = _PRE.sub(
            lambda m: m.group(1) + _SPAN.sub("", m.group(2)) + m.group(3), html
        )
    return html
