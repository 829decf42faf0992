"""The command surface of the project: `invoke --list` shows every task.

Tasks only read their options, call `pipeline/` and print what comes back.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
OUTPUT = ROOT / "output"
DEV_SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"


def _settings_file(publish):
    return PUBLISH_SETTINGS if publish else DEV_SETTINGS


def _format(fmt, formats=None):
    from plugins.core.problems import FORMATS

    if fmt not in (formats or FORMATS):
        raise Exit(f"--format must be one of {', '.join(formats or FORMATS)}", code=2)
    return fmt


def _fail_on(result, what):
    """Print a build's problems (stderr) and exit 1 when it has errors."""
    from plugins.core.problems import format_problems, summary_line

    if result.problems:
        print(format_problems(result.problems), file=sys.stderr)
    if not result.ok:
        raise Exit(f"{what} failed: {summary_line(result.problems)}", code=1)


def _today(today=None):
    from pipeline.dates import parse_today

    try:
        return parse_today(today, DEV_SETTINGS)
    except ValueError as exc:
        raise Exit(str(exc), code=2) from None


@task(
    help={
        "today": "build the site as it looks on this day (YYYY-MM-DD)",
        "publish": "use publishconf.py (absolute URLs, production, search index)",
        "output": "output folder (default: output/)",
        "content": "content folder (default: content/)",
    }
)
def build(c, today=None, publish=False, output=str(OUTPUT), content=None):
    """Build the site into output/ (a failed build leaves it untouched)."""
    from pipeline.site import build_site

    _today(today)
    result = build_site(
        _settings_file(publish), output, today=today, content=content, search=True
    )
    _fail_on(result, "build")
    print(f"built {output} ({result.files} files)")


@task(help={"port": "port to serve on", "today": "preview the site as of this day"})
def serve(c, port=8000, today=None):
    """Build, serve at http://127.0.0.1:PORT and rebuild on every change."""
    from pipeline.serve import serve as run_serve

    _today(today)
    run_serve(DEV_SETTINGS, OUTPUT, port=int(port), today=today)


@task(help={"args": "extra pytest arguments, e.g. '-k calendar'"})
def test(c, args=""):
    """Run the whole test suite."""
    c.run(f"{sys.executable} -m pytest {args}", pty=sys.stdout.isatty())


@task
def lint(c):
    """ruff check and ruff format --check."""
    c.run(f"{sys.executable} -m ruff check .")
    c.run(f"{sys.executable} -m ruff format --check .")


@task
def clean(c):
    """Remove the built site and caches."""
    import shutil

    for path in (OUTPUT, ROOT / "cache", ROOT / ".pytest_cache"):
        shutil.rmtree(path, ignore_errors=True)


@task(
    iterable=["path"],
    help={
        "path": "a Markdown file or folder to check (repeatable); also after `--`",
        "format": "text, json or github (workflow annotations)",
    },
)
def codecheck(c, path=None, format="text"):
    """Check the code blocks of articles only (default: all of content/).

    Exit 0 without errors, 1 with errors, 2 when the check could not run.
    """
    from pipeline.settings import load_settings
    from plugins.codecheck import run
    from plugins.core.problems import format_problems, has_errors

    _format(format, ("text", "json", "github"))
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


@task(
    help={
        "title": "the article's title (without any 'Day N -' prefix)",
        "author": "your key in content/people.toml (e.g. jane-doe)",
        "year": "the season (default: this year's, or next year's after the 25th)",
        "day": "the day of December (default: the first free day from today on)",
        "name": "your full name, to add you to content/people.toml",
        "handle": "your handle (e.g. a GitHub or social handle), to add you",
        "editor": "your editor's key, if you know it",
        "tags": "comma-separated topics",
        "content": "content folder (default: content/)",
        "today": "pretend today is this day (YYYY-MM-DD)",
    }
)
def new(
    c,
    title,
    author,
    year=None,
    day=None,
    name=None,
    handle=None,
    editor=None,
    tags=None,
    content=None,
    today=None,
):
    """Create a new article with every field filled in or marked TODO."""
    from pipeline.newpost import NewPostError, create, next_steps
    from pipeline.settings import load_settings

    settings = load_settings(DEV_SETTINGS, content)
    try:
        post = create(
            settings,
            title=title,
            author=author,
            today=_today(today),
            year=int(year) if year else None,
            day=int(day) if day else None,
            name=name,
            handle=handle,
            editor=editor,
            tags=tags,
        )
    except NewPostError as exc:
        raise Exit(f"invoke new: {exc}", code=1) from None
    print("\n".join(next_steps(post, settings, author, editor)))


@task(
    help={
        "changed_since": "report only the files changed since this git ref",
        "publish": "check with publishconf.py (production settings)",
        "content": "content folder (default: content/)",
        "format": "text (default), json, github or markdown",
    }
)
def check(c, changed_since=None, publish=False, content=None, format="text"):
    """Every check on every article as it will go live; exit 1 on errors."""
    from pipeline.changes import GitError
    from pipeline.checks import run_check, write_job_summary
    from plugins.core.problems import format_problems, summary_line

    _format(format)
    try:
        report = run_check(_settings_file(publish), content, changed_since)
    except GitError as exc:
        raise Exit(f"invoke check: {exc}", code=2) from None
    write_job_summary(report.problems, report.result.origin)
    if report.problems or format == "json":
        print(format_problems(report.problems, format))
    scope = f" changed since {changed_since}" if changed_since else ""
    print(
        f"checked {report.files} file(s){scope}: {summary_line(report.problems)}",
        file=sys.stderr,
    )
    if report.failed:
        raise Exit(code=1)


@task(
    help={
        "year": "the season (default: this year)",
        "today": "the day to look from (YYYY-MM-DD; default: today)",
        "content": "content folder (default: content/)",
    }
)
def calendar(c, year=None, today=None, content=None):
    """Show a season day by day: published, scheduled, draft or empty."""
    from pipeline.agenda import report
    from pipeline.settings import load_settings

    now = _today(today)
    settings = load_settings(DEV_SETTINGS, content)
    print(report(settings, int(year) if year else now.year, now))


@task(
    help={
        "target": "rsync target: a folder or user@host:path",
        "gh_pages": "publish to a gh-pages branch with ghp-import",
        "remote": "git remote name or URL for --gh-pages (default: origin)",
        "branch": "branch for --gh-pages (default: gh-pages)",
        "today": "publish the site as of this day (YYYY-MM-DD)",
        "content": "content folder (default: content/)",
    }
)
def publish(
    c,
    target=None,
    gh_pages=False,
    remote="origin",
    branch="gh-pages",
    today=None,
    content=None,
):
    """Build with publishconf.py, run every check, and only then deploy."""
    from pipeline.publish import PublishError
    from pipeline.publish import publish as run_publish
    from plugins.core.problems import format_problems, summary_line

    if bool(target) == bool(gh_pages):
        raise Exit(
            "invoke publish: give either --target DIR|user@host:path or --gh-pages",
            code=2,
        )
    _today(today)
    try:
        problems, pings = run_publish(
            PUBLISH_SETTINGS,
            content,
            target=target,
            gh_pages_remote=remote if gh_pages else None,
            branch=branch,
            today=today,
            repo=ROOT,
        )
    except PublishError as exc:
        if exc.problems:
            print(format_problems(exc.problems), file=sys.stderr)
            print(summary_line(exc.problems), file=sys.stderr)
        raise Exit(f"invoke publish: {exc}; nothing was deployed", code=1) from None
    if problems:
        print(format_problems(problems), file=sys.stderr)
    print(f"published to {target or f'{remote} {branch}'}")
    for ping in pings:
        if not ping.ok:  # the site is live; a hub that missed it is only a warning
            print(
                f"warning: WebSub hub did not take {ping.feed_url}: "
                f"{ping.status or ping.error}",
                file=sys.stderr,
            )


@task(
    name="today-url",
    help={
        "today": "the day (YYYY-MM-DD; default: today in the site's time zone)",
        "site_url": "the site's base URL (default: SITEURL of publishconf.py)",
        "content": "content folder (default: content/)",
    },
)
def today_url(c, today=None, site_url=None, content=None):
    """Print the URL of the article that opens today (nothing if none does)."""
    from pipeline.settings import load_settings
    from pipeline.todayurl import today_url as url_of

    url = url_of(load_settings(PUBLISH_SETTINGS, content), _today(today), site_url)
    if url:
        print(url)


@task(
    help={
        "changed_since": "preview as of the newest article changed since this ref",
        "output": "output folder (default: output/)",
        "content": "content folder (default: content/)",
    }
)
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
    _fail_on(result, "preview")
    print(f"built {output} as of {day or 'today'}")


@task(
    help={
        "external": "also check links to other sites (network; cached in cache/)",
        "format": "text, json, github or markdown (a CI job summary)",
        "changed_since": "check only pages built from sources changed since this ref",
        "content": "content folder (default: content/)",
    }
)
def linkcheck(c, external=False, format="text", changed_since=None, content=None):
    """Check every link, image and anchor (exit 1: broken links, 2: cannot run)."""
    from pipeline.links import linkcheck as run_linkcheck

    code = run_linkcheck(
        PUBLISH_SETTINGS,
        content,
        external=external,
        fmt=format,
        changed_since=changed_since,
        overrides={"LINKCHECK_CACHE_PATH": str(ROOT / "cache")},
    )
    if code:
        raise Exit(code=code)


@task(
    help={
        "hub": "WebSub hub URL (default: FEEDS_WEBSUB_HUB of publishconf.py)",
        "output": "the built site whose feeds changed (default: output/)",
        "siteurl": "public URL of the site (default: SITEURL of publishconf.py)",
    }
)
def websub_ping(c, hub=None, output=str(OUTPUT), siteurl=None):
    """Tell the WebSub hub that the deployed site's feeds changed."""
    from pipeline.publish import ping_all

    ok, lines = ping_all(PUBLISH_SETTINGS, output, hub=hub, siteurl=siteurl)
    print("\n".join(lines))
    if not ok:
        raise Exit("WebSub ping failed", code=1)


@task(help={"today": "audit the site as of this day (default: today)"})
def audit(c, today=None):
    """Lighthouse on the home page and an article: prints the four scores."""
    from pipeline.audit import AuditError, run_audit

    _today(today)
    try:
        print(run_audit(PUBLISH_SETTINGS, today=today))
    except AuditError as exc:
        raise Exit(str(exc), code=1) from None


@task(
    iterable=["articles"],
    help={
        "articles": "corpus size; repeat the option for several (default: 475)",
        "repeat": "measured runs per measurement (default: 5)",
        "seed": "seed of the synthetic corpus (default: 2008)",
        "workdir": "keep corpora and builds here (default: a temporary folder)",
        "results": "results JSON (default: bench/results.json)",
        "report": "Markdown report to update (default: BENCHMARKS.md)",
        "profile": "also write a cProfile summary of one full build per size",
        "render_only": "measure nothing: rewrite the report from the results JSON",
    },
)
def bench(
    c,
    articles=None,
    repeat=5,
    seed=2008,
    workdir=None,
    results=None,
    report=None,
    profile=False,
    render_only=False,
):
    """Measure build speed on a synthetic corpus; update BENCHMARKS.md."""
    from bench.harness import command

    failed = command(
        sizes=[int(n) for n in articles or []] or [475],
        repeat=int(repeat),
        seed=int(seed),
        workdir=workdir,
        results=results,
        report=report,
        profile=profile,
        render_only=render_only,
    )
    if failed:
        raise Exit(f"benchmark runs failed: {', '.join(failed)}", code=1)
