"""The command surface of the project: `invoke --list` shows every task.

Tasks only read their options, call `pipeline/` and print what comes back.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from invoke import Exit

from pipeline.cli import HELP, fail_on, task, today_of, valid_format, whole

ROOT = Path(__file__).resolve().parent
OUTPUT = ROOT / "output"
DEV_SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"


def _settings_file(publish):
    return PUBLISH_SETTINGS if publish else DEV_SETTINGS


@task(help=HELP["build"])
def build(c, today=None, publish=False, output=str(OUTPUT), content=None):
    """Build the site into output/ (a failed build leaves it untouched)."""
    from pipeline.site import build_site

    today_of(today, DEV_SETTINGS)
    result = build_site(
        _settings_file(publish), output, today=today, content=content, search=True
    )
    fail_on(result, "build")
    print(f"built {output} ({result.files} files)")


@task(help=HELP["serve"])
def serve(c, port=None, today=None):
    """Build, serve at http://127.0.0.1:PORT and rebuild on every change."""
    from pipeline.serve import serve as run_serve

    today_of(today, DEV_SETTINGS)
    run_serve(DEV_SETTINGS, OUTPUT, port=whole(port, "port", 8000), today=today)


@task(help=HELP["test"])
def test(c, args=""):
    """Run the whole test suite."""
    c.run(f"{sys.executable} -m pytest {args}", pty=sys.stdout.isatty())


@task()
def lint(c):
    """ruff check and ruff format --check."""
    c.run(f"{sys.executable} -m ruff check .")
    c.run(f"{sys.executable} -m ruff format --check .")


@task()
def clean(c):
    """Remove the built site and caches."""
    import shutil

    for path in (OUTPUT, ROOT / "cache", ROOT / ".pytest_cache"):
        shutil.rmtree(path, ignore_errors=True)


@task(iterable=["path"], help=HELP["codecheck"])
def codecheck(c, path=None, format="text"):
    """Check the code blocks of articles only (default: all of content/).

    Exit 0 without errors, 1 with errors, 2 when the check could not run.
    """
    from pipeline.settings import load_settings
    from plugins.codecheck import run
    from plugins.core.problems import format_problems, has_errors

    valid_format(format, ("text", "json", "github"))
    paths = [*(path or []), *shlex.split(getattr(c, "remainder", ""))]
    try:
        report = run(paths or [ROOT / "content"], load_settings(DEV_SETTINGS))
    except FileNotFoundError as exc:
        raise Exit(f"codecheck: {exc}", code=2) from None
    if report.problems or format == "json":
        print(format_problems(report.problems, format))
    print(report.summary(), file=sys.stderr)
    if has_errors(report.problems):
        raise Exit(code=1)


@task(help=HELP["new"])
def new(c, title, author, year=None, day=None, name=None, handle=None, editor=None, tags=None, content=None, today=None):  # fmt: skip
    """Create a new article with every field filled in or marked TODO."""
    from pipeline.newpost import NewPostError, command

    fields = dict(title=title, author=author, name=name, handle=handle, editor=editor,
                  tags=tags, year=whole(year, "year"), day=whole(day, "day"))  # fmt: skip
    try:
        print(command(DEV_SETTINGS, content, today_of(today, DEV_SETTINGS), **fields))
    except NewPostError as exc:
        raise Exit(f"invoke new: {exc}", code=1) from None


@task(help=HELP["check"])
def check(c, changed_since=None, publish=False, content=None, format="text"):
    """Every check on every article as it will go live; exit 1 on errors."""
    from pipeline.changes import GitError
    from pipeline.checks import run_check, write_job_summary
    from plugins.core.problems import format_problems, summary_line

    valid_format(format)
    try:
        report = run_check(_settings_file(publish), content, changed_since)
    except GitError as exc:
        raise Exit(f"invoke check: {exc}", code=2) from None
    write_job_summary(report.problems, report.result)
    if report.problems or format == "json":
        print(format_problems(report.problems, format))
    scope = f" changed since {changed_since}" if changed_since else ""
    print(f"checked {report.files} file(s){scope}: {summary_line(report.problems)}", file=sys.stderr)  # fmt: skip
    if report.failed:
        raise Exit(code=1)


@task(help=HELP["calendar"])
def calendar(c, year=None, today=None, content=None):
    """Show a season day by day: published, scheduled, draft or empty."""
    from pipeline.agenda import report
    from pipeline.settings import load_settings

    now = today_of(today, DEV_SETTINGS)
    settings = load_settings(DEV_SETTINGS, content)
    print(report(settings, whole(year, "year", now.year), now))


@task(help=HELP["publish"])
def publish(c, target=None, gh_pages=False, remote="origin", branch="gh-pages", today=None, content=None):  # fmt: skip
    """Build with publishconf.py, run every check, and only then deploy."""
    from pipeline.checks import write_job_summary
    from pipeline.publish import PublishError
    from pipeline.publish import publish as run_publish
    from plugins.core.problems import format_problems, summary_line

    if bool(target) == bool(gh_pages):
        raise Exit("invoke publish: give either --target DIR|user@host:path or --gh-pages", code=2)  # fmt: skip
    today_of(today, DEV_SETTINGS)
    try:
        problems, pings = run_publish(PUBLISH_SETTINGS, content, target=target, gh_pages_remote=remote if gh_pages else None, branch=branch, today=today, repo=ROOT)  # fmt: skip
    except PublishError as exc:
        if exc.problems:
            print(format_problems(exc.problems), file=sys.stderr)
            print(summary_line(exc.problems), file=sys.stderr)
        raise Exit(f"invoke publish: {exc}; nothing was deployed", code=1) from None
    if problems:
        print(format_problems(problems), file=sys.stderr)
    write_job_summary(problems, None, title="sysadvent publish")
    print(f"published to {target or f'{remote} {branch}'}")
    for ping in pings:  # the site is live: a hub that missed it is only a warning
        if not ping.ok:
            print(f"warning: WebSub hub did not take {ping.feed_url}: {ping.status or ping.error}", file=sys.stderr)  # fmt: skip


@task(name="today-url", help=HELP["today_url"])
def today_url(c, today=None, site_url=None, content=None):
    """Print the URL of the article that opens today (nothing if none does)."""
    from pipeline.settings import load_settings
    from pipeline.todayurl import today_url as url_of

    url = url_of(
        load_settings(PUBLISH_SETTINGS, content),
        today_of(today, DEV_SETTINGS),
        site_url,
    )
    if url:
        print(url)


@task(help=HELP["preview"])
def preview(c, changed_since, output=str(OUTPUT), content=None):
    """Build the site as of the day of the newest article changed since a ref."""
    from pipeline.changes import GitError
    from pipeline.site import build_site
    from pipeline.todayurl import newest_changed_day

    try:
        day = newest_changed_day(DEV_SETTINGS, content, changed_since)
    except GitError as exc:
        raise Exit(f"invoke preview: {exc}", code=2) from None
    result = build_site(DEV_SETTINGS, output, today=day, content=content)
    fail_on(result, "preview")
    print(f"built {output} as of {day or 'today'}")


# --- import (pipeline/importer) ---
@task(name="import", iterable=["year"], help=HELP["import"])
def import_(c, kind, path, year=None, offline=False, dry_run=False, force=False, pages=False, report=None, format="text", content=None):  # fmt: skip
    """Import a Blogger export or old HTML/Markdown drafts as articles."""
    from pipeline.importer.command import run

    code = run(kind, path, settings_file=DEV_SETTINGS, content=content, years=year or (), offline=offline, dry_run=dry_run, force=force, pages=pages, report_file=report, fmt=format)  # fmt: skip
    if code:
        raise Exit(code=code)


@task(help=HELP["linkcheck"])
def linkcheck(c, external=False, format="text", changed_since=None, content=None):
    """Check every link, image and anchor (exit 1: broken links, 2: cannot run)."""
    from pipeline.links import linkcheck as run_linkcheck

    cache = {"LINKCHECK_CACHE_PATH": str(ROOT / "cache")}
    code = run_linkcheck(PUBLISH_SETTINGS, content, external=external, fmt=format, changed_since=changed_since, overrides=cache)  # fmt: skip
    if code:
        raise Exit(code=code)


@task(help=HELP["websub_ping"])
def websub_ping(c, hub=None, output=str(OUTPUT), siteurl=None):
    """Tell the WebSub hub that the deployed site's feeds changed."""
    from pipeline.publish import ping_all

    ok, lines = ping_all(PUBLISH_SETTINGS, output, hub=hub, siteurl=siteurl)
    print("\n".join(lines))
    if not ok:
        raise Exit("WebSub ping failed", code=1)


@task(help=HELP["audit"])
def audit(c, today=None):
    """Lighthouse on the home page and an article: prints the four scores."""
    from pipeline.audit import AuditError, run_audit

    today_of(today, DEV_SETTINGS)
    try:
        print(run_audit(PUBLISH_SETTINGS, today=today))
    except AuditError as exc:
        raise Exit(str(exc), code=1) from None


@task(iterable=["articles", "only"], help=HELP["bench"])
def bench(c, articles=None, repeat=None, seed=None, workdir=None, results=None, report=None, profile=False, render_only=False, only=None):  # fmt: skip
    """Measure build speed on a synthetic corpus; update BENCHMARKS.md."""
    from bench.harness import command

    sizes = [whole(n, "articles") for n in articles or []] or [475]
    failed = command(sizes=sizes, repeat=whole(repeat, "repeat", 5), seed=whole(seed, "seed", 2008), workdir=workdir, results=results, report=report, profile=profile, render_only=render_only, only=only or None)  # fmt: skip
    if failed:
        raise Exit(f"benchmark runs failed: {', '.join(failed)}", code=1)
