"""What kind of reference a URL is: inside the site, outside, or an error."""

from __future__ import annotations

import functools
import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

# Schemes that are not fetched: they work or not on the reader's machine.
IGNORED_SCHEMES = {"mailto", "tel", "sms", "data", "javascript", "irc", "ircs", "xmpp"}
WEB_SCHEMES = {"http", "https"}

INTERNAL = "internal"
EXTERNAL = "external"
IGNORED = "ignored"
BAD = "bad"


@dataclass(frozen=True)
class Kind:
    kind: str
    path: str = ""  # internal: the path, relative to the site root or the page
    rooted: bool = False  # internal: the path starts at the site root
    fragment: str | None = None
    reason: str = ""  # bad: why


def is_local_host(host: str, allowed=()) -> bool:
    """localhost, *.localhost, and loopback or unspecified IP literals.

    IP literals inside the `allowed` networks (LINKCHECK_ALLOW_NETWORKS, set
    by tests only) are not local: they stand for other sites.
    """
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if any(address in ipaddress.ip_network(n, strict=False) for n in allowed):
        return False
    return address.is_loopback or address.is_unspecified


@functools.lru_cache(maxsize=65536)  # theme links repeat on every page
def classify(url: str, siteurl: str = "", allowed: tuple = ()) -> Kind:
    """Sort a reference found in the built site (`siteurl` marks the site's own).

    `allowed`: networks whose IP literals are other sites (tests only).
    """
    url = url.strip()
    if not url:
        return Kind(BAD, reason="empty link: the link has no target")
    if url.startswith("{"):
        return Kind(
            BAD,
            reason=f"Pelican could not resolve {url!r}: no such file in the content",
        )
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return Kind(BAD, reason=f"malformed URL: {exc}")
    scheme = parts.scheme.lower()
    if scheme == "file":
        return Kind(BAD, reason="a file: link points to the author's own disk")
    if scheme in IGNORED_SCHEMES:
        return Kind(IGNORED)
    if scheme and scheme not in WEB_SCHEMES:
        return Kind(IGNORED)
    fragment = parts.fragment if "#" in url else None
    if parts.netloc:
        try:
            host = parts.hostname or ""
        except ValueError as exc:
            return Kind(BAD, reason=f"malformed URL: {exc}")
        if is_local_host(host, allowed):
            return Kind(BAD, reason=f"points to the author's own machine ({host})")
        site = _site_prefix(siteurl)
        if site:
            here = f"{parts.netloc.lower()}{parts.path}"
            base = f"{site[0]}{site[1]}"
            if here == base.rstrip("/") or here.startswith(base.rstrip("/") + "/"):
                rest = here[len(base.rstrip("/")) :]
                return Kind(INTERNAL, rest.lstrip("/"), True, fragment)
        if not host:
            return Kind(BAD, reason="malformed URL: no host")
        return Kind(EXTERNAL)
    if scheme:  # "http:foo" without a host
        return Kind(BAD, reason="malformed URL: a web address needs a host")
    if parts.path.startswith("/"):
        site = _site_prefix(siteurl)
        prefix = site[1].rstrip("/") if site else ""
        path = parts.path
        if prefix:
            if not (path == prefix or path.startswith(prefix + "/")):
                return Kind(
                    BAD, reason=f"outside the site (which lives under {prefix}/)"
                )
            path = path[len(prefix) :]
        return Kind(INTERNAL, path.lstrip("/"), True, fragment)
    return Kind(INTERNAL, parts.path, False, fragment)


def _site_prefix(siteurl: str):
    """(host, path) of SITEURL, or None when the site uses relative URLs."""
    if not siteurl or "//" not in siteurl:
        return None
    parts = urlsplit(siteurl if "://" in siteurl else "http:" + siteurl)
    return parts.netloc.lower(), parts.path.rstrip("/")
