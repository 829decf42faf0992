"""`invoke check`: every article checked as it will go live, in one build.

The site is built in "check" mode (`pipeline.build`): every scheduled article
is built, each check of the registry runs once, and a link from an article to
one that opens after it is an error. With `--changed-since`, the whole site is
still built and checked, and the report keeps the problems of changed files.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from plugins.core.problems import display_path, format_problems, summary_line

from .build import BuildRequest, BuildResult, build
from .changes import changed_files


@dataclass
class CheckReport:
    problems: list  # what the report shows (all, or those of changed files)
    result: BuildResult
    files: int  # source files the report covers

    @property
    def failed(self) -> bool:
        return any(p.is_error for p in self.problems) or not self.result.built


def run_check(settings_file, content=None, changed_since=None) -> CheckReport:
    """Build every article as of its day into a scratch folder; check it all."""
    changed = (
        changed_files(changed_since, content or "content") if changed_since else None
    )
    with tempfile.TemporaryDirectory(prefix="sysadvent-check-") as tmp:
        result = build(
            BuildRequest(
                settings_file=str(settings_file),
                output=str(Path(tmp) / "site"),
                content=str(content) if content else None,
                mode="check",
            )
        )
    problems = result.problems
    sources = {p for (_, p) in result.calls if p not in ("*", "site")}
    if changed is not None:
        wanted = {display_path(p) for p in changed}
        problems = [p for p in problems if p.path in wanted]
        sources = {p for p in sources if display_path(p) in wanted}
    return CheckReport(problems, result, len(sources))


def step_summary(problems, result, title="sysadvent check") -> str:
    """A Markdown job summary: errors and warnings per check, then every problem."""
    origin = result.origin if result else {}
    ran = {check for check, _ in result.calls} if result else set()
    counts: dict[str, list[int]] = {}
    for name in sorted(ran | set(origin.values())):
        counts[name] = [0, 0]
    for problem in problems:
        row = counts.setdefault(origin.get(problem, problem.check), [0, 0])
        row[0 if problem.is_error else 1] += 1
    lines = [f"## {title}", "", "| check | errors | warnings |", "|---|---|---|"]
    for name, (errors, warnings) in counts.items():
        mark = "❌" if errors else "✅"
        lines.append(f"| {mark} {name} | {errors} | {warnings} |")
    lines += ["", f"**{summary_line(problems)}**", ""]
    if problems:
        lines += [format_problems(problems, "markdown"), ""]
    return "\n".join(lines)


def write_job_summary(problems, result, environ=None, title="sysadvent check") -> bool:
    """Append the summary to $GITHUB_STEP_SUMMARY inside GitHub Actions."""
    environ = os.environ if environ is None else environ
    path = environ.get("GITHUB_STEP_SUMMARY")
    if environ.get("GITHUB_ACTIONS") != "true" or not path:
        return False
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(step_summary(problems, result, title) + "\n")
    return True
