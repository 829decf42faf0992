"""`invoke linkcheck`: build the site into a temporary folder, check it, report.

Exit status: 0 all links fine (warnings allowed), 1 broken links, 2 the check
could not run (the build failed, the git ref is unknown, ...).
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from plugins.core.problems import ContentError, format_problems, summary_line

from . import recorded_source_map, report
from .external import Stats, external_findings
from .internal import Site, internal_findings
from .settings import with_defaults

# Built "as of" this day, every scheduled article is out and gets checked.
EVERY_ARTICLE = "2999-12-31"

CANNOT_RUN = 2


class CannotRun(Exception):
    """The check cannot run; the message says why."""


def changed_sources(ref: str, content_dir) -> set[str]:
    """Absolute paths of the files under `content_dir` changed since git `ref`.

    Committed, staged and unstaged changes count, and so do new untracked files.
    """
    content_dir = Path(content_dir).resolve()

    def git(*args) -> str:
        done = subprocess.run(
            ["git", "-C", str(content_dir), *args], capture_output=True, text=True
        )
        if done.returncode:
            raise CannotRun(f"git {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    top = Path(git("rev-parse", "--show-toplevel").strip())
    try:
        git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except CannotRun:
        raise CannotRun(f"--changed-since: unknown git ref {ref!r}") from None
    names = git("diff", "--name-only", "--diff-filter=d", ref, "--").splitlines()
    names += git(
        "ls-files", "--others", "--exclude-standard", "--full-name"
    ).splitlines()
    return {str((top / name).resolve()) for name in names if name}


def pages_from(source_map, sources: set[str]) -> list[str]:
    """The output pages built from any of the given source files."""
    return sorted(
        page
        for page, source in source_map.items()
        if str(Path(source).resolve()) in sources
    )


def run(
    build,
    content,
    *,
    external=False,
    fmt="text",
    changed_since=None,
    out=sys.stdout,
    err=sys.stderr,
) -> int:
    """Build with `build(output, overrides) -> settings`, check, print; exit status.

    `content` is the content folder (for --changed-since).
    """
    if fmt not in report.FORMATS:
        print(
            f"linkcheck: unknown format {fmt!r} ({', '.join(report.FORMATS)})", file=err
        )
        return CANNOT_RUN
    output = Path(tempfile.mkdtemp(prefix="linkcheck-site-"))
    try:
        try:
            # Pelican talks on stdout; keep stdout for the report (JSON, ...).
            with contextlib.redirect_stdout(err):
                pelican_settings = build(output, {"LINKCHECK_INTERNAL_ON_BUILD": False})
        except ContentError as exc:
            print(format_problems(exc.problems), file=err)
            print(
                f"linkcheck: the build failed: {summary_line(exc.problems)}", file=err
            )
            return CANNOT_RUN
        settings = with_defaults(pelican_settings)
        source_map = recorded_source_map(output)
        pages = None
        registry = pelican_settings.get("ADVENT_PEOPLE", "people.toml")
        people = registry
        if changed_since:
            try:
                changed = changed_sources(changed_since, content)
            except CannotRun as exc:
                print(f"linkcheck: {exc}", file=err)
                return CANNOT_RUN
            pages = pages_from(source_map, changed)
            if str((Path(content) / registry).resolve()) not in changed:
                people = None
        site = Site.scan(output)
        findings = internal_findings(output, source_map, settings, pages, site=site)
        stats = Stats()
        if external:
            findings += external_findings(
                output,
                source_map,
                settings,
                pages,
                site=site,
                stats=stats,
                people=people,
            )
        checked = len(site.pages) if pages is None else len(pages)
        if fmt == "markdown":
            print(report.markdown_summary(findings), file=out, end="")
        else:
            text = report.format_findings(findings, fmt)
            if text:
                print(text, file=out)
        line = f"linkcheck: {checked} page(s) checked"
        if external:
            line += f", {stats.urls} external URL(s) ({stats.cached} from the cache)"
        print(f"{line}: {report.summary(findings)}", file=err)
        return report.exit_code(findings)
    finally:
        shutil.rmtree(output, ignore_errors=True)
