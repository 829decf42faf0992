"""Tokens -> HTML: markdown-it's renderer plus the site's code blocks and anchors.

- Code blocks (fenced and indented) are highlighted with Pygments, wrapped
  in `<div class="highlight">` (the theme's colours and Copy button), in a
  `<pre>` that a keyboard can scroll (`tabindex="0"`) and a screen reader
  can name (`aria-label`). A session block with prompts (console, psql,
  pycon) is marked `session-console` … so the Copy button copies only what a
  reader types (theme/static/js/article.js derives it from the shown text,
  as `plugins.core.sessions.copy_text` does).
- Headings end with the permalink the theme styles (`a.headerlink`).
- Raw HTML: GitHub's tag filter; prose placeholders (`<yourdomain>`) as text.
- Strikethrough is `<del>`, as on GitHub.
"""

from __future__ import annotations

from functools import cache

from markdown_it.common.utils import escapeHtml

from plugins.core import codetags as tags
from plugins.core import sessions

from . import htmltags
from .parser import MD, fence_info

PERMALINK = '<a class="headerlink" href="#{id}" title="Link to this section">#</a>'


@cache
def _lexer(alias: str):
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        # stripnl off: leading blank lines of a block are part of it.
        return get_lexer_by_name(alias, stripnl=False, ensurenl=True)
    except ClassNotFound:
        return None


@cache
def _formatter():
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(nowrap=True)


def highlight(code: str, alias: str | None) -> tuple[str, str]:
    """(HTML of the code's lines, the language's display name or "")."""
    lexer = _lexer(alias) if alias else None
    if lexer is None or alias == "text":
        return escapeHtml(code), ""
    from pygments import highlight as pygmentize

    return pygmentize(code, lexer, _formatter()), lexer.name


SESSIONS = {"console": "console", "pycon": "pycon", "sql": "psql"}


def code_block_html(code: str, lang: str, aliases: dict | None = None) -> str:
    """One code block as the site shows it; `lang` is the tag ('' for none).

    `<code class="language-…">` names the tag as written (as GitHub and
    CommonMark renderers do). Only classes and ARIA attributes are used: the
    sanitizer keeps them, and nothing else travels with the code.
    """
    alias = tags.canonical(lang, aliases) if lang else None
    body, name = highlight(code, alias)
    label = f"{name} code" if name else "Code"
    classes = "highlight"
    kind = tags.kind_of(alias) if alias else None
    if kind in SESSIONS and sessions.copy_text(kind, code.rstrip("\n")) is not None:
        classes += f" session-{SESSIONS[kind]}"
    code_class = f' class="language-{escapeHtml(lang)}"' if lang else ""
    return (
        f'<div class="{classes}"><pre tabindex="0" role="group" '
        f'aria-label="{escapeHtml(label)}"><code{code_class}>{body}</code></pre></div>\n'
    )


def fence(self, tokens, idx, options, env):
    token = tokens[idx]
    lang, _rest = fence_info(token.info)
    return code_block_html(token.content, lang, env.get("aliases"))


def code_block(self, tokens, idx, options, env):
    return code_block_html(tokens[idx].content, "", env.get("aliases"))


def heading_close(self, tokens, idx, options, env):
    opening = tokens[idx - 2]
    anchor = ""
    if opening.type == "heading_open" and opening.attrGet("id"):
        anchor = PERMALINK.format(id=escapeHtml(str(opening.attrGet("id"))))
    return f"{anchor}</{tokens[idx].tag}>\n"


def html_inline(self, tokens, idx, options, env):
    token = tokens[idx]
    if token.meta.get("placeholder"):
        return escapeHtml(token.content)
    return htmltags.tagfilter(token.content)


def html_block(self, tokens, idx, options, env):
    return htmltags.tagfilter(tokens[idx].content)


def s_open(self, tokens, idx, options, env):
    return "<del>"


def s_close(self, tokens, idx, options, env):
    return "</del>"


def footnote_caption(self, tokens, idx, options, env):
    # GitHub shows `1` for every reference to footnote 1 (not `[1]`, and
    # not markdown-it's `1:1` for the second one).
    return str(tokens[idx].meta["id"] + 1)


def footnote_block_open(self, tokens, idx, options, env):
    return '<section class="footnotes">\n<ol>\n'


def footnote_anchor(self, tokens, idx, options, env):
    ident = self.rules["footnote_anchor_name"](tokens, idx, options, env)
    if tokens[idx].meta["subId"] > 0:
        ident += ":" + str(tokens[idx].meta["subId"])
    number = str(tokens[idx].meta["id"] + 1)
    mark = ""
    if tokens[idx].meta["subId"] > 0:
        # The back link to the footnote's n-th reference, as GitHub marks it.
        nth = str(tokens[idx].meta["subId"] + 1)
        number, mark = f"{number}-{nth}", f"<sup>{nth}</sup>"
    # U+FE0E keeps iOS from drawing the arrow as an emoji.
    return (
        f' <a href="#fnref{ident}" class="footnote-backref" '
        f'aria-label="Back to reference {number}">\u21a9\ufe0e{mark}</a>'
    )


def list_item_open(self, tokens, idx, options, env):
    token = tokens[idx]
    opening = self.renderToken(tokens, idx, options, env)
    if not (token.meta and "checked" in token.meta):
        return opening
    # A task: GitHub's read-only checkbox, with a name for screen readers.
    checked, state = (' checked=""', "done") if token.meta["checked"] else ("", "to do")
    return (
        f'{opening}<input class="task-list-item-checkbox" disabled="" '
        f'type="checkbox"{checked} aria-label="{state}"> '
    )


RULES = {
    "list_item_open": list_item_open,
    "footnote_caption": footnote_caption,
    "footnote_block_open": footnote_block_open,
    "footnote_anchor": footnote_anchor,
    "fence": fence,
    "code_block": code_block,
    "heading_close": heading_close,
    "html_inline": html_inline,
    "html_block": html_block,
    "s_open": s_open,
    "s_close": s_close,
}
for _name, _rule in RULES.items():
    MD.add_render_rule(_name, _rule)


def render(tokens, aliases: dict | None = None) -> str:
    """The HTML of parsed tokens; `aliases` are extra tag aliases (CODECHECK_ALIASES)."""
    env = {"aliases": {k.lower(): v for k, v in (aliases or {}).items()}}
    return MD.renderer.render(tokens, MD.options, env)


def markdown_to_html(text: str, aliases: dict | None = None) -> str:
    """Parse and render Markdown without a header (a summary, a snippet)."""
    from .parser import parse_markdown

    return render(parse_markdown(text), aliases)
