"""Content-addressed caches of the build: a result is stored under a hash of
everything that made it, so it can never be stale, only missing.

A key is a SHA-256 of its parts (source bytes, the settings that matter, the
code and tool versions of whoever computed it). A value is JSON in its own
file under `CACHE_PATH/<name>/`, written to a temporary file and renamed, so
two builds (a serve rebuild and an `invoke build`) can share the folder.
A missing, unreadable or malformed entry only makes a build slower.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from functools import cache
from importlib import metadata
from pathlib import Path


def digest(*parts) -> str:
    """The SHA-256 of `parts` (str or bytes), each ended by a NUL."""
    h = hashlib.sha256()
    for part in parts:
        h.update(
            part
            if isinstance(part, bytes)
            else str(part).encode("utf-8", "surrogatepass")
        )
        h.update(b"\0")
    return h.hexdigest()


@cache
def code_version(*modules: str) -> str:
    """A hash of the Python files of the packages `modules` (any edit of the
    code that computes a cached value makes its old entries unreachable)."""
    import importlib.util

    h = hashlib.sha256()
    for name in modules:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.origin:
            h.update(f"{name}=missing".encode())
            continue
        root = Path(spec.origin)
        files = (
            sorted(root.parent.rglob("*.py")) if root.name == "__init__.py" else [root]
        )
        for path in files:
            h.update(str(path.relative_to(root.parent)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


@cache
def package_versions(*packages: str) -> str:
    """Python's version and each package's installed version."""
    found = [f"python={sys.version}"]
    for name in packages:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=none")
    return ";".join(found)


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
                json.dump(value, handle, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError:
            try:
                os.unlink(tmp)
            except (OSError, UnboundLocalError):
                pass
