"""Outcomes of external links kept between runs, each trusted for a while."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

VERSION = 1


class Cache:
    """A JSON file {url: result}; a result is fresh for the TTL of its outcome."""

    def __init__(self, path, ttl: dict, now=time.time):
        self.path = Path(path) if path else None
        self.ttl = ttl
        self.now = now
        self.entries: dict[str, dict] = {}
        if self.path and self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("version") == VERSION:
                    self.entries = dict(data.get("urls", {}))
            except (OSError, ValueError, AttributeError):
                self.entries = {}  # a damaged cache is only a slower run

    def get(self, url: str) -> dict | None:
        """The cached result for `url` if it is still fresh."""
        entry = self.entries.get(url)
        if not entry:
            return None
        ttl = self.ttl.get(entry.get("outcome"), 0)
        if ttl <= 0 or self.now() - entry.get("checked_at", 0) > ttl:
            return None
        return entry

    def put(self, url: str, entry: dict) -> None:
        self.entries[url] = {**entry, "checked_at": self.now()}

    def save(self) -> None:
        """Write the cache atomically (a killed run leaves the old one)."""
        if not self.path:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": VERSION, "urls": dict(sorted(self.entries.items()))}
        fd, tmp = tempfile.mkstemp(prefix=".linkcheck-", dir=self.path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1)
        os.replace(tmp, self.path)
