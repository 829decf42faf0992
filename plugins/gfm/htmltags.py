"""Raw HTML in Markdown: GitHub's tag filter and prose placeholders.

GitHub (cmark-gfm's `tagfilter` extension) shows a few raw HTML tags as text
by replacing their `<` with `&lt;`. A prose placeholder such as
`<yourdomain>` or `<slot>.<interface>` is, to a CommonMark parser, an HTML
open tag: GitHub's preview then hides it, and so would a browser. This site
shows such a placeholder as text, and codecheck warns the author (see
`plugins.gfm.checks`), so the preview and the site agree once it is
fixed.
"""

from __future__ import annotations

import re

# cmark-gfm's tagfilter list, except `iframe`: the site allows embeds from
# the hosts in CONTENTRULES_IFRAME_HOSTS, and contentrules checks every one.
TAGFILTER = ("title", "textarea", "style", "xmp", "noembed", "noframes", "script",
             "plaintext")  # fmt: skip
TAGFILTER_RE = re.compile(
    r"<(?=/?(?:" + "|".join(TAGFILTER) + r")(?:[\s/>]|$))", re.IGNORECASE
)

# Every element of the HTML Living Standard, the obsolete ones browsers still
# know, and the SVG and MathML roots: anything else is not an HTML element.
KNOWN_ELEMENTS = frozenset(
    """
    a abbr address area article aside audio b base bdi bdo blockquote body br
    button canvas caption cite code col colgroup data datalist dd del details
    dfn dialog div dl dt em embed fieldset figcaption figure footer form h1 h2
    h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd label
    legend li link main map mark menu meta meter nav noscript object ol
    optgroup option output p picture pre progress q rp rt ruby s samp script
    search section select slot small source span strong style sub summary sup
    table tbody td template textarea tfoot th thead time title tr track u ul
    var video wbr
    acronym applet basefont bgsound big blink center dir font frame frameset
    image isindex keygen listing marquee menuitem multicol nextid nobr noembed
    noframes plaintext rb rtc spacer strike tt xmp
    svg math
    """.split()
)
VOID_ELEMENTS = frozenset(
    "area base br col embed hr img input link meta source track wbr "
    "basefont bgsound frame image isindex keygen spacer".split()
)
# Phrasing elements authors do write as HTML (`<kbd>Ctrl</kbd>`); left open,
# a browser closes them at the end of the paragraph, and GitHub shows them.
PHRASING_ELEMENTS = frozenset(
    "a abbr b bdi bdo big cite code del dfn em i ins kbd mark nobr q s samp small "
    "span strike strong sub sup tt u".split()
)
# Void elements that mean something without attributes; `<source>` or
# `<input>` alone in prose is a placeholder.
BARE_VOID_ELEMENTS = frozenset(("br", "hr", "wbr"))

OPEN_TAG_RE = re.compile(
    r"^<(?P<name>[A-Za-z][A-Za-z0-9-]*)(?P<attrs>[^>]*?)(?P<self>/?)>$"
)
CLOSE_TAG_RE = re.compile(r"^</(?P<name>[A-Za-z][A-Za-z0-9-]*)\s*>$")


def tagfilter(html: str) -> str:
    """Raw HTML with GitHub's disallowed tags turned into text (`<` -> `&lt;`)."""
    return TAGFILTER_RE.sub("&lt;", html)


def open_tag(raw: str) -> tuple[str, bool, bool] | None:
    """(lowercase name, has attributes, self-closing) of an open tag, else None."""
    match = OPEN_TAG_RE.match(raw.strip())
    if not match:
        return None
    return (
        match.group("name").lower(),
        bool(match.group("attrs").strip()),
        bool(match.group("self")),
    )


def close_tag(raw: str) -> str | None:
    """The lowercase name of a closing tag, else None."""
    match = CLOSE_TAG_RE.match(raw.strip())
    return match.group("name").lower() if match else None


def placeholders(raw_tags: list[str]) -> set[int]:
    """Which raw inline tags of one paragraph (or heading, cell) are placeholders.

    A placeholder is an open tag without attributes that nothing closes in the
    same paragraph: `<yourdomain>`, `<slot>`, `<source>` (a void element that
    means nothing bare). A browser would hide it, and swallow the words after
    it into an element nobody meant. Not placeholders: `<br>`, `<hr>`,
    `<wbr>`, phrasing tags (`<kbd>`, `<em>` …) and the tags GitHub's tag
    filter shows as text anyway (`<script>` …).
    """
    closed: dict[str, int] = {}
    for raw in raw_tags:
        name = close_tag(raw)
        if name:
            closed[name] = closed.get(name, 0) + 1
    found = set()
    for index, raw in enumerate(raw_tags):
        tag = open_tag(raw)
        if tag is None:
            continue
        name, has_attrs, self_closing = tag
        if has_attrs or self_closing or name in BARE_VOID_ELEMENTS:
            continue
        if name in PHRASING_ELEMENTS or name in TAGFILTER:
            continue
        if name not in VOID_ELEMENTS and closed.get(name):
            closed[name] -= 1  # this open tag has its closing tag
            continue
        found.add(index)
    return found
