"""One finding per link problem, and its formats: text, JSON, GitHub, Markdown."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from plugins.core.problems import (
    ERROR,
    WARNING,
    Problem,
    format_problems,
    markdown_code,
    markdown_text,
)

FORMATS = ("text", "json", "github", "markdown")

OK = "ok"
BROKEN = "broken"
UNKNOWN = "unknown"

INTERNAL = "linkcheck/internal"
EXTERNAL = "linkcheck/external"


@dataclass(frozen=True, order=True)
class Finding:
    """A link problem, located in the Markdown source (or the output page)."""

    path: str
    line: int
    url: str
    severity: str
    outcome: str
    message: str
    status: int | None = None
    check: str = INTERNAL
    page: str = ""  # the output page holding the link, relative to the site
    final_url: str = ""  # where redirects ended, when they did
    column: int = 0

    def problem(self) -> Problem:
        """The shared problem type, for reporters that know only that."""
        return Problem(
            self.path,
            self.line,
            self.column,
            self.severity,
            self.check,
            self.message,
            self.url,
            self.outcome,
            self.status or 0,
        )


def error(path, line, url, message, page="", status=None, check=INTERNAL, **kw):
    return Finding(path, line, url, ERROR, BROKEN, message, status, check, page, **kw)


def warning(path, line, url, message, outcome=UNKNOWN, status=None, **kw):
    kw.setdefault("check", EXTERNAL)
    return Finding(path, line, url, WARNING, outcome, message, status, **kw)


def exit_code(findings) -> int:
    """0: no errors (warnings are fine); 1: at least one broken link."""
    return 1 if any(f.severity == ERROR for f in findings) else 0


def summary(findings) -> str:
    broken = sum(f.severity == ERROR for f in findings)
    return f"{broken} broken link(s), {len(findings) - broken} warning(s)"


def format_findings(findings, fmt: str = "text") -> str:
    """Render findings in one of FORMATS, sorted by file and line."""
    findings = sorted(findings)
    if fmt == "json":
        return json.dumps([asdict(f) for f in findings], indent=2)
    if fmt == "markdown":
        return markdown_summary(findings)
    if fmt in ("text", "github"):
        problems = [f.problem() if isinstance(f, Finding) else f for f in findings]
        return format_problems(problems, fmt)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def markdown_summary(findings, checked: int | None = None) -> str:
    """A Markdown summary for a CI job summary ($GITHUB_STEP_SUMMARY)."""
    findings = sorted(findings)
    broken = [f for f in findings if f.severity == ERROR]
    warned = [f for f in findings if f.severity != ERROR]
    lines = ["## Link check", ""]
    if checked is not None:
        lines.append(f"{checked} link(s) checked.")
    if not findings:
        lines.append("Every link is fine. :white_check_mark:")
        return "\n".join(lines) + "\n"
    lines.append(f"**{len(broken)} broken**, {len(warned)} warning(s).")
    for title, group in (("Broken", broken), ("Warnings", warned)):
        if not group:
            continue
        lines += ["", f"### {title}", "", "| where | link | outcome | message |"]
        lines.append("|---|---|---|---|")
        for f in group:
            where = f"{f.path}:{f.line}" if f.line else f.path
            status = f" ({f.status})" if f.status else ""
            lines.append(
                f"| {markdown_code(where)} | {markdown_text(f.url) or '(empty)'} "
                f"| {markdown_text(f.outcome)}{status} | {markdown_text(f.message)} |"
            )
    return "\n".join(lines) + "\n"


__all__ = ["ERROR", "WARNING", "Finding", "format_findings", "exit_code"]
