"""A content-addressed store: JSON values in files named by their key (a hash
of everything that made them, `plugins.core.cachekeys`), so an entry can
never be stale, only missing. A value is written to a temporary file and
renamed, so two builds (a serve rebuild and an `invoke build`) can share the
folder; a missing, unreadable or malformed entry only makes a build slower.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


class Store:
    """JSON values by key in `folder` (None: a store that keeps nothing)."""

    def __init__(self, folder: str | os.PathLike | None):
        self.folder = Path(folder) if folder else None
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str):
        """The value stored under `key`, or None."""
        if self.folder is None:
            self.misses += 1
            return None
        try:
            value = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, value) -> None:
        """Store `value` (JSON-serialisable); a full or read-only disk is ignored."""
        if self.folder is None:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                # dumps, not dump: the C encoder (dump streams in Python).
                handle.write(json.dumps(value, ensure_ascii=False))
            os.replace(tmp, path)
        except OSError:
            try:
                os.unlink(tmp)
            except (OSError, UnboundLocalError):
                pass
