"""`invoke check`: every check of the site as an ordered list of steps.

Each step takes the `CheckContext` and returns a list of `problems.Problem`.
Adding a check is one line in STEPS. Steps see the selected Markdown sources
(`ctx.paths`: all of them, or those changed since a git ref), every article
(`ctx.articles`, so duplicate days are still found) and, after the build step,
the built site in `ctx.output`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from plugins.core.problems import (
    ContentError,
    display_path,
    error,
    format_problems,
    summary_line,
)

from .changes import changed_files
from .sitesettings import article_sources, load_settings, markdown_sources


@dataclass
class CheckContext:
    """What every check step may look at."""

    settings_file: Path
    settings: dict
    content: Path
    paths: list[Path]  # the Markdown sources to check
    articles: list[Path]  # every article source
    output: Path  # the build step writes the site here
    today: str | None = None
    changed: set[Path] | None = None  # None: everything is checked
    built: bool = False

    def selected(self, problem) -> bool:
        """Whether a problem is about a file this run checks."""
        if self.changed is None:
            return True
        wanted = {display_path(str(p)) for p in self.changed}
        return problem.path in wanted


@dataclass
class Step:
    name: str
    run: Callable[[CheckContext], list]
    problems: list = field(default_factory=list)


def metadata_step(ctx: CheckContext) -> list:
    """The advent metadata rules and the people registry (plugins/advent)."""
    from plugins.advent.people import load_registry
    from plugins.advent.rules import check_sources

    people = ctx.content / ctx.settings.get("ADVENT_PEOPLE", "people.toml")
    registry, problems = load_registry(people)
    # All articles, so a changed one that takes an existing day is caught.
    _, found = check_sources(
        [str(p) for p in ctx.articles],
        registry,
        timezone=ctx.settings["TIMEZONE"],
        last_day=ctx.settings.get("ADVENT_LAST_DAY", 25),
    )
    return [p for p in problems + found if ctx.selected(p)]


def content_rules_step(ctx: CheckContext) -> list:
    """Untrusted-content rules (plugins/contentrules)."""
    from plugins.contentrules.rules import check_paths

    return check_paths(ctx.paths, ctx.settings)


def code_blocks_step(ctx: CheckContext) -> list:
    """Syntax of every fenced code block (plugins/codecheck)."""
    from plugins.codecheck import check_paths

    return check_paths(ctx.paths, ctx.settings)


class _ErrorLog(logging.Handler):
    """Keeps the errors Pelican logs without failing (an unreadable file)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def build_step(ctx: CheckContext) -> list:
    """A real build of the whole site into ctx.output."""
    from tasks import run_pelican  # the one way the project runs Pelican

    overrides = {"PATH": str(ctx.content)}
    log = _ErrorLog()
    logging.getLogger().addHandler(log)
    try:
        run_pelican(ctx.settings_file, ctx.output, today=ctx.today, overrides=overrides)
    except ContentError as exc:
        return list(exc.problems)
    finally:
        logging.getLogger().removeHandler(log)
    ctx.built = True
    return [error(ctx.content, 0, "build", message) for message in log.messages]


def internal_links_step(ctx: CheckContext) -> list:
    """Every link, image and anchor inside the built site (plugins/linkcheck)."""
    if not ctx.built:
        return []
    from plugins.linkcheck import check_internal, recorded_source_map, with_defaults

    problems = check_internal(
        ctx.output, recorded_source_map(ctx.output), with_defaults(ctx.settings)
    )
    return [p for p in problems if ctx.selected(p)]


STEPS = [
    Step("metadata", metadata_step),
    Step("content rules", content_rules_step),
    Step("code blocks", code_blocks_step),
    Step("build", build_step),
    Step("internal links", internal_links_step),
]


def make_context(settings_file, content, output, today=None, changed_since=None):
    """Read the settings and pick the sources to check."""
    settings = load_settings(settings_file, content)
    content = Path(settings["PATH"])
    everything = markdown_sources(settings)
    changed = None
    paths = everything
    if changed_since:
        changed = changed_files(changed_since, content)
        paths = [p for p in everything if p.resolve() in changed]
    return CheckContext(
        settings_file=Path(settings_file),
        settings=settings,
        content=content,
        paths=paths,
        articles=article_sources(settings),
        output=Path(output),
        today=today,
        changed=changed,
    )


def run_checks(ctx: CheckContext, steps=None) -> tuple[list, list]:
    """Run every step in order; return all problems (deduplicated) and the steps."""
    steps = [Step(s.name, s.run) for s in (steps or STEPS)]
    seen = set()
    for step in steps:
        for problem in step.run(ctx):
            if problem not in seen:
                seen.add(problem)
                step.problems.append(problem)
    problems = _drop_todo_echoes(sorted(seen))
    return problems, steps


def _drop_todo_echoes(problems) -> list:
    """A TODO placeholder (`Editors: TODO`) is reported once, as a TODO."""
    todo_lines = {(p.path, p.line) for p in problems if p.check == "contentrules/todo"}
    return [
        p
        for p in problems
        if p.check == "contentrules/todo" or (p.path, p.line) not in todo_lines
    ]


def step_summary(problems, steps, title="sysadvent check") -> str:
    """A Markdown job summary: one line per step, then every problem."""
    shown = set(problems)
    lines = [f"## {title}", "", "| check | errors | warnings |", "|---|---|---|"]
    for step in steps:
        found = [p for p in step.problems if p in shown]
        errors = sum(p.is_error for p in found)
        mark = "❌" if errors else "✅"
        lines.append(f"| {mark} {step.name} | {errors} | {len(found) - errors} |")
    lines += ["", f"**{summary_line(problems)}**", ""]
    if problems:
        lines += [format_problems(problems, "markdown"), ""]
    return "\n".join(lines)


def report_to_github(problems, steps, environ=None) -> None:
    """Inside GitHub Actions: annotations on stdout, a Markdown job summary."""
    environ = os.environ if environ is None else environ
    if environ.get("GITHUB_ACTIONS") != "true":
        return
    if problems:
        print(format_problems(problems, "github"), flush=True)
    summary = environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(step_summary(problems, steps) + "\n")
