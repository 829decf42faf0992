"""External links checked while the site builds (`invoke linkcheck --external`).

The links an article makes are known long before its page is written: the
link and image destinations of each source are a parse fact (`URLS_KEY`,
taken from the one Markdown parse where the source is rendered, cached with
the render). A build asked to (`BuildRequest.external`) starts checking the
external ones in a thread as soon as the pre-render stage is done, so the
network waits overlap Pelican's work instead of following it. The results
travel back with the build's result; the external check then requests only
what the built site holds beyond them (links in raw HTML, in the theme, in
the people registry), so no URL is requested twice in one run.

Only destinations that become links on the page are prefetched (a URL shown
in code is not a link and is never requested), and each goes through the
same filters as the check of the built site (`external.external_target`):
the guard against private addresses applies to every request.
"""

from __future__ import annotations

import asyncio
import os
import threading

URLS_KEY = "linkcheck/urls"


def link_urls(tokens) -> list[str]:
    """The destinations of the links and images among markdown-it `tokens`
    (autolinks included), in order, each once."""
    found: dict[str, None] = {}

    def walk(level) -> None:
        for token in level:
            if token.type == "link_open":
                found.setdefault(str(token.attrs.get("href") or ""))
            elif token.type == "image":
                found.setdefault(str(token.attrs.get("src") or ""))
            if token.children:
                walk(token.children)

    walk(tokens)
    return [url for url in found if url]


def urls_fact(source, settings, rendered) -> list[str]:
    """Parse fact: the link and image destinations of a source's body."""
    from plugins.gfm.parser import parse_source

    return link_urls(parse_source(source))


def load_urls(value, source) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(u, str) for u in value):
        raise ValueError("damaged link destinations")
    return value


def wanted_urls(sources, settings, only=None) -> list[str]:
    """The external URLs the check of the built site will request for the
    links of `sources` (`only`: paths of the sources to take; None: all), as
    it names them, each once."""
    from .external import external_target

    keep = None if only is None else {os.path.abspath(p) for p in only}
    found: dict[str, None] = {}
    for source in sources:
        urls = source._cache.get(URLS_KEY)
        if not urls or (keep is not None and os.path.abspath(source.path) not in keep):
            continue
        for url in urls:
            target = external_target(url, settings)
            if target:
                found.setdefault(target)
    return list(found)


class Prefetch:
    """Checks URLs in a thread of its own (with its own event loop) while the
    build goes on; `finish()` waits and returns what it found."""

    def __init__(self, urls: list[str], settings):
        self.urls = urls
        self.settings = settings
        self.found: dict = {"results": {}, "requests": 0}
        self.thread = threading.Thread(
            target=self._run, name="linkcheck-prefetch", daemon=True
        )
        self.thread.start()

    def _run(self) -> None:
        from .external import cache_for, check_urls

        cache = cache_for(self.settings)
        try:
            results, checker = asyncio.run(check_urls(self.urls, self.settings, cache))
        except Exception:  # the check of the built site will try again
            return
        cache.save()
        self.found = {
            "results": {
                url: {**result.entry(), "cached": result.cached}
                for url, result in results.items()
            },
            "requests": sum(h.requests for h in checker.hosts.values()),
        }

    def finish(self) -> dict:
        """{"results": {url: Result fields}, "requests": count}, once done."""
        self.thread.join()
        return self.found


def start(sources, settings, only=None) -> Prefetch | None:
    """Start checking the external links of `sources` (None: none to check)."""
    from .settings import with_defaults

    options = with_defaults(settings)
    urls = wanted_urls(sources, options, only)
    return Prefetch(urls, options) if urls else None
