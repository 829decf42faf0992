"""The command surface of the project: `invoke --list` shows every task."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent

OUTPUT = ROOT / "output"
DEV_SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"


def run_pelican(settings_file, output, today=None, overrides=None):
    """Build the site in-process into `output`; raises ContentError on bad content."""
    import logging

    from pelican import Pelican
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    init_logging(logging.WARNING)
    override = {"OUTPUT_PATH": str(output), **(overrides or {})}
    if today:
        override["ADVENT_TODAY"] = today
    settings = read_settings(str(settings_file), override=override)
    _reset_sitemap()
    Pelican(settings).run()
    return settings


def _reset_sitemap():
    """Forget the state pelican-sitemap keeps between builds of one process.

    Its module-level generator remembers the Pelican instance it started with
    and only clears that after a build finishes; after a failed build, every
    later in-process build (tests, `invoke check` then publish) would write no
    sitemap at all.
    """
    from pelican.plugins.sitemap import sitemap

    sitemap.generator._main_pelican = None
    sitemap.generator.page_queue = []


def build_site(settings_file, output, today=None, content=None):
    """Build into a fresh folder beside `output`, then swap it in.

    A failed build leaves the last good output untouched.
    """
    from plugins.core.problems import ContentError, format_problems, summary_line

    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{output.name}-", dir=output.parent))
    try:
        overrides = {"PATH": str(Path(content).resolve())} if content else None
        run_pelican(settings_file, fresh, today=today, overrides=overrides)
        index_search(
            fresh
        )  # before the swap: a failed index keeps the last good output
    except ContentError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        print(format_problems(exc.problems), file=sys.stderr)
        raise Exit(f"build failed: {summary_line(exc.problems)}", code=1) from None
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    old = output.with_name(f".{output.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if output.exists():
        output.rename(old)
    fresh.rename(output)
    shutil.rmtree(old, ignore_errors=True)
    os.chmod(output, 0o755)  # mkdtemp makes it private; the site is public


@task(
    help={
        "today": "build the site as it looks on this day (YYYY-MM-DD)",
        "publish": "use publishconf.py (absolute URLs, production)",
        "output": "output folder (default: output/)",
        "content": "content folder (default: content/)",
    }
)
def build(c, today=None, publish=False, output=str(OUTPUT), content=None):
    """Build the site into output/."""
    settings = PUBLISH_SETTINGS if publish else DEV_SETTINGS
    build_site(settings, output, today=today, content=content)
    print(f"built {output}")


@task(help={"port": "port to serve on", "today": "preview the site as of this day"})
def serve(c, port=8000, today=None):
    """Build, serve at http://127.0.0.1:PORT and rebuild on every change."""
    build_site(DEV_SETTINGS, OUTPUT, today=today)
    args = [
        sys.executable,
        "-m",
        "pelican",
        "content",
        "--autoreload",
        "--listen",
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "-s",
        str(DEV_SETTINGS),
        "-o",
        str(OUTPUT),
    ]
    if today:
        args += ["-e", f'ADVENT_TODAY="{today}"']
    print(f"serving http://127.0.0.1:{port}/ (Ctrl-C to stop)")
    c.run(shlex.join(args), pty=sys.stdout.isatty())


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
    for path in (OUTPUT, ROOT / "cache", ROOT / ".pytest_cache"):
        shutil.rmtree(path, ignore_errors=True)


# --- codecheck ---
@task(
    iterable=["path"],
    help={
        "path": "a Markdown file or folder to check (repeatable); also after `--`",
        "format": "text, json or github (workflow annotations)",
    },
)
def codecheck(c, path=None, format="text"):
    """Check the code blocks of articles (default: all of content/).

    Exit 0 without errors, 1 with errors, 2 when the check could not run.
    Paths may follow `--`: `invoke codecheck -- content/2017/09-x.md`.
    """
    from plugins.codecheck import run
    from plugins.core.problems import FORMATS, format_problems, has_errors

    if format not in FORMATS:
        raise Exit(
            f"unknown format {format!r}; choose one of {', '.join(FORMATS)}", code=2
        )
    paths = [*(path or []), *shlex.split(getattr(c, "remainder", ""))] or [
        str(ROOT / "content")
    ]
    try:
        report = run(paths, _codecheck_settings())
    except (FileNotFoundError, UnicodeDecodeError) as exc:
        raise Exit(f"codecheck: {exc}", code=2) from None
    if report.problems or format == "json":
        print(format_problems(report.problems, format))
    print(report.summary(), file=sys.stderr)
    if has_errors(report.problems):
        raise Exit(code=1)


def _codecheck_settings():
    """The CODECHECK_* values of pelicanconf.py (cache folder, placeholders …)."""
    import runpy

    values = runpy.run_path(str(DEV_SETTINGS))
    return {k: v for k, v in values.items() if k.startswith("CODECHECK_")}


# --- pipeline: new, check, calendar, publish, today-url (see pipeline/) ---


def _today(today=None):
    """--today as a date, else today in the site's time zone."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    if today:
        try:
            return dt.date.fromisoformat(today)
        except ValueError:
            raise Exit(f"--today must be YYYY-MM-DD, not {today!r}", code=2) from None
    from pelicanconf import TIMEZONE

    return dt.datetime.now(ZoneInfo(TIMEZONE)).date()


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
    from pipeline.newpost import NewPostError, create
    from pipeline.sitesettings import load_settings

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
    from plugins.core.problems import display_path

    if post.person_added:
        print(f"added {author} to {settings['ADVENT_PEOPLE']}")
    print(f"created {display_path(str(post.path))} (day {post.day} of {post.year})")
    print("next: replace every TODO in it, then run `invoke check`;")
    print(f"preview it with `invoke build --today {post.year}-12-{post.day:02d}`.")
    if not editor and post.editors:
        print(f"editors so far: {', '.join(post.editors)}")


@task(
    help={
        "changed_since": "check only the articles changed since this git ref",
        "today": "build as of this day (YYYY-MM-DD)",
        "publish": "check with publishconf.py (production settings)",
        "content": "content folder (default: content/)",
        "format": "text (default), json, github or markdown",
    }
)
def check(
    c, changed_since=None, today=None, publish=False, content=None, format="text"
):
    """Run every check (metadata, content rules, a real build); exit 1 on errors."""
    from pipeline.changes import GitError
    from pipeline.checks import make_context, report_to_github, run_checks
    from plugins.core.problems import FORMATS, format_problems, has_errors, summary_line

    if format not in FORMATS:
        raise Exit(f"--format must be one of {', '.join(FORMATS)}", code=2)
    settings = PUBLISH_SETTINGS if publish else DEV_SETTINGS
    with tempfile.TemporaryDirectory(prefix="sysadvent-check-") as tmp:
        try:
            ctx = make_context(
                settings, content, Path(tmp) / "site", today, changed_since
            )
        except GitError as exc:
            raise Exit(f"invoke check: {exc}", code=2) from None
        problems, steps = run_checks(ctx)
    report_to_github(problems, steps)
    scope = (
        f"{len(ctx.paths)} file(s) changed since {changed_since}"
        if changed_since
        else f"{len(ctx.paths)} file(s)"
    )
    if problems and not (
        format == "github" and os.environ.get("GITHUB_ACTIONS") == "true"
    ):
        print(format_problems(problems, format))
    print(
        f"checked {scope} ({', '.join(s.name for s in steps)}): "
        f"{summary_line(problems)}",
        file=sys.stderr,
    )
    if has_errors(problems):
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
    from pipeline.agenda import format_table, season_rows, summary, upcoming_gaps
    from pipeline.sitesettings import load_settings
    from plugins.core.problems import has_errors, summary_line

    settings = load_settings(DEV_SETTINGS, content)
    now = _today(today)
    year = int(year) if year else now.year
    rows, problems = season_rows(settings, year, now)
    print(f"SysAdvent {year} as of {now:%Y-%m-%d}")
    print(format_table(rows, year))
    print(summary(rows))
    days = {}
    for row in rows:
        days.setdefault(row.day, []).append(row)
    for day, clash in sorted(days.items()):
        if len(clash) > 1:
            print(
                f"warning: day {day} is taken twice: {', '.join(r.path for r in clash)}"
            )
    gaps = upcoming_gaps(rows, year, now)
    if gaps:
        listed = ", ".join(f"Dec {r.day} ({r.state})" for r in gaps)
        print(
            f"warning: {len(gaps)} day(s) in the next 7 days have no article: {listed}"
        )
    if has_errors(problems):
        print(
            f"warning: the articles have problems ({summary_line(problems)}); "
            "run `invoke check`"
        )


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
    try:
        problems, _, pings = run_publish(
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
    from pipeline.sitesettings import load_settings
    from pipeline.todayurl import today_url as url_of

    settings = load_settings(PUBLISH_SETTINGS, content)
    url = url_of(settings, _today(today), site_url)
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
    from pipeline.checks import make_context

    try:
        ctx = make_context(DEV_SETTINGS, content, output, None, changed_since)
    except GitError as exc:
        raise Exit(f"invoke preview: {exc}", code=2) from None
    from plugins.advent.rules import check_sources

    changed = [p for p in ctx.articles if p in ctx.paths]
    sources, _ = check_sources(
        [str(p) for p in changed], None, timezone=ctx.settings["TIMEZONE"]
    )
    dates = [s.date.date() for s in sources if s.date]
    day = max(dates).isoformat() if dates else None
    build_site(DEV_SETTINGS, output, today=day, content=content)
    print(f"built {output} as of {day or 'today'}")


# --- import (pipeline/importer) ---
@task(
    name="import",
    iterable=["year"],
    help={
        "kind": "blogger (a Blogger export .xml) or html (drafts in YYYY/DD/ folders)",
        "path": "the export file, or the drafts folder",
        "year": "import only this season (repeatable)",
        "offline": "download no image: images are listed for review as links",
        "dry_run": "write nothing; report what would be written",
        "force": "overwrite articles that exist and differ",
        "pages": "also import Blogger pages (content/pages/)",
        "report": "also write the review report (Markdown) to this file",
        "format": "text (default) or markdown",
        "content": "content folder (default: content/)",
    },
)
def import_(
    c,
    kind,
    path,
    year=None,
    offline=False,
    dry_run=False,
    force=False,
    pages=False,
    report=None,
    format="text",
    content=None,
):
    """Import a Blogger export or old HTML/Markdown drafts as articles."""
    from pipeline.importer.command import run

    code = run(
        kind,
        path,
        settings_file=DEV_SETTINGS,
        content=content,
        years=year or (),
        offline=offline,
        dry_run=dry_run,
        force=force,
        pages=pages,
        report_file=report,
        fmt=format,
    )
    if code:
        raise Exit(code=code)


# --- linkcheck ---
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
    from plugins.linkcheck.command import EVERY_ARTICLE, run

    content = Path(content or ROOT / "content").resolve()

    def build(output, overrides):
        overrides = {
            **overrides,
            "PATH": str(content),
            "LINKCHECK_CACHE_PATH": str(ROOT / "cache"),
        }
        return run_pelican(PUBLISH_SETTINGS, output, EVERY_ARTICLE, overrides)

    code = run(
        build, content, external=external, fmt=format, changed_since=changed_since
    )
    if code:
        raise Exit(code=code)


# --- feeds ---
@task(
    help={
        "hub": "WebSub hub URL (default: FEEDS_WEBSUB_HUB of publishconf.py)",
        "output": "the built site whose feeds changed (default: output/)",
        "siteurl": "public URL of the site (default: SITEURL of publishconf.py)",
    }
)
def websub_ping(c, hub=None, output=str(OUTPUT), siteurl=None):
    """Tell the WebSub hub that the deployed site's feeds changed."""
    from pelican.settings import read_settings

    from plugins.feeds import DEFAULTS, feeds_siteurl, hubs
    from plugins.feeds.websub import ping_site

    settings = {**DEFAULTS, **read_settings(str(PUBLISH_SETTINGS))}
    targets = [hub] if hub else hubs(settings)
    if not targets:
        print("no WebSub hub configured (FEEDS_WEBSUB_HUB): nothing to ping")
        return
    base = siteurl or feeds_siteurl(settings)
    results = ping_site(output, base, targets, settings["FEEDS_PATH"])
    if not results:
        raise Exit(f"no feeds found in {output}", code=1)
    failed = [r for r in results if not r.ok]
    for result in failed:
        print(f"{result.feed_url}: hub answered {result.status} {result.error}")
    print(f"pinged {len(results) - len(failed)}/{len(results)} feed(s)")
    if failed:
        raise Exit("WebSub ping failed", code=1)


# --- readers site (search index, audit) ---


def index_search(site):
    """Index the built site with Pagefind (only `data-pagefind-body` elements,
    that is article bodies); the bundle goes to `site/pagefind/`."""
    import subprocess

    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        print(result.stdout + result.stderr, file=sys.stderr)
        raise Exit("build failed: the Pagefind search index could not be built", code=1)


LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse_scores(url, chromium):
    """Run Lighthouse (npm, pinned) on `url` with Debian Chromium; return the
    four category scores out of 100, and the titles of the audits not passed."""
    import json
    import subprocess

    flags = " ".join(
        [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ]
    )
    result = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            "--quiet",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={flags}",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": chromium},
    )
    if result.returncode != 0:
        raise Exit(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}", code=1)
    report = json.loads(result.stdout)
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    failing = sorted(
        audit["title"]
        for audit in report["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    )
    return scores, failing


@task(help={"today": "audit the site as of this day (default: today)"})
def audit(c, today=None):
    """Lighthouse on the home page and an article: prints the four scores."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not chromium:
        raise Exit("Chromium not found: apt-get install chromium", code=1)
    if not LIGHTHOUSE.exists():
        raise Exit("Lighthouse not found: run `npm ci`", code=1)

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "output"
        server = ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}/"
        try:
            # The production build, with the local server as its public address.
            os.environ["SYSADVENT_SITEURL"] = base.rstrip("/")
            build_site(PUBLISH_SETTINGS, site, today=today)
            articles = site.glob("20*/12/day-*.html")
            newest = max(
                articles,
                key=lambda p: (p.parts[-3], int(p.name.split("-")[1])),
                default=None,
            )
            pages = {"home": ""}
            if newest:
                pages["article"] = str(newest.relative_to(site))
            print(f"{'page':<10}" + "".join(f"{c:>16}" for c in CATEGORIES))
            notes = []
            for name, path in pages.items():
                scores, failing = lighthouse_scores(base + path, chromium)
                print(f"{name:<10}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES))
                notes += [f"  {name}: {title}" for title in failing]
            if notes:
                print("audits not passed:", *notes, sep="\n")
        finally:
            server.shutdown()


# --- bench ---
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
    from bench import harness
    from bench import report as reporting

    if render_only:
        path = Path(report) if report else harness.BENCHMARKS
        found = harness.load_results(Path(results) if results else harness.RESULTS)
        reporting.write_benchmarks(path, found)
        print(f"report: {path}")
        return

    sizes = [int(n) for n in articles] or [475]
    recorded = harness.run(
        sizes=sizes,
        repeat=int(repeat),
        seed=int(seed),
        workdir=workdir,
        results=Path(results) if results else harness.RESULTS,
        benchmarks=Path(report) if report else harness.BENCHMARKS,
        keep=workdir is not None,
    )
    if profile:
        scratch = Path(workdir or tempfile.mkdtemp(prefix="sysadvent-profile-"))
        for size in sizes:
            harness.profile_full(
                size, scratch, int(seed), ROOT / "bench" / f"profile-full-{size}.txt"
            )
        if workdir is None:
            shutil.rmtree(scratch, ignore_errors=True)
    failed = [
        f"{size}: {key}"
        for size, run in recorded["runs"].items()
        if int(size) in sizes
        for key, entry in run["scenarios"].items()
        if entry["status"] == "failed"
    ]
    if failed:
        raise Exit(f"benchmark runs failed: {', '.join(failed)}", code=1)
