"""Content-addressed caches of the build: a result is stored under a hash of
everything that made it, so it can never be stale, only missing.

A key is a SHA-256 of its parts (source bytes, the settings that matter, the
code and tool versions of whoever computed it). A value is JSON in its own
file under `CACHE_PATH/<name>/`, written to a temporary file and renamed, so
two builds (a serve rebuild and an `invoke build`) can share the folder.
A missing, unreadable or malformed entry only makes a build slower.
"""

from __future__ import annotations

from plugins.core.cachekeys import code_version, digest, package_versions
from plugins.core.store import Store

__all__ = ["Store", "code_version", "digest", "package_versions"]
