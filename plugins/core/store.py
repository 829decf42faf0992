"""A content-addressed store: JSON values by key (a hash of everything that
made them, `plugins.core.cachekeys`), so an entry can never be stale, only
missing.

The entries of one store live in one SQLite file (`store.sqlite3` in its
folder), not a file each: creating a file costs ~0.5-1 ms on the build
machines, and a cold build stores thousands of values (renders, parsed
pages). Each `put` is its own transaction (no flush to forget, even if the
process ends with `os._exit`); the journal is a write-ahead log without
fsync, which is right for a cache: two builds (a serve rebuild and an
`invoke build`) can share the folder, and a damaged or unreadable file only
makes a build slower (it is started afresh).
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

FILE = "store.sqlite3"


class Store:
    """JSON values by key in `folder` (None: a store that keeps nothing)."""

    def __init__(self, folder: str | os.PathLike | None):
        self.folder = Path(folder) if folder else None
        self.hits = 0
        self.misses = 0
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    def _connect(self) -> sqlite3.Connection:
        self.folder.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.folder / FILE, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")
        db.execute(
            "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value TEXT)"
        )
        return db

    def _conn(self) -> sqlite3.Connection | None:
        """The connection of this process (a forked worker opens its own)."""
        if self.folder is None:
            return None
        if self._db is None or self._pid != os.getpid():
            try:
                self._db = self._connect()
            except sqlite3.DatabaseError:
                # Not a database (damaged, or something else): start afresh.
                for suffix in ("", "-wal", "-shm"):
                    (self.folder / (FILE + suffix)).unlink(missing_ok=True)
                try:
                    self._db = self._connect()
                except (sqlite3.Error, OSError):
                    self.folder = None  # unusable: keep nothing this build
                    return None
            except (sqlite3.Error, OSError):
                self.folder = None
                return None
            self._pid = os.getpid()
        return self._db

    def close(self) -> None:
        """Close the connection (before forking workers; reopened on use)."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def get(self, key: str):
        """The value stored under `key`, or None."""
        db = self._conn()
        try:
            row = (
                db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
                if db is not None
                else None
            )
            value = json.loads(row[0]) if row is not None else None
        except (sqlite3.Error, ValueError, TypeError):
            value = None
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, key: str, value) -> None:
        """Store `value` (JSON-serialisable); a full or read-only disk is ignored."""
        db = self._conn()
        if db is None:
            return
        try:
            db.execute(
                "INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)",
                (key, json.dumps(value, ensure_ascii=False)),
            )
        except sqlite3.Error:
            pass  # a cache that cannot be written only costs time next build
