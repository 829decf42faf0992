"""The one HTML sanitizer of the site: an allow-list on a browser-grade parser.

Every article, page and summary is rendered from untrusted Markdown, raw HTML
included. `sanitize_html` parses it the way browsers do (nh3, the binding of
Rust's ammonia on html5ever) and keeps only the elements, attributes and URL
schemes listed here, so whatever trick an author finds, the output holds no
script, event handler, script URL, `srcdoc`, SVG or MathML.

The lists keep what the Markdown renderers legitimately produce: Pygments
highlighting, heading ids and permalinks, footnotes, task lists, tables,
figures, details. Pelican's intra-site placeholders (`{filename}x.md`,
`{attach}img.png`, `{static}…`, `|filename|…`) are relative URLs, so they
survive and Pelican resolves them afterwards. URLs are relative or http,
https and mailto: no data: URL at all (images are files beside the article).
"""

from __future__ import annotations

import re

import nh3

from .urls import EMBED_HOSTS, LINK_SCHEMES, embed_url, is_allowed_link, srcset_urls

TAGS = frozenset(
    """a abbr b bdi bdo blockquote br caption cite code col colgroup dd del
    details dfn div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i iframe
    img input ins kbd li mark ol p picture pre q rp rt ruby s samp section
    small source span strong sub summary sup table tbody td tfoot th thead
    time tr u ul var video wbr""".split()
)
# Removed with everything inside them (other unknown elements keep their text).
DROP_WITH_CONTENT = frozenset({"script", "style", "template"})

# Attributes every allowed element may carry, and aria-* (GENERIC_PREFIXES).
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir", "role"})
GENERIC_PREFIXES = frozenset({"aria-"})
ATTRIBUTES = {
    # name: old-style anchors (<a name="x">); not a named property of window.
    "a": {"href", "hreflang", "name"},
    "img": {"src", "alt", "width", "height", "loading", "srcset", "sizes", "decoding"},
    "iframe": {
        "src",
        "width",
        "height",
        "allow",
        "allowfullscreen",
        "loading",
        "referrerpolicy",
    },
    "video": {
        "src",
        "poster",
        "controls",
        "width",
        "height",
        "preload",
        "muted",
        "loop",
        "playsinline",
    },
    "source": {"src", "srcset", "type", "media", "sizes", "width", "height"},
    # Task lists: type is limited to checkbox (VALUES) and disabled is forced.
    "input": {"checked", "disabled"},
    "pre": {"tabindex"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    # Table alignment arrives as style="text-align: …" or align=…; both become
    # an align-* class (ALIGN_CLASSES): inline styles would need a weaker CSP.
    "th": {"colspan", "rowspan", "scope", "align", "style"},
    "td": {"colspan", "rowspan", "align", "style"},
    "col": {"span"},
    "colgroup": {"span"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
}
VALUES = {"input": {"type": {"checkbox"}}}
FORCED = {"input": {"disabled": ""}}
# The style properties kept (only on th/td, and then turned into classes).
STYLE_PROPERTIES = frozenset({"text-align"})
ALIGNMENTS = ("left", "right", "center")
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "poster"})
# What an embedded player may be granted (`<iframe allow>`): the features
# YouTube's and Vimeo's embed codes ask for, never the camera, microphone,
# location, payment or the like.
IFRAME_FEATURES = frozenset(
    {
        "accelerometer",
        "autoplay",
        "clipboard-write",
        "encrypted-media",
        "fullscreen",
        "gyroscope",
        "picture-in-picture",
        "web-share",
    }
)
# Referrer policies that never send the page's full URL to the embed's host.
IFRAME_REFERRER_POLICIES = frozenset(
    {
        "no-referrer",
        "origin",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    }
)


def iframe_allow(value: str) -> str | None:
    """The directives of an `<iframe allow>` that grant IFRAME_FEATURES."""
    kept = [
        directive.strip()
        for directive in value.split(";")
        if directive.split() and directive.split()[0].lower() in IFRAME_FEATURES
    ]
    return "; ".join(kept) or None


def _attributes() -> dict[str, set[str]]:
    return {"*": set(GLOBAL_ATTRIBUTES), **{t: set(a) for t, a in ATTRIBUTES.items()}}


def _filter(hosts):
    """nh3's attribute filter: URL checks a browser would agree with."""

    def check(tag: str, name: str, value: str) -> str | None:
        if name in URL_ATTRIBUTES:
            if tag == "iframe" and name == "src":
                return embed_url(value, hosts)
            return value if is_allowed_link(value) else None
        if tag == "iframe" and name == "allow":
            return iframe_allow(value)
        if tag == "iframe" and name == "referrerpolicy":
            policy = value.strip().lower()
            return policy if policy in IFRAME_REFERRER_POLICIES else None
        if name == "srcset":
            ok = all(is_allowed_link(url) for url in srcset_urls(value))
            return value if ok else None
        return value

    return check


def iframe_hosts(settings=None) -> list[str]:
    """Hosts an iframe may load from: the content rules' own setting."""
    hosts = (settings or {}).get("CONTENTRULES_IFRAME_HOSTS")
    return list(EMBED_HOSTS if hosts is None else hosts)


def make_cleaner(settings=None) -> nh3.Cleaner:
    """A reusable sanitizer for the site's settings (iframe hosts)."""
    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes=_attributes(),
        attribute_filter=_filter(iframe_hosts(settings)),
        strip_comments=True,
        link_rel=None,
        generic_attribute_prefixes=set(GENERIC_PREFIXES),
        tag_attribute_values={
            k: {a: set(v) for a, v in d.items()} for k, d in VALUES.items()
        },
        set_tag_attribute_values={k: dict(v) for k, v in FORCED.items()},
        url_schemes=set(LINK_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES),
    )


# ammonia writes attributes as name="value" with `"`, `<` and `>` escaped
# inside values, so in its output a start tag ends at the first ">".
_CELL = re.compile(r"<(th|td)(\s[^>]*)?>")
_ATTRIBUTE = re.compile(r'\s([^\s="]+)(?:="([^"]*)")?')
_TEXT_ALIGN = re.compile(r"^text-align:\s*(\w+)\s*;?$")


def _alignment_class(match: re.Match) -> str:
    tag, text = match.group(1), match.group(2) or ""
    if "align" not in text and "style" not in text:
        return match.group()
    attributes = dict(_ATTRIBUTE.findall(text))
    style = _TEXT_ALIGN.match(attributes.pop("style", ""))
    align = (style.group(1) if style else attributes.pop("align", "")).lower()
    attributes.pop("align", None)
    if align in ALIGNMENTS:
        attributes["class"] = f"{attributes.get('class', '')} align-{align}".strip()
    rest = "".join(f' {k}="{v}"' if v else f" {k}" for k, v in attributes.items())
    return f"<{tag}{rest}>"


def alignment_to_classes(html: str) -> str:
    """Table cells' `style="text-align:X"` and `align="X"` (in the sanitizer's
    output) as `class="align-X"`, so no inline style reaches the page."""
    if "align" not in html and "style" not in html:
        return html
    return _CELL.sub(_alignment_class, html)


_cleaners: dict[tuple, nh3.Cleaner] = {}


def sanitize_html(html: str, settings=None) -> str:
    """`html` with everything not on the allow-lists removed (see module doc)."""
    if not html:
        return html or ""
    key = tuple(iframe_hosts(settings))
    cleaner = _cleaners.get(key)
    if cleaner is None:
        cleaner = _cleaners[key] = make_cleaner(settings)
    return alignment_to_classes(cleaner.clean(html))
