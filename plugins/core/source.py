"""Read an article's metadata header straight from the Markdown source.

Pelican's reader loses line numbers; authors need them. This parser follows
Python-Markdown's `meta` extension (`Key: value` lines up to the first blank
line, continuation lines indented) and remembers where each field is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
MORE_RE = re.compile(r"^[ ]{4,}(?P<value>.*)$")
FENCE_RE = re.compile(r"^-{3}\s*$")


@dataclass
class Field:
    name: str
    value: str
    line: int


@dataclass
class Header:
    """The header fields of one source file, by lowercase name."""

    fields: dict[str, Field] = field(default_factory=dict)
    end_line: int = 0  # last line of the header (0 when there is none)
    repeated: list[Field] = field(default_factory=list)

    def get(self, name: str) -> Field | None:
        return self.fields.get(name)

    def value(self, name: str, default: str = "") -> str:
        found = self.fields.get(name)
        return found.value if found else default

    def line_of(self, name: str) -> int:
        found = self.fields.get(name)
        return found.line if found else 1


def parse_header(text: str) -> Header:
    """Parse the `Key: value` header at the top of a Markdown document."""
    header = Header()
    lines = text.splitlines()
    start = 0
    if lines and FENCE_RE.match(lines[0]):
        start = 1
    current: Field | None = None
    for index in range(start, len(lines)):
        line = lines[index]
        number = index + 1
        if not line.strip() or (start and FENCE_RE.match(line)):
            break
        match = META_RE.match(line)
        if match:
            current = Field(
                match.group("key").lower(), match.group("value").strip(), number
            )
            if current.name in header.fields:
                header.repeated.append(current)
            else:
                header.fields[current.name] = current
            header.end_line = number
            continue
        more = MORE_RE.match(line)
        if more and current is not None:
            current.value = f"{current.value} {more.group('value').strip()}".strip()
            header.end_line = number
            continue
        break
    return header


def split_list(value: str) -> list[str]:
    """Split a comma-separated field, dropping empty items."""
    return [item.strip() for item in value.split(",") if item.strip()]
