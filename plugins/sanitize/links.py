"""Pelican's intra-site links (`{filename}x.md`, `{static}…`, `{attach}…`)
resolved in HTML the sanitizer has already cleaned, noting whether every
resolved URL is *plain*.

Why plain URLs need no second sanitizer pass: the sanitizer's output writes
every attribute value between double quotes, with `"`, `<` and `>` escaped
inside it, so a start tag ends at its first `>`. Pelican's pattern matches
inside one start tag, `…attr=` then a quote, the placeholder and the same
quote, and its replacement keeps everything but the placeholder. The
replaced span is therefore a whole double-quoted attribute value, or part
of one (between single quotes inside it). A plain URL (letters, digits and
`/._~%#?=+:@-`, no quote, `&`, `<`, `>`, space or backslash, and relative
or of an allowed scheme) cannot end that value, start a character
reference or another attribute, or change the scheme of the value it
lands in; it is a URL the sanitizer itself keeps as it is. Anything else
(an unresolved placeholder, a query with `&amp;`, whatever a later Pelican
might write) is not plain, and the caller sanitizes the whole result again.
"""

from __future__ import annotations

import re

from .urls import is_allowed_link

PLAIN_URL = re.compile(r"[A-Za-z0-9/._~%#?=+:@-]*")


def is_plain_url(url: str) -> bool:
    """True for a URL of plain characters, relative or of an allowed scheme."""
    return bool(PLAIN_URL.fullmatch(url)) and is_allowed_link(url)


def resolve_links(content, html: str, siteurl: str) -> tuple[str, bool]:
    """(`html` with the intra-site links of Pelican's `content` object
    resolved as its `_update_content` does, True if every replacement only
    put a plain URL in place of a placeholder)."""
    if not html:
        return html, True
    plain = True

    def replace(match: re.Match) -> str:
        nonlocal plain
        out = content._link_replacer(siteurl, match)
        quote = match.group("quote")
        head = match.group("markup") + quote
        url = out[len(head) : -len(quote)]
        if not (
            out.startswith(head)
            and out.endswith(quote)
            and len(out) == len(head) + len(url) + len(quote)
            and is_plain_url(url)
        ):
            plain = False
        return out

    return content._get_intrasite_link_regex().sub(replace, html), plain
