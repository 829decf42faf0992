"""The people registry: authors and editors kept once, named by key."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from plugins.core.problems import display_path, error

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
ALLOWED_FIELDS = {"name", "handle", "links", "bio"}


@dataclass(frozen=True)
class Person:
    """An author or editor. Either `name` or `handle` may be missing, not both."""

    key: str
    name: str = ""
    handle: str = ""
    links: tuple[str, ...] = ()
    bio: str = ""
    line: int = 0

    @property
    def display_name(self) -> str:
        return self.name or f"@{self.handle}"

    @property
    def url(self) -> str:
        return f"people/{self.key}/"

    def __str__(self) -> str:
        return self.display_name


@dataclass
class Registry:
    path: str
    people: dict[str, Person] = field(default_factory=dict)

    def __contains__(self, key) -> bool:
        return key in self.people

    def __getitem__(self, key) -> Person:
        return self.people[key]

    def keys(self):
        return self.people.keys()


def _table_lines(text: str) -> dict[str, int]:
    """Line number of each `[key]` table header, for reporting."""
    lines = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"\s*\[\s*\"?([^\]\"]+)\"?\s*\]\s*(#.*)?$", line)
        if match:
            lines.setdefault(match.group(1).strip(), number)
    return lines


def load_registry(path) -> tuple[Registry, list]:
    """Read the registry file; return it with the problems found in it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        registry = Registry(display_path(path))
        return registry, [error(path, 0, "advent/people", "people registry not found")]
    return parse_registry(path, text)


def parse_registry(path, text: str) -> tuple[Registry, list]:
    """The registry in `text` (the file at `path`), with its problems."""
    path = Path(path)
    registry = Registry(display_path(path))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        line = int(match.group(1)) if match else 0
        return registry, [error(path, line, "advent/people", f"invalid TOML: {exc}")]

    problems = []
    lines = _table_lines(text)
    for key, entry in data.items():
        line = lines.get(key, 0)
        if not isinstance(entry, dict):
            problems.append(
                error(path, line, "advent/people", f"{key!r} must be a [table]")
            )
            continue
        if not KEY_RE.match(key):
            problems.append(
                error(
                    path,
                    line,
                    "advent/people",
                    f"key {key!r} must be lowercase letters, digits, '-' or '_'",
                )
            )
        unknown = sorted(set(entry) - ALLOWED_FIELDS)
        if unknown:
            problems.append(
                error(
                    path,
                    line,
                    "advent/people",
                    f"{key}: unknown field(s) {', '.join(unknown)}; "
                    f"allowed: {', '.join(sorted(ALLOWED_FIELDS))}",
                )
            )
        name = entry.get("name", "")
        handle = str(entry.get("handle", "")).lstrip("@")
        if not (name or handle):
            problems.append(
                error(path, line, "advent/people", f"{key}: needs a name or a handle")
            )
        links = entry.get("links", [])
        if isinstance(links, str):
            links = [links]
        registry.people[key] = Person(
            key=key,
            name=str(name),
            handle=handle,
            links=tuple(links),
            bio=str(entry.get("bio", "")),
            line=line,
        )
    return registry, problems
