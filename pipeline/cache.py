"""Content-addressed caches of the build: a result is stored under a hash of
everything that made it, so it can never be stale, only missing.

A key is a SHA-256 of its parts (source bytes, the settings that matter, the
code and tool versions of whoever computed it). A value is JSON in its own
file under `CACHE_PATH/<name>/`, written to a temporary file and renamed, so
two builds (a serve rebuild and an `invoke build`) can share the folder.
A missing, unreadable or malformed entry only makes a build slower.
"""

from __future__ import annotations

from jinja2 import FileSystemBytecodeCache

from plugins.core.cachekeys import code_version, digest, package_versions
from plugins.core.store import Store

__all__ = ["Store", "TemplateCache", "code_version", "digest", "package_versions"]


class TemplateCache(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, keyed by the environment's
    options too: Jinja keys it by template name only (and checks the
    source), but autoescaping and the other options are compiled into the
    code, so code compiled with autoescaping off must never serve a build
    with it on."""

    def __init__(self, directory, options: dict):
        super().__init__(str(directory))
        self.options = repr(
            sorted((k, repr(v)) for k, v in options.items() if k != "bytecode_cache")
        )

    def get_cache_key(self, name, filename=None) -> str:
        return digest("jinja", self.options, name, filename or "")
