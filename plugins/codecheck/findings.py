"""What a checker reports about one snippet, relative to the snippet."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Finding:
    """A problem at a 1-based line and column of a snippet (0: unknown)."""

    line: int
    column: int
    message: str
    check: str
    severity: str = "error"

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Finding:
        return cls(**data)


class ToolMissing(Exception):
    """A checker's tool is not installed: its blocks are reported unchecked."""


def position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index in `text`."""
    index = max(0, min(index, len(text)))
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column
