"""Every reference of an HTML page or stylesheet: links, images, media, CSS url()."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

# (tag, attribute) pairs that hold one URL; srcset holds several.
URL_ATTRIBUTES = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src",),
    "source": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "script": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
SRCSET_TAGS = ("img", "source")
# <meta> whose content is a URL: Open Graph and Twitter cards.
META_URL_KEYS = {"og:image", "og:url", "og:video", "og:audio", "twitter:image"}
# Links that are not meant to be followed: preconnect hints and the like.
SKIP_RELS = {"preconnect", "dns-prefetch"}

CSS_URL_RE = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"]*?))\s*\)""")
CSS_IMPORT_RE = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""")

_PARSER = etree.HTMLParser(recover=True, no_network=True, huge_tree=True)


@dataclass(frozen=True)
class Ref:
    """One URL found in a page: where (output line) and in which attribute."""

    url: str
    line: int
    what: str  # e.g. "a href", "img srcset", "css url()"
    text: str = ""  # the link text, when it is a link


@dataclass
class Page:
    refs: list[Ref]
    anchors: set[str]  # every id and <a name>


def parse_srcset(value: str) -> list[str]:
    """The URLs of a srcset ("a.png 1x, b.png 2x"), split as the HTML spec says."""
    urls = []
    pos, end = 0, len(value)
    while pos < end:
        while pos < end and (value[pos].isspace() or value[pos] == ","):
            pos += 1
        start = pos
        while pos < end and not value[pos].isspace():
            pos += 1
        url = value[start:pos]
        if url.endswith(","):  # a URL ending in commas has no descriptors
            url = url.rstrip(",")
        else:
            while pos < end and value[pos] != ",":
                pos += 1
        if url:
            urls.append(url)
    return urls


def css_urls(text: str) -> list[tuple[str, int]]:
    """(url, line) for every url() and @import in a piece of CSS."""
    found = []
    for regex in (CSS_URL_RE, CSS_IMPORT_RE):
        for match in regex.finditer(text):
            url = next(g for g in match.groups() if g is not None)
            found.append((url.strip(), text.count("\n", 0, match.start()) + 1))
    return found


# Only the elements that can hold a reference: XPath in C beats a Python walk.
_WITH_URLS = etree.XPath(
    "|".join(
        [f"//{tag}[@{' or @'.join(attrs)}]" for tag, attrs in URL_ATTRIBUTES.items()]
        + [f"//{tag}[@srcset]" for tag in SRCSET_TAGS]
        + ["//meta[@content]", "//*[@style]", "//style"]
    )
)
_ANCHORS = etree.XPath("//@id | //a/@name")


def parse_html(data: bytes) -> Page:
    """The references and anchors of one HTML document."""
    root = etree.fromstring(data, _PARSER) if data.strip() else None
    page = Page([], set())
    if root is None:
        return page
    page.anchors.update(str(value) for value in _ANCHORS(root))
    refs = page.refs
    for element in _WITH_URLS(root):
        tag = element.tag
        attrib = element.attrib
        line = element.sourceline or 0
        for name in URL_ATTRIBUTES.get(tag, ()):
            value = attrib.get(name)
            if value is None:
                continue
            if tag == "link" and SKIP_RELS & set(attrib.get("rel", "").split()):
                continue
            # The text helps find an empty link ("[text]()") in the Markdown.
            text = "".join(element.itertext()).strip() if not value.strip() else ""
            refs.append(Ref(value, line, f"{tag} {name}", text))
        if tag in SRCSET_TAGS and "srcset" in attrib:
            for url in parse_srcset(attrib["srcset"]):
                refs.append(Ref(url, line, f"{tag} srcset"))
        if tag == "meta":
            key = attrib.get("property") or attrib.get("name") or ""
            if key.lower() in META_URL_KEYS:
                refs.append(Ref(attrib["content"], line, f"meta {key}"))
        if "style" in attrib:
            for url, _ in css_urls(attrib["style"]):
                refs.append(Ref(url, line, "style url()"))
        if tag == "style" and element.text:
            for url, offset in css_urls(element.text):
                refs.append(Ref(url, line + offset - 1, "css url()"))
    return page


def page_json(page: Page) -> dict:
    """A parsed page as JSON (for the page cache)."""
    return {
        "refs": [[r.url, r.line, r.what, r.text] for r in page.refs],
        "anchors": sorted(page.anchors),
    }


def page_from_json(value: dict) -> Page:
    """The Page of `page_json`."""
    return Page([Ref(*ref) for ref in value["refs"]], set(value["anchors"]))


def parse_css(text: str) -> Page:
    """The references of a stylesheet (a stylesheet has no anchors)."""
    return Page([Ref(url, line, "css url()") for url, line in css_urls(text)], set())
