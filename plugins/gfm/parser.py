"""The one Markdown parser of the site: CommonMark plus GitHub's extensions.

Authors preview their article on GitHub, so the site parses it the way
GitHub does (markdown-it-py with mdit-py-plugins' GFM set: tables,
strikethrough, task lists, alerts, autolinks, footnotes). The page is
rendered from these tokens (`html.render`) and codecheck reads its code
blocks from the very same tokens, so both always agree on what is code.

Token line maps are lines of the *file*: the metadata header is blanked, not
cut (`Source.body_blanked()`).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import MD_TRIM_RE, mdTrim, unescapeAll
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.gfm import gfm_plugin

from . import autolinks, htmltags

TOKENS_KEY = "markdown/tokens"

# Pelican's `{filename}…`, `{attach}…`, `{static}…` link prefixes must reach
# Pelican as written; markdown-it would percent-encode the braces.
PELICAN_LINK_RE = re.compile(r"^(?P<prefix>\{\w+\}|\|\w+\|)(?P<rest>.*)$", re.DOTALL)


def slugify(text: str) -> str:
    """A heading id the way Python-Markdown's toc made them (the site's old ids).

    Accents are dropped, anything but letters, digits, `_`, `-` and spaces is
    removed, runs of spaces and hyphens become one hyphen.
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def github_slug(text: str) -> str:
    """The anchor GitHub gives a heading (its preview's `#fragment`): letters
    (with their combining marks), digits, `_`, `-`; spaces become hyphens."""
    kept = (
        c
        for c in text.strip().lower()
        if c in "_- " or c.isalnum() or unicodedata.category(c).startswith("M")
    )
    return "".join(kept).replace(" ", "-")


IDCOUNT_RE = re.compile(r"^(.*)_([0-9]+)$")


def unique(slug: str, used: set[str]) -> str:
    """`slug`, or `slug_1`, `slug_2` … when taken (Python-Markdown's rule)."""
    while slug in used or not slug:
        match = IDCOUNT_RE.match(slug)
        if match:
            slug = f"{match.group(1)}_{int(match.group(2)) + 1}"
        else:
            slug = f"{slug}_1"
    used.add(slug)
    return slug


def heading_text(inline: Token) -> str:
    """The plain text of a heading, as Python-Markdown's toc saw it."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def heading_ids(state: StateCore) -> None:
    """Give every heading an id, and make GitHub-style `#fragment` links work.

    Ids follow Python-Markdown's toc (existing articles keep their anchors).
    An in-page link written for GitHub's preview (`#first-step--growing`)
    is pointed at the heading it means when the two differ.
    """
    used: set[str] = set()
    github: dict[str, str] = {}
    seen_github: set[str] = set()
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        text = heading_text(tokens[index + 1])
        slug = unique(slugify(text), used)
        token.attrSet("id", slug)
        gh = github_slug(text)
        base, count = gh, 0
        while gh in seen_github:
            count += 1
            gh = f"{base}-{count}"
        seen_github.add(gh)
        github.setdefault(gh, slug)
    if not github:
        return
    for token in tokens:
        if token.type != "inline":
            continue
        for child in token.children or []:
            if child.type != "link_open":
                continue
            href = str(child.attrGet("href") or "")
            # markdown-it percent-encodes the link (`#café` -> `#caf%C3%A9`);
            # GitHub's anchor is the heading's text.
            fragment = unquote(href[1:])
            if href.startswith("#") and fragment not in used:
                target = github.get(fragment)
                if target:
                    child.attrSet("href", "#" + target)


def mark_placeholders(state: StateCore) -> None:
    """Mark raw inline tags that are prose placeholders (`<yourdomain>`).

    The renderer shows them as text and codecheck warns about them; see
    `htmltags.placeholders`.
    """
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        raw = [c for c in token.children if c.type == "html_inline"]
        if not raw:
            continue
        for index in htmltags.placeholders([c.content for c in raw]):
            raw[index].meta["placeholder"] = True


def _make() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"xhtmlOut": False, "typographer": False})
    md.use(gfm_plugin)
    autolinks.use(md)
    md.core.ruler.push("sysadvent_heading_ids", heading_ids)
    md.core.ruler.push("sysadvent_placeholders", mark_placeholders)
    normalize = md.normalizeLink

    def normalize_link(url: str) -> str:
        match = PELICAN_LINK_RE.match(url)
        if match:
            return match.group("prefix") + normalize(match.group("rest"))
        return normalize(url)

    md.normalizeLink = normalize_link  # type: ignore[method-assign]
    validate = md.validateLink

    def validate_link(url: str) -> bool:
        # A `file:` link stays a link so linkcheck reports it at its line
        # (markdown-it would print it as text and nobody would notice);
        # `javascript:`, `vbscript:` and `data:` stay refused.
        return validate(url) or url.strip().lower().startswith("file:")

    md.validateLink = validate_link  # type: ignore[method-assign]
    return md


MD = _make()


def parse_markdown(text: str) -> list[Token]:
    """The tokens of Markdown without a header (a summary, a snippet)."""
    return MD.parse(text, {})


def parse(text: str) -> list[Token]:
    """The tokens of a source file's text; the `Key: value` header is blanked
    first, so token maps are lines of the file."""
    from plugins.core.source import Source, parse_header

    return parse_markdown(
        Source(path="", text=text, header=parse_header(text)).body_blanked()
    )


# Set on a Source whose page was rendered elsewhere (the pipeline's pre-render
# pool): its tokens are not kept after use, so a build never holds every
# parse at once (memory stays flat as the archive grows).
TRANSIENT_KEY = "markdown/transient"


def parse_source(source) -> list[Token]:
    """The tokens of a `plugins.core.source.Source`, parsed once per source
    (or, for a source marked transient, for each caller and never kept).

    The header lines are blanked, so token maps are lines of the file.
    """
    if source._cache.get(TRANSIENT_KEY):
        return parse_markdown(source.body_blanked())
    return source.cached(TOKENS_KEY, lambda s: parse_markdown(s.body_blanked()))


def fence_info(info: str) -> tuple[str, str]:
    """(language, the rest) of a fence's info string, as GitHub reads it:
    the language is the first word, escapes and entities resolved."""
    info = mdTrim(unescapeAll(info)) if info else ""
    if not info:
        return "", ""
    words = MD_TRIM_RE.split(info, maxsplit=1)
    return words[0], words[1] if len(words) == 2 else ""
