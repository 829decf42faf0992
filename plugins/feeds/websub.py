"""WebSub: tell a hub that feeds changed, so subscribers get them at once.

Call `ping(hub, feed_urls)` after a deploy (the feeds must be live: the hub
fetches them). `site_feed_urls(output, base)` lists the feeds of a built site.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .model import FORMATS


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


def ping(hub: str, feed_urls, timeout: float = 10.0) -> list[PingResult]:
    """POST `hub.mode=publish` for each feed URL to `hub`; never raises for
    an HTTP or network failure, returns one result per feed instead."""
    results = []
    for feed_url in feed_urls:
        body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": feed_url})
        request = urllib.request.Request(
            hub,
            data=body.encode("ascii"),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                results.append(PingResult(feed_url, response.status))
        except urllib.error.HTTPError as exc:
            results.append(PingResult(feed_url, exc.code, str(exc.reason)))
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            results.append(PingResult(feed_url, 0, str(reason)))
    return results


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


def ping_site(output, base: str, hubs, folder: str = "feeds") -> list[PingResult]:
    """Ping every hub for every feed of the built site in `output`, as it is
    served at `base`."""
    urls = site_feed_urls(output, base, folder)
    return [result for hub in hubs for result in ping(hub, urls)]
