"""The files the last good build wrote, for a build that may take them over.

A build writes into a fresh folder (pipeline/site.py); the last good site is
beside it. A file whose inputs did not change (its *key*: a digest of
everything it is made from) need not be made again: `take(name, key)` gives
the last site's bytes when the last build wrote that file for that key and
the file is still there, unchanged (its digest is checked); `keep` records
what this build wrote. The pipeline puts one `LastSite` on the build's run
(`LastSite.of(settings)`); a plugin that writes files may use it.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from .cachekeys import short_digest
from .run import RUN_SETTING, BuildRun
from .store import Store

LAST_SITE = "last site"  # BuildRun.data


class LastSite:
    """What the last build wrote (`store`: name -> key and digest) and where
    its site is (`previous`); how many files this build took from it and
    which it made."""

    def __init__(self, store: Store, previous):
        self.store = store
        self.previous = Path(previous) if previous else None
        self.taken = 0
        self.made: list[str] = []

    @staticmethod
    def of(settings) -> LastSite | None:
        run = settings.get(RUN_SETTING)
        return run.data.get(LAST_SITE) if isinstance(run, BuildRun) else None

    def take(self, name: str, key: str) -> bytes | None:
        """The last site's `name` if it was written for `key` and is unchanged."""
        entry = self.store.get(f"file:{name}")
        if self.previous is None or not isinstance(entry, dict):
            return None
        if entry.get("key") != key:
            return None
        try:
            data = (self.previous / name).read_bytes()
        except OSError:
            return None
        if short_digest(data) != entry.get("digest"):
            return None
        self.taken += 1
        return data

    def keep(self, name: str, key: str, data: bytes) -> None:
        """Record that this build wrote `data` as `name` for `key`."""
        self.made.append(name)
        self.store.put(f"file:{name}", {"key": key, "digest": short_digest(data)})

    def take_tree(self, name: str, key: str, site, skip=()) -> bool:
        """Copy the last site's folder `name` into `site` if it was made for
        `key` and is unchanged (files named in `skip` are neither compared
        nor copied); False: it must be made."""
        entry = self.store.get(f"tree:{name}")
        if self.previous is None or not isinstance(entry, dict):
            return False
        if entry.get("key") != key:
            return False
        source = self.previous / name
        if tree_digest(source, skip) != entry.get("digest"):
            return False
        try:
            shutil.copytree(source, Path(site) / name, ignore=lambda *_: skip)
        except OSError:
            shutil.rmtree(Path(site) / name, ignore_errors=True)
            return False
        self.taken += 1
        return True

    def keep_tree(self, name: str, key: str, site, skip=()) -> None:
        """Record that this build made the folder `name` of `site` for `key`."""
        self.made.append(name + "/")
        found = tree_digest(Path(site) / name, skip)
        if found is not None:
            self.store.put(f"tree:{name}", {"key": key, "digest": found})


def tree_digest(folder: Path, skip=()) -> str | None:
    """A digest of every file under `folder` (names and bytes); None if it
    is not a folder."""
    if not folder.is_dir() or folder.is_symlink():
        return None
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(folder.rglob("*")):
        if path.name in skip or not path.is_file():
            continue
        h.update(path.relative_to(folder).as_posix().encode() + b"\0")
        h.update(short_digest(path.read_bytes()).encode() + b"\0")
    return h.hexdigest()
