"""URLs as browsers read them: the scheme of a link, the host of an embed.

Python's `urllib.parse` follows RFC 3986, browsers the WHATWG URL standard;
they disagree on exactly the tricks that fool a check (`\\` read as `/`,
tabs and newlines dropped, userinfo before an `@`). Everything here decides
as a browser would: the scheme by the standard's own rules, an embed's host
with ada (a WHATWG URL parser).
"""

from __future__ import annotations

import re

import ada_url

# Hosts an <iframe> may load from (https only) unless the site sets
# CONTENTRULES_IFRAME_HOSTS: privacy-friendly video embeds.
EMBED_HOSTS = ("www.youtube-nocookie.com", "player.vimeo.com")
# A slug is part of URLs, file names and the sitemap's XML: plain characters.
SAFE_SLUG = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")
# Links may go to these schemes, or be relative (no scheme).
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# Raster data: URLs cannot run script (the content rules still refuse them:
# images are files beside the article); every other data: URL can.
RASTER_DATA = re.compile(r"data:image/(?:png|jpeg|gif|webp)[;,]", re.IGNORECASE)

# Browsers strip leading and trailing C0 controls and spaces, and drop every
# tab and newline anywhere, before they look for the scheme.
_EDGES = "".join(chr(c) for c in range(0x21))
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def browser_form(url: str) -> str:
    """`url` as a browser starts parsing it (edges stripped, tabs and newlines
    removed); character references must already be decoded."""
    return _TAB_NEWLINE.sub("", url.strip(_EDGES))


def scheme_of(url: str) -> str | None:
    """The scheme a browser finds in `url`, in lower case; None when the URL
    is relative (then it keeps the page's own scheme)."""
    match = _SCHEME.match(browser_form(url))
    return match.group()[:-1].lower() if match else None


def is_allowed_link(url: str) -> bool:
    """True for a relative URL or one with an allowed scheme (LINK_SCHEMES)."""
    scheme = scheme_of(url)
    return scheme is None or scheme in LINK_SCHEMES


def is_script_url(url: str) -> bool:
    """True for URLs that run code or load a document of their own when
    followed or loaded (javascript:, vbscript:, non-raster data:), however
    they are obfuscated."""
    scheme = scheme_of(url)
    if scheme in ("javascript", "vbscript"):
        return True
    if scheme == "data":
        return not RASTER_DATA.match(browser_form(url))
    # Conservative: controls inside the scheme are not removed by browsers,
    # but an author has no honest reason to write them.
    squeezed = re.sub(r"[\x00-\x20]+", "", url).lower()
    return squeezed.startswith(("javascript:", "vbscript:"))


def srcset_urls(value: str) -> list[str]:
    """The URLs of a `srcset` (each candidate is a URL, then descriptors)."""
    urls = []
    for candidate in value.split(","):
        words = candidate.split()
        if words:
            urls.append(words[0])
    return urls


def embed_url(src: str, hosts) -> str | None:
    """The URL an `<iframe src>` loads, normalised, when a browser would load
    it over https from one of `hosts` with no user name or password and the
    default port; None otherwise (also for relative URLs)."""
    try:
        parts = ada_url.parse_url(src)
    except ValueError:
        return None
    if parts["protocol"] != "https:" or parts["username"] or parts["password"]:
        return None
    if parts["port"] or parts["hostname"] not in {h.lower() for h in hosts}:
        return None
    return parts["href"]
