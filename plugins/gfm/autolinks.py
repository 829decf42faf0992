"""GitHub's bare URL and email autolinks where mdit-py-plugins' differ.

mdit-py-plugins' `gfm_autolink` links a bare `http://` URL or email only
after a space, `*`, `_`, `~` or `(`, and finds an email's local part only in
the text not yet tokenized. GitHub (cmark-gfm) links them after any other
character too (`"http://x.org"`, `[me@x.org]`, `<b>me@x.org</b>`), and an
underscore in the local part (`first_last@x.org`) belongs to the address:
markdown-it takes `_` as an emphasis delimiter, so the plugin linked
`last@x.org`, a different mailbox.

- URLs with a scheme: the plugin's rule, with cmark-gfm's check of what
  comes before (`xhttp://` is no URL, `"http://` is); neither they nor
  `www.` links are made inside a `[` not yet closed, as in cmark-gfm.
- Emails: found the way cmark-gfm does, after the inline parse, in each
  text token outside links (delimiters that made no emphasis are text by
  then).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.gfm_autolink._match import match_any_email, match_http
from mdit_py_plugins.gfm_autolink.index import _www_inline_rule

PROTO_RE = re.compile(r"(https?|mailto|xmpp)$")
LOCAL_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-_"
)


def _ascii_alpha(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def scheme_rule(state: StateInline, silent: bool) -> bool:
    """`http://`, `https://`, `mailto:`, `xmpp:` links (trigger: the colon)."""
    if state.linkLevel > 0 or silent:
        return False
    remaining = state.src[state.pos : state.posMax]
    if len(remaining) < 4 or remaining[0] != ":":
        return False
    # The scheme is at most 6 letters: search only the end of the pending
    # text (all of it would cost a long paragraph its length per colon).
    match = PROTO_RE.search(state.pending[-6:])
    if match is None:
        return False
    proto = match.group(1)
    start = state.pos - len(proto)
    before = state.src[start - 1] if start > 0 else " "
    # cmark-gfm: the scheme is the whole run of letters before the colon;
    # for mailto and xmpp no letter or digit may come before it.
    if _ascii_alpha(before) or (proto in ("mailto", "xmpp") and before.isalnum()):
        return False
    if _in_brackets(state, start):
        return False
    combined = proto + remaining
    if proto in ("mailto", "xmpp"):
        found = match_any_email(combined, len(proto) + 1, proto)
    else:
        found = match_http(combined)
    if found is None:
        return False
    url, length = found
    href = state.md.normalizeLink(url)
    if not state.md.validateLink(href):
        return False
    state.pending = state.pending[: -len(proto)]
    _push_link(state, href, combined[:length])
    state.pos += length - len(proto)
    return True


DOMAIN_RUN_RE = re.compile(r"[A-Za-z0-9._@-]*")
CODE_SPAN_RE = re.compile(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)


# What can change the depth of brackets, or make the walk jump.
BRACKET_EVENT_RE = re.compile(r"[\\\[\]]")


def bracket_changes(src: str) -> tuple[list[int], list[int]]:
    """Where the depth of open `[` changes in `src` (`positions`, sorted) and
    the depth from each on (`depths`): brackets in code spans and escaped
    ones do not count. Only the brackets, backslashes and code spans are
    visited, so a paragraph of many URLs costs no more than its length."""
    positions, depths = [0], [0]
    if "[" not in src:
        return positions, depths
    spans = {m.start(): m.end() for m in CODE_SPAN_RE.finditer(src)}
    events = sorted({*spans, *(m.start() for m in BRACKET_EVENT_RE.finditer(src))})
    depth, walked = 0, 0  # `walked`: the next position the walk stops at
    for index in events:
        if index < walked:
            continue  # inside a code span or an escape: jumped over
        if index in spans:
            walked = spans[index]
            continue
        char = src[index]
        if char == "\\":
            walked = index + 2
            continue
        walked = index + 1
        if char == "[":
            depth += 1
        elif depth:
            depth -= 1
        else:
            continue
        positions.append(index + 1)
        depths.append(depth)
    return positions, depths


def _depth_at(changes: tuple[list[int], list[int]], pos: int) -> int:
    positions, depths = changes
    return depths[bisect_right(positions, pos) - 1]


def in_brackets(src: str, pos: int) -> bool:
    """Whether `pos` is inside a `[` that is not closed before it: cmark-gfm
    makes no URL autolink there (the brackets may yet be a link's text)."""
    return _depth_at(bracket_changes(src), pos) > 0


def _in_brackets(state: StateInline, pos: int) -> bool:
    """`in_brackets` for the text being parsed, its changes found once."""
    cached = getattr(state, "_sysadvent_depths", None)
    if cached is None or cached[0] is not state.src:
        cached = (state.src, bracket_changes(state.src))
        state._sysadvent_depths = cached  # type: ignore[attr-defined]
    return _depth_at(cached[1], pos) > 0


def www_rule(state: StateInline, silent: bool) -> bool:
    """`www.` links, as the plugin makes them, but not inside an open `[`."""
    if not state.src.startswith("www.", state.pos):
        return False  # the plugin's own first test, before the brackets'
    if _in_brackets(state, state.pos):
        return False
    return _www_inline_rule(state, silent)


def _push_link(state: StateInline, href: str, text: str) -> None:
    token = state.push("link_open", "a", 1)
    token.attrs = {"href": href}
    token.markup, token.info = "autolink", "auto"
    token = state.push("text", "", 0)
    token.content = state.md.normalizeLinkText(text)
    token = state.push("link_close", "a", -1)
    token.markup, token.info = "autolink", "auto"


def email_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, mailto URL) of each bare email address in plain text,
    found as cmark-gfm finds them: the local part is every letter, digit,
    `.`, `+`, `-` and `_` before the `@`."""
    spans = []
    offset = 0
    while (at := text.find("@", offset)) >= 0:
        start = at
        while start > 0 and text[start - 1] in LOCAL_CHARS:
            start -= 1
        # Only the address's own characters go to the matcher, so a text
        # of many `@` costs no more than its length.
        end = DOMAIN_RUN_RE.match(text, at + 1).end()
        found = match_any_email(text[start:end], 0, None) if start < at else None
        if found is None:
            offset = at + 1
            continue
        url, length = found
        spans.append((start, start + length, url))
        offset = start + length
    return spans


def email_links(state: StateCore) -> None:
    """Turn bare email addresses in text outside links into mailto links."""
    md = state.md
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        children: list[Token] = []
        in_link = 0
        for child in token.children:
            if child.type == "link_open":
                in_link += 1
            elif child.type == "link_close":
                in_link -= 1
            if child.type != "text" or in_link or "@" not in child.content:
                children.append(child)
                continue
            children.extend(_split_emails(md, child))
        token.children = children


def _split_emails(md: MarkdownIt, child: Token) -> list[Token]:
    text = child.content
    out: list[Token] = []
    last = 0
    for start, end, url in email_spans(text):
        href = md.normalizeLink(url)
        if not md.validateLink(href):
            continue
        if start > last:
            out.append(_text(child, text[last:start]))
        opening = Token("link_open", "a", 1, attrs={"href": href})
        opening.markup, opening.info, opening.level = "autolink", "auto", child.level
        out.append(opening)
        label = _text(child, md.normalizeLinkText(text[start:end]))
        label.level = child.level + 1
        out.append(label)
        closing = Token("link_close", "a", -1, markup="autolink", info="auto")
        closing.level = child.level
        out.append(closing)
        last = end
    if not out:
        return [child]
    if last < len(text):
        out.append(_text(child, text[last:]))
    return out


def _text(like: Token, content: str) -> Token:
    return Token("text", "", 0, content=content, level=like.level)


def use(md: MarkdownIt) -> None:
    """Replace the plugin's scheme and email rules with GitHub's (after
    `gfm_plugin`)."""
    md.inline.ruler.at("gfm_autolink_protocol", scheme_rule)
    md.inline.ruler.at("gfm_autolink_www", www_rule)
    md.inline.ruler.disable("gfm_autolink_email")
    md.core.ruler.after("text_join", "sysadvent_email_links", email_links)
