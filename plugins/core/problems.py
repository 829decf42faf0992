"""One problem type and one reporter shared by every check of the project.

Every checker (metadata, code blocks, links, content rules) reports
`Problem` objects against the Markdown source, and every command prints
them through `format_problems`, so they all speak the same way.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"

FORMATS = ("text", "json", "github", "markdown")

# What a terminal or a log viewer would act on instead of showing: C0 and C1
# controls (ESC starts colour and cursor sequences; CR, LF and TAB can forge
# report lines), DEL, the Unicode line separators and the bidirectional
# embedding, override and isolate marks ("Trojan Source").
_UNPRINTABLE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text) -> str:
    """`text` safe to print on a terminal or in a CI log: every control,
    line-separator and bidirectional-override character shown as a visible
    escape (ESC as `\\x1b`, U+202E as `\\u202e`), so it stays on one line."""
    return _UNPRINTABLE.sub(_visible, str(text))


def github_data(text) -> str:
    """A workflow command's message, escaped as GitHub reads it (%, CR, LF);
    other controls shown as escapes (the log viewer renders ANSI codes)."""
    text = str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(text)


def github_property(text) -> str:
    """A workflow command's property value (file=, title=), escaped as GitHub
    reads it: a ':' or ',' would end the value."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass(frozen=True, order=True)
class Problem:
    """A problem found in a source file, at a 1-based line (0 when unknown)."""

    path: str
    line: int
    column: int
    severity: str
    check: str
    message: str
    # Link problems also say which URL, with what outcome and HTTP status.
    url: str = ""
    outcome: str = ""
    status: int = 0

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def location(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        if self.line and self.column:
            where += f":{self.column}"
        return where

    def as_text(self) -> str:
        """One line for a terminal: content never adds lines or escape codes."""
        return printable(
            f"{self.location()}: {self.severity} [{self.check}] {self.message}"
        )

    def as_github(self) -> str:
        """A workflow command (annotation) that content cannot forge or end:
        GitHub's escapes for the message and the properties."""
        message = github_data(self.message)
        props = [f"file={github_property(self.path)}"]
        if self.line:
            props.append(f"line={self.line}")
        if self.column:
            props.append(f"col={self.column}")
        props.append(f"title={github_property(self.check)}")
        return f"::{self.severity} {','.join(props)}::{message}"


def error(path, line, check, message, column=0) -> Problem:
    """Shorthand for an error-severity problem."""
    return Problem(display_path(path), line, column, ERROR, check, message)


def warning(path, line, check, message, column=0) -> Problem:
    """Shorthand for a warning-severity problem."""
    return Problem(display_path(path), line, column, WARNING, check, message)


def display_path(path) -> str:
    """A path as authors see it: relative to the working folder when inside it."""
    path = os.fspath(path)
    if os.path.isabs(path):
        rel = os.path.relpath(path)
        if not rel.startswith(".."):
            return rel
    return path


def clashes(groups):
    """For every item of a group of two or more, yield (key, item, others):
    `others` names the other items' files, so a clash is reported on each
    file and names all the rest. `groups` maps a key to items with a `.path`."""
    for key, items in groups.items():
        if len(items) < 2:
            continue
        for item in items:
            others = ", ".join(display_path(o.path) for o in items if o is not item)
            yield key, item, others


def has_errors(problems) -> bool:
    return any(p.is_error for p in problems)


def format_problems(problems, fmt: str = "text") -> str:
    """Render problems in one of FORMATS, sorted by file and line."""
    problems = sorted(problems)
    if fmt == "json":
        return json.dumps([asdict(p) for p in problems], indent=2)
    if fmt == "github":
        return "\n".join(p.as_github() for p in problems)
    if fmt == "text":
        return "\n".join(p.as_text() for p in problems)
    if fmt == "markdown":
        return markdown_table(problems)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


# The characters that can start or end something in a GitHub Markdown line
# (code, emphasis, strikethrough, links, images, HTML, entities, autolinks,
# emoji, mentions, issue links, math, table cells). CommonMark lets any ASCII
# punctuation be escaped with a backslash, and then it is only that character.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_~\[\]()!<>&|:@#$])")
_BACKTICKS = re.compile(r"`+")


def markdown_text(text) -> str:
    """`text` as literal text in one Markdown table cell (a GitHub job
    summary): authors' words quoted in a message cannot become a link, an
    image, HTML, an emphasis, a mention or a new row or line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", printable(text))


def markdown_code(text) -> str:
    """`text` as a code span in one Markdown table cell, however many
    backticks it holds (a file name is the author's too)."""
    text = printable(text).replace("|", "\\|")
    fence = "`" * (max(map(len, _BACKTICKS.findall(text)), default=0) + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def markdown_table(problems) -> str:
    """Problems as a Markdown table (e.g. a GitHub Actions job summary)."""
    rows = ["| where | severity | check | message |", "|---|---|---|---|"]
    for p in problems:
        rows.append(
            f"| {markdown_code(p.location())} | {p.severity} "
            f"| {markdown_text(p.check)} | {markdown_text(p.message)} |"
        )
    return "\n".join(rows)


def summary_line(problems) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    return f"{errors} error(s), {warnings} warning(s)"


class ContentError(Exception):
    """Raised by a plugin when the content has errors; carries every problem."""

    exitcode = 1

    def __init__(self, problems):
        self.problems = sorted(problems)
        super().__init__(
            "the content has errors:\n" + format_problems(self.problems, "text")
        )
