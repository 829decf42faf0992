"""Match the people a byline names with `people.toml`, and add the new ones once.

An existing person is found by handle (without `@`, any case), then by name
(any case, accents and spacing ignored), then by key. A new person gets a key
made from the name (or the handle), their handle and link, and is appended to
the registry file as a `[key]` table; the file is otherwise left as it is.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from unidecode import unidecode

from plugins.advent.people import KEY_RE, load_registry

from .bylines import PersonRef

# Stands in for a person the archive does not credit (the rules need an editor).
ARCHIVE_KEY = "sysadvent-archive"
ARCHIVE_ENTRY = {
    "name": "SysAdvent archive",
    "bio": (
        "Stands in for a person the Blogger archive does not credit, "
        "on articles imported from it."
    ),
}


def _fold(text: str) -> str:
    return " ".join(unidecode(text).casefold().replace(".", " ").split())


def make_key(ref: PersonRef) -> str:
    """A registry key for a person: `eric-sigler` from "Eric Sigler"."""
    base = unidecode(ref.name or ref.handle).lower()
    key = re.sub(r"[^a-z0-9]+", "-", base).strip("-")
    return key if KEY_RE.match(key or "") else "person"


@dataclass
class Added:
    key: str
    entry: dict


@dataclass
class People:
    """The registry as the import sees it, with what the import adds."""

    path: Path
    entries: dict[str, dict] = field(default_factory=dict)  # key -> fields
    added: list[Added] = field(default_factory=list)
    problems: list = field(default_factory=list)

    @classmethod
    def load(cls, path) -> People:
        path = Path(path)
        registry, problems = load_registry(path)
        entries = {
            key: {"name": p.name, "handle": p.handle, "links": list(p.links)}
            for key, p in registry.people.items()
        }
        return cls(path, entries, problems=problems)

    def find(self, ref: PersonRef) -> str | None:
        """The key of the registered person a byline names, or None."""
        if ref.handle:
            wanted = ref.handle.lower().lstrip("@")
            for key, entry in self.entries.items():
                if entry.get("handle", "").lower().lstrip("@") == wanted:
                    return key
        if ref.name:
            wanted = _fold(ref.name)
            for key, entry in self.entries.items():
                if entry.get("name") and _fold(entry["name"]) == wanted:
                    return key
        key = make_key(ref)
        if key in self.entries and not (ref.handle and self.entries[key].get("handle")):
            return key
        return None

    def resolve(self, ref: PersonRef) -> tuple[str, bool]:
        """(key, is_new): the person's key, adding them when unknown."""
        found = self.find(ref)
        if found:
            return found, False
        key = base = make_key(ref)
        number = 2
        while key in self.entries:
            key, number = f"{base}-{number}", number + 1
        entry = {}
        if ref.name:
            entry["name"] = ref.name
        if ref.handle:
            entry["handle"] = ref.handle
        if ref.url.startswith(("https://", "http://")):
            entry["links"] = [ref.url]
        self.entries[key] = entry
        self.added.append(Added(key, entry))
        return key, True

    def archive(self) -> tuple[str, bool]:
        """The stand-in person for a role nobody is credited with."""
        if ARCHIVE_KEY in self.entries:
            return ARCHIVE_KEY, False
        self.entries[ARCHIVE_KEY] = dict(ARCHIVE_ENTRY)
        self.added.append(Added(ARCHIVE_KEY, dict(ARCHIVE_ENTRY)))
        return ARCHIVE_KEY, True

    def toml_of_added(self) -> str:
        """The `[key]` tables of everyone added, as TOML text."""
        return "".join(toml_table(a.key, a.entry) for a in self.added)

    def save(self) -> bool:
        """Append the added people to the registry file; True when it changed."""
        if not self.added:
            return False
        text = self.path.read_text(encoding="utf-8") if self.path.exists() else ""
        if text and not text.endswith("\n"):
            text += "\n"
        text += self.toml_of_added()
        tomllib.loads(text)  # what is written must read back
        self.path.write_text(text, encoding="utf-8")
        return True


def _string(value: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes).
    return json.dumps(value, ensure_ascii=False)


def toml_table(key: str, entry: dict) -> str:
    """One registry table, e.g. `[eric-sigler]` with name, handle, links, bio."""
    lines = ["", f"[{key}]"]
    for name in ("name", "handle", "bio"):
        if entry.get(name):
            lines.append(f"{name} = {_string(entry[name])}")
    if entry.get("links"):
        lines.append(f"links = [{', '.join(_string(u) for u in entry['links'])}]")
    return "\n".join(lines) + "\n"
