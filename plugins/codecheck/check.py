"""Check every code block of some Markdown files: the plugin's pure core.

`check_paths(paths, settings)` returns `problems.Problem`s; `run()` also
returns the counts the command prints (blocks, skipped, cached).
"""

from __future__ import annotations

import json
import re
import textwrap
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from plugins.core import codetags as tags
from plugins.core import sessions
from plugins.core.problems import ERROR, WARNING, Problem, display_path
from plugins.core.settings import over_defaults
from plugins.core.source import Source, parse_header, read_source

from . import guess
from .blocks import INDENTED, RAW_HTML, Block, read_blocks
from .cache import FileCache, ResultCache, key
from .characters import check_characters
from .findings import Finding, ToolMissing
from .limits import Limits, Sandbox, cacheable

ROOT = Path(__file__).resolve().parents[2]
# Only `.md` files are content (pelicanconf.py turns other readers off).
MARKDOWN_SUFFIXES = (".md",)
# A unit file's sections: an `ini` block with them is checked as systemd
# (whose keys may repeat: `ExecStart=` twice is valid).
SYSTEMD_SECTION_RE = re.compile(rf"(?m)^\[(?:{guess.SYSTEMD_SECTIONS})\]\s*$")

DEFAULTS = {
    # Errors fail the build (publishconf.py) or are only printed (pelicanconf.py).
    "CODECHECK_FAIL_ON_ERROR": True,
    # Folder of the result cache; None turns caching off.
    "CODECHECK_CACHE": str(ROOT / "cache" / "codecheck"),
    # What an on-purpose placeholder looks like, e.g. <POD IDENTIFIER>.
    "CODECHECK_PLACEHOLDER": tags.DEFAULT_PLACEHOLDER,
    # Extra tag aliases: {"mytag": "pygments-alias"}.
    "CODECHECK_ALIASES": {},
    # ShellCheck codes never reported, e.g. ["SC1091"].
    "CODECHECK_SHELLCHECK_EXCLUDE": [],
}


def with_defaults(settings=None) -> dict:
    """The codecheck settings (checks and limits), defaults filled in."""
    from .limits import DEFAULTS as LIMITS

    return over_defaults({**DEFAULTS, **LIMITS}, settings)


@dataclass
class Skipped:
    path: str
    line: int
    reason: str


@dataclass
class Report:
    """What a run found, and what it did not check."""

    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    blocks: int = 0
    checked: int = 0
    cached: int = 0
    skipped: list[Skipped] = field(default_factory=list)

    def summary(self) -> str:
        errors = sum(p.severity == ERROR for p in self.problems)
        warnings = len(self.problems) - errors
        text = (
            f"codecheck: {self.blocks} code block(s) in {self.files} file(s), "
            f"{self.checked} checked ({self.cached} from cache), "
            f"{len(self.skipped)} skipped; {errors} error(s), {warnings} warning(s)"
        )
        for skip in self.skipped:
            text += f"\n  skipped {display_path(skip.path)}:{skip.line}: {skip.reason}"
        return text


@dataclass
class Job:
    """One block to check as `kind`, its prepared text and prompt offsets."""

    block: Block
    kind: str
    text: str
    offsets: list[int]
    report: Report | None = None  # the report of the block's file
    findings: list[Finding] | None = None
    missing: str = ""
    key: str = ""
    extra: list[Finding] = field(default_factory=list)  # look-alike characters
    read_as: str = ""  # an untagged block checked as a guessed language


def markdown_files(paths) -> list[Path]:
    """Markdown files named or found under folders; FileNotFoundError if absent."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix in MARKDOWN_SUFFIXES and p.is_file()
                )
            )
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return found


def check_paths(paths, settings=None) -> list[Problem]:
    """Every problem in the code blocks of the Markdown files under `paths`."""
    return run(paths, settings).problems


def run(paths, settings=None) -> Report:
    """Check files and folders of Markdown; see `check_paths`."""
    sources = [read_source(path) for path in markdown_files(paths)]
    report = check_sources([s for s in sources if s.ok], settings)
    for source in sources:  # not text: reported, never a traceback
        report.problems.extend(source.problems)
    return report


def _as_source(item) -> Source:
    """A Source from a Source or a (path, text) pair."""
    if isinstance(item, Source):
        return item
    path, text = item
    return Source(path=str(path), text=text, header=parse_header(text))


def check_sources(sources, settings=None) -> Report:
    """Check Markdown sources: `plugins.core.source.Source` objects (their cached
    parse is the page's) or (path, text) pairs.

    A file whose text, settings and tools are those of its cached check is
    not parsed again; the others are parsed and their blocks checked (each
    block from the block cache when it can). A source that could not be read
    is skipped: its own problems are reported where it is read.
    """
    return plan_sources(sources, settings).run()


class Planned:
    """The blocks of a set of sources, read and waiting for their checkers
    (`run`): it no longer touches the sources, so it can run in a thread."""

    def __init__(self, options, parts, fresh, jobs, file_cache, files):
        self.options = options
        self.parts = parts  # one Report per source, in order
        self.fresh = fresh  # (path, file key, report, jobs) of uncached files
        self.jobs = jobs
        self.file_cache = file_cache
        self.files = files

    def run(self) -> Report:
        """Run the checkers; every file's report, merged and sorted."""
        _run_jobs(self.jobs, self.options)
        for job in self.jobs:
            _report_job(job, job.report)
        for path, file_key, part, file_jobs in self.fresh:
            # A block left unchecked (a missing tool, a limit) must be checked
            # next time.
            if all(
                job.findings is not None and cacheable(job.findings)
                for job in file_jobs
            ):
                self.file_cache.put(path, file_key, _to_cache(part))
        self.file_cache.save()
        report = Report(files=self.files)
        for part in self.parts:
            report.problems.extend(part.problems)
            report.blocks += part.blocks
            report.checked += part.checked
            report.cached += part.cached
            report.skipped.extend(part.skipped)
        report.problems.sort()
        return report


def plan_sources(sources, settings=None) -> Planned:
    """Read the blocks of `sources` (see `check_sources`); check nothing yet."""
    options = with_defaults(settings)
    aliases = options["CODECHECK_ALIASES"] or {}
    placeholder = (
        re.compile(options["CODECHECK_PLACEHOLDER"])
        if options["CODECHECK_PLACEHOLDER"]
        else None
    )
    file_cache = FileCache(options["CODECHECK_CACHE"])
    fingerprint = settings_fingerprint(options)
    parts: list[Report] = []
    fresh: list[tuple[str, str, Report, list[Job]]] = []
    jobs: list[Job] = []
    sources = [_as_source(item) for item in sources]
    for source in sources:
        path = source.path
        if not source.ok:
            parts.append(Report(files=1))
            continue
        file_key = key("file", source.text, fingerprint)
        part = _from_cache(file_cache.get(path, file_key), path)
        if part is None:
            part = Report(files=1)
            file_jobs = _plan_file(source, part, aliases, placeholder)
            fresh.append((path, file_key, part, file_jobs))
            jobs.extend(file_jobs)
        parts.append(part)
    return Planned(options, parts, fresh, jobs, file_cache, len(sources))


def settings_fingerprint(options: dict) -> str:
    """Every CODECHECK_ setting that can change what a file's check reports."""
    relevant = {
        name: value
        for name, value in options.items()
        if name not in ("CODECHECK_CACHE", "CODECHECK_FAIL_ON_ERROR")
    }
    return json.dumps(relevant, sort_keys=True, default=repr)


def _plan_file(source: Source, part: Report, aliases, placeholder) -> list[Job]:
    """Parse one source: report its own problems, return its blocks to check."""
    path = source.path
    doc = read_blocks(source)
    for marker in doc.stray_markers:
        part.problems.append(
            _problem(path, marker.line, 0, ERROR, "code/marker", marker.problem)
        )
    jobs = []
    for block in doc.blocks:
        part.blocks += 1
        job = _plan(block, part, aliases, placeholder)
        if job is not None:
            job.report = part
            jobs.append(job)
    return jobs


def _to_cache(part: Report) -> dict:
    """A file's report as JSON, without its path (added back when read)."""
    return {
        "blocks": part.blocks,
        "checked": part.checked,
        "skipped": [[skip.line, skip.reason] for skip in part.skipped],
        "problems": [
            [p.line, p.column, p.severity, p.check, p.message] for p in part.problems
        ],
    }


def _from_cache(entry: dict | None, path: str) -> Report | None:
    """The report of a cached file check at `path`; None if absent or malformed."""
    if entry is None:
        return None
    try:
        checked = int(entry["checked"])
        part = Report(
            files=1,
            blocks=int(entry["blocks"]),
            checked=checked,
            cached=checked,
            skipped=[
                Skipped(path, int(line), str(why)) for line, why in entry["skipped"]
            ],
        )
        for line, column, severity, check, message in entry["problems"]:
            part.problems.append(
                _problem(
                    path,
                    int(line),
                    int(column),
                    str(severity),
                    str(check),
                    str(message),
                )
            )
    except (KeyError, TypeError, ValueError):
        return None
    return part


def _problem(path, line, column, severity, check, message) -> Problem:
    return Problem(display_path(path), line, column, severity, check, message)


def _untagged(block: Block, report: Report) -> str | None:
    """Warn about a block without a tag; the language to check it as, if sure."""
    path, line = block.path, block.fence_line
    found = guess.guess(block.text)
    hinted = found.lang if found is not None and found.hint else None
    if block.form == RAW_HTML:
        message = (
            "raw HTML <pre> block: write a fenced code block with a language tag "
            "(```text for output) so it is highlighted and checked"
        )
        check = "code/html-pre"
    elif block.form == INDENTED:
        hint = f" (it looks like {hinted}: ```{hinted})" if hinted else ""
        message = (
            "indented code block: fence it with ``` and a language tag"
            + hint
            + ", or ```text for output, so it is highlighted and checked"
        )
        check = "code/indented"
    else:
        hint = (
            f"it looks like {hinted}: write ```{hinted} (or ```text for output)"
            if hinted
            else "add one (```text for plain output)"
        )
        message = f"code block has no language tag; {hint}"
        check = "code/untagged"
    report.problems.append(_problem(path, line, 0, WARNING, check, message))
    if block.form == INDENTED and found is not None:
        if found.confidence >= guess.CHECK_CONFIDENCE and tags.kind_of(found.lang):
            return found.lang
    return None


def _plan(block: Block, report: Report, aliases, placeholder) -> Job | None:
    """Report tag, fence and marker problems; return what to check, if anything."""
    path, line = block.path, block.fence_line
    add = report.problems.append
    marker = block.marker
    if marker is not None and marker.problem:
        add(_problem(path, marker.line, 0, ERROR, "code/marker", marker.problem))
    if not block.closed:
        add(_problem(path, line, 0, ERROR, "code/fence", "code block is never closed"))
    if block.info_error:
        add(_problem(path, line, 0, ERROR, "code/fence", block.info_error))
    lang, read_as = block.lang, ""
    if lang is None:
        lang = read_as = _untagged(block, report)
        if lang is None:
            return None
    if tags.canonical(lang, aliases) is None:
        close = tags.suggest(lang, aliases)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        add(
            _problem(
                path,
                line,
                0,
                ERROR,
                "code/tag",
                f"unknown language tag {lang!r}{hint}",
            )
        )
        return None
    if marker is not None and marker.kind == "skip" and not marker.problem:
        report.skipped.append(Skipped(path, line, marker.reason))
        return None
    kind = tags.kind_of(lang, aliases)
    if kind is None:
        if marker is not None and marker.kind == "expect-error":
            message = f"expect-error on a {lang!r} block, which is not checked"
            add(_problem(path, marker.line, 0, ERROR, "code/marker", message))
        return None
    text, shift = block.text, 0
    if read_as:
        # An indented block in a list item may keep some indentation: the
        # guess was made without it, so is the check (columns shifted back).
        text = textwrap.dedent(text)
        first = next((line for line in block.text.split("\n") if line.strip()), "")
        shift = len(first) - len(first.lstrip())
    if kind == "ini" and SYSTEMD_SECTION_RE.search(text):
        kind = "systemd"
    if placeholder is not None and kind not in tags.MARKUP_KINDS:
        # Same length, so lines and columns stay put: <POD ID> -> _POD_ID_
        text = placeholder.sub(lambda m: re.sub(r"\W", "_", m.group()), text)
    offsets = [0] * (text.count("\n") + 1)
    session = {"console": sessions.shell_session, "pycon": sessions.python_session}.get(
        kind
    )
    if session is not None:
        script = session(text)
        if not script.commands:
            message = (
                f"{lang} block has no prompt ($ , # or >>> ), so nothing was "
                "checked; tag commands as shell/python and output as text"
            )
            add(_problem(path, line, 0, WARNING, "code/session", message))
            return None
        kind = "shell" if kind == "console" else "python"
        text, offsets = script.text, script.offsets
    elif kind == "sql":
        script = sessions.psql_session(text)
        text, offsets = script.text, script.offsets
    job = Job(block, kind, text, [offset + shift for offset in offsets])
    job.extra = check_characters(text, kind)
    job.read_as = read_as or ""
    return job


def _run_jobs(jobs: list[Job], options) -> None:
    """Fill in findings: from the block cache, else one batch per kind."""
    results = ResultCache(options["CODECHECK_CACHE"])
    exclude = tuple(options["CODECHECK_SHELLCHECK_EXCLUDE"] or ())
    todo: dict[str, list[Job]] = {}
    for job in jobs:
        job_options = ",".join(exclude) if job.kind == "shell" else ""
        job.key = key(job.kind, job.text, job_options)
        cached = results.get(job.key)
        if cached is None:
            todo.setdefault(job.kind, []).append(job)
        else:
            job.findings = cached
            job.report.cached += 1
    shell_jobs = todo.pop("shell", [])
    limits = Limits.from_options(options)
    # Every checker runs in a worker process with a time and memory limit per
    # block (plugins/codecheck/limits.py). The shell tools' worker runs while
    # the other one checks the other languages.
    with (
        ThreadPoolExecutor(max_workers=1) as pool,
        Sandbox(limits) as sandbox,
        Sandbox(limits) as shell_sandbox,
    ):
        shell = (
            pool.submit(
                shell_sandbox.check_shell, [job.text for job in shell_jobs], exclude
            )
            if shell_jobs
            else None
        )
        for kind, batch in todo.items():
            _fill(batch, [sandbox.check(kind, job.text) for job in batch], results)
        if shell is not None:
            _fill(shell_jobs, shell.result(), results)
    results.save()


def _fill(batch: list[Job], found: list, results: ResultCache) -> None:
    """Give each job its findings (or the tool it misses) and cache them."""
    for job, findings in zip(batch, found, strict=True):
        if isinstance(findings, ToolMissing):
            job.missing = str(findings)
            continue
        job.findings = findings
        if cacheable(findings):
            results.put(job.key, findings)


def _report_job(job: Job, report: Report) -> None:
    block = job.block
    path = block.path
    marker = block.marker
    expect_error = (
        marker is not None and marker.kind == "expect-error" and not marker.problem
    )
    if job.findings is None:
        report.problems.append(
            _problem(
                path,
                block.fence_line,
                0,
                WARNING,
                "code/unchecked",
                f"{block.lang or job.read_as} block not checked: "
                f"{job.missing or 'checker failed'}",
            )  # fmt: skip
        )
        return
    report.checked += 1
    # One report per defect: a look-alike character also makes the language's
    # own checker fail on that line; the character says what to fix.
    marked = {finding.line for finding in job.extra}
    findings = job.extra + [f for f in job.findings if f.line not in marked]
    errors = [f for f in findings if f.severity == ERROR]
    if expect_error:
        if not errors:
            report.problems.append(
                _problem(
                    path,
                    marker.line,
                    0,
                    ERROR,
                    "code/marker",
                    "block marked expect-error has no error now; remove the marker",
                )  # fmt: skip
            )
        return
    lines = block.text.count("\n") or 1
    note = (
        f" (an untagged block read as {job.read_as}; tag it if it is not)"
        if job.read_as
        else ""
    )
    for finding in sorted(findings, key=lambda f: (f.line, f.column)):
        if finding.line:
            line = min(finding.line, lines)
            md_line = block.first_line + line - 1
            column = finding.column
            if column and line <= len(job.offsets):
                column += block.indent + job.offsets[line - 1]
        else:
            md_line, column = block.fence_line, 0
        report.problems.append(
            _problem(
                path,
                md_line,
                column,
                finding.severity,
                finding.check,
                finding.message + note,
            )
        )


__all__ = ["check_paths", "run", "check_sources", "Report", "with_defaults", "DEFAULTS"]
