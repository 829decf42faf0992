"""WebSub: tell a hub that feeds changed, so subscribers get them at once.

Call `ping(hub, feed_urls)` after a deploy (the feeds must be live: the hub
fetches them). `site_feed_urls(output, base)` lists the feeds of a built site.

Pings go through the project's guarded client (`plugins.linkcheck.guard`):
a hub on a private, loopback or metadata address is refused, unless its
network is listed in SYSADVENT_WEBSUB_ALLOW_NETWORKS (a hub you run on your
own network; tests).
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from plugins.linkcheck.guard import FetchError, networks_from_env, safe_request

from .model import FORMATS

ALLOW_ENV = "SYSADVENT_WEBSUB_ALLOW_NETWORKS"


@dataclass(frozen=True)
class PingResult:
    """What the hub answered for one feed (status 0: no answer)."""

    feed_url: str
    status: int
    error: str = ""

    @property
    def ok(self) -> bool:
        # WebSub hubs answer 2xx (usually 204 No Content) to a publish ping.
        return 200 <= self.status < 300


def ping(
    hub: str, feed_urls, timeout: float = 10.0, allow_networks=None
) -> list[PingResult]:
    """POST `hub.mode=publish` for each feed URL to `hub`; never raises for
    an HTTP or network failure (or a refused address), returns one result
    per feed instead. `allow_networks` (CIDRs; default: from the environment
    variable SYSADVENT_WEBSUB_ALLOW_NETWORKS) may be reached though private."""
    if allow_networks is None:
        allow_networks = networks_from_env(ALLOW_ENV)
    results = []
    for feed_url in feed_urls:
        body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": feed_url})
        try:
            response = safe_request(
                "POST",
                hub,
                data=body.encode("ascii"),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                timeout=timeout,
                max_bytes=64 * 1024,
                allow_networks=allow_networks,
            )
        except FetchError as exc:
            results.append(PingResult(feed_url, 0, str(exc)))
            continue
        reason = "" if response.ok else _reason(response.status)
        results.append(PingResult(feed_url, response.status, reason))
    return results


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def site_feed_urls(output, base: str, folder: str = "feeds") -> list[str]:
    """The public URLs of every feed file under `output`/`folder`, sorted."""
    root = Path(output)
    suffixes = tuple(suffix for suffix, _, _ in FORMATS.values())
    files = sorted(
        path.relative_to(root).as_posix()
        for path in (root / folder).rglob("*")
        if path.is_file() and path.name.endswith(suffixes)
    )
    return [f"{base.rstrip('/')}/{path}" for path in files]


def ping_site(
    output, base: str, hubs, folder: str = "feeds", allow_networks=None
) -> list[PingResult]:
    """Ping every hub for every feed of the built site in `output`, as it is
    served at `base`."""
    urls = site_feed_urls(output, base, folder)
    return [
        result
        for hub in hubs
        for result in ping(hub, urls, allow_networks=allow_networks)
    ]
