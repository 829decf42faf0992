"""The linkcheck settings and their defaults (all overridable in pelicanconf.py)."""

from __future__ import annotations

from plugins.core.settings import over_defaults

DEFAULTS = {
    # Check internal links after every build with these settings (publishconf.py).
    "LINKCHECK_INTERNAL_ON_BUILD": False,
    # Folder (relative to the project root) for the external-check cache.
    "LINKCHECK_CACHE_PATH": "cache",
    "LINKCHECK_CACHE_FILE": "linkcheck.json",
    # Seconds a cached outcome stays trusted; broken links are always rechecked.
    "LINKCHECK_CACHE_TTL": {"ok": 7 * 86400, "unknown": 3600, "broken": 0},
    # Politeness: total requests in flight, per host, and the gap between two
    # requests to one host (seconds).
    "LINKCHECK_CONCURRENCY": 16,
    "LINKCHECK_HOST_CONCURRENCY": 2,
    "LINKCHECK_HOST_MIN_GAP": 0.5,
    # Per-request timeout (seconds), retries on timeouts/5xx/429, growing waits.
    "LINKCHECK_TIMEOUT": 15.0,
    "LINKCHECK_RETRIES": 3,
    "LINKCHECK_BACKOFF_BASE": 1.0,
    "LINKCHECK_BACKOFF_MAX": 60.0,
    # A Retry-After longer than this sends the host to the slow lane instead.
    "LINKCHECK_RETRY_AFTER_MAX": 120.0,
    # The slow lane: hosts that keep answering 429, checked one request at a
    # time at the end of the run with this gap between requests.
    "LINKCHECK_SLOW_LANE_GAP": 10.0,
    "LINKCHECK_MAX_REDIRECTS": 10,
    # Bytes of a body read at most (the status is what matters).
    "LINKCHECK_MAX_BODY": 1024 * 1024,
    # Hosts asked with HEAD instead of GET (opt-in: many servers answer HEAD badly).
    "LINKCHECK_HEAD_HOSTS": [],
    # Statuses counted as ok besides 2xx (e.g. 403 for a site known to block bots).
    "LINKCHECK_ACCEPT": [],
    # Regular expressions: matching URLs are never requested.
    "LINKCHECK_SKIP": [],
    # None: "<SITENAME> link checker (+<SITEURL>)".
    "LINKCHECK_USER_AGENT": None,
    # Networks (CIDR) exempt from the private-address guard. Only tests set it.
    "LINKCHECK_ALLOW_NETWORKS": [],
    # Data files (under PATH) searched for links of pages without a Markdown
    # source, e.g. the people pages built from people.toml.
    "LINKCHECK_EXTRA_SOURCES": ["people.toml"],
    # Suggest a Wayback Machine copy for broken links.
    "LINKCHECK_WAYBACK": False,
    "LINKCHECK_WAYBACK_API": "https://archive.org/wayback/available",
}


def with_defaults(settings) -> dict:
    """A plain dict of the linkcheck settings: the given ones over the defaults."""
    settings = dict(settings or {})
    merged = over_defaults(DEFAULTS, settings)
    merged["SITEURL"] = settings.get("SITEURL", "") or ""
    merged["SITENAME"] = settings.get("SITENAME", "") or ""
    merged["PATH"] = settings.get("PATH", "content")
    return merged


DOCS = {
    "LINKCHECK_INTERNAL_ON_BUILD": "check internal links in every build (publishconf.py)",
    "LINKCHECK_CACHE_PATH": "folder of the external-check cache",
    "LINKCHECK_CACHE_FILE": "file name of the external-check cache",
    "LINKCHECK_CACHE_TTL": "seconds an outcome stays trusted, by outcome",
    "LINKCHECK_CONCURRENCY": "requests in flight at most",
    "LINKCHECK_HOST_CONCURRENCY": "requests in flight per host at most",
    "LINKCHECK_HOST_MIN_GAP": "seconds between two requests to one host",
    "LINKCHECK_TIMEOUT": "seconds a request may take",
    "LINKCHECK_RETRIES": "retries on timeouts, 5xx and 429",
    "LINKCHECK_BACKOFF_BASE": "first wait before a retry, in seconds",
    "LINKCHECK_BACKOFF_MAX": "longest wait before a retry, in seconds",
    "LINKCHECK_RETRY_AFTER_MAX": "a longer Retry-After sends the host to the slow lane",
    "LINKCHECK_SLOW_LANE_GAP": "seconds between requests in the slow lane",
    "LINKCHECK_MAX_REDIRECTS": "redirects followed at most",
    "LINKCHECK_MAX_BODY": "bytes of a body read at most",
    "LINKCHECK_HEAD_HOSTS": "hosts asked with HEAD instead of GET",
    "LINKCHECK_ACCEPT": "statuses counted as ok besides 2xx",
    "LINKCHECK_SKIP": "regexes of URLs never requested",
    "LINKCHECK_USER_AGENT": 'None: "<SITENAME> link checker (+<SITEURL>)"',
    "LINKCHECK_ALLOW_NETWORKS": "networks exempt from the private-address guard (tests)",
    "LINKCHECK_EXTRA_SOURCES": "data files under PATH searched for links of pages",
    "LINKCHECK_WAYBACK": "suggest a Wayback Machine copy of broken links",
    "LINKCHECK_WAYBACK_API": "the Wayback Machine availability API",
}
