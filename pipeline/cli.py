"""What every invoke task shares: help texts, the @task wrapper that turns
settings errors into a clean exit, and small helpers; tasks.py only declares."""

from __future__ import annotations

import functools
import sys

from invoke import Exit
from invoke import task as invoke_task

CONTENT = "content folder (default: content/)"
TODAY = "as of this day (YYYY-MM-DD; default: today in the site's time zone)"

HELP = {
    "build": {
        "today": "build the site as it looks on this day (YYYY-MM-DD)",
        "publish": "use publishconf.py (absolute URLs, production, search index)",
        "output": "output folder (default: output/)",
        "content": CONTENT,
    },
    "serve": {
        "port": "port to serve on (default: 8000)",
        "today": "preview the site as of this day",
    },
    "test": {"args": "extra pytest arguments, e.g. '-k calendar'"},
    "codecheck": {
        "path": "a Markdown file or folder to check (repeatable); also after `--`",
        "format": "text, json or github (workflow annotations)",
    },
    "new": {
        "title": "the article's title (without any 'Day N -' prefix)",
        "author": "your key in content/people.toml (e.g. jane-doe)",
        "year": "the season (default: this year's, or next year's after the 25th)",
        "day": "the day of December (default: the first free day from today on)",
        "name": "your full name, to add you to content/people.toml",
        "handle": "your handle (e.g. a GitHub or social handle), to add you",
        "editor": "your editor's key, if you know it",
        "tags": "comma-separated topics",
        "content": CONTENT,
        "today": "pretend today is this day (YYYY-MM-DD)",
    },
    "check": {
        "changed_since": "report only the files changed since this git ref",
        "publish": "check with publishconf.py (production settings)",
        "content": CONTENT,
        "format": "text (default), json, github or markdown",
    },
    "calendar": {
        "year": "the season (default: this year)",
        "today": "the day to look from (YYYY-MM-DD; default: today)",
        "content": CONTENT,
    },
    "publish": {
        "target": "rsync target: a folder or user@host:path",
        "gh_pages": "publish to a gh-pages branch with ghp-import",
        "remote": "git remote name or URL for --gh-pages (default: origin)",
        "branch": "branch for --gh-pages (default: gh-pages)",
        "today": "publish the site as of this day (YYYY-MM-DD)",
        "content": CONTENT,
    },
    "today_url": {
        "today": "the day (YYYY-MM-DD; default: today in the site's time zone)",
        "site_url": "the site's base URL (default: SITEURL of publishconf.py)",
        "content": CONTENT,
    },
    "preview": {
        "changed_since": "preview as of the newest article changed since this ref",
        "output": "output folder (default: output/)",
        "content": CONTENT,
    },
    "linkcheck": {
        "external": "also check links to other sites (network; cached in cache/)",
        "format": "text, json, github or markdown (a CI job summary)",
        "changed_since": "check only pages built from sources changed since this ref",
        "content": CONTENT,
    },
    "websub_ping": {
        "hub": "WebSub hub URL (default: FEEDS_WEBSUB_HUB of publishconf.py)",
        "output": "the built site whose feeds changed (default: output/)",
        "siteurl": "public URL of the site (default: SITEURL of publishconf.py)",
    },
    "import": {
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
    "audit": {"today": "audit the site as of this day (default: today)"},
    "bench": {
        "articles": "corpus size; repeat the option for several (default: 475)",
        "repeat": "measured runs per measurement (default: 5)",
        "seed": "seed of the synthetic corpus (default: 2008)",
        "workdir": "keep corpora and builds here (default: a temporary folder)",
        "results": "results JSON (default: bench/results.json)",
        "report": "Markdown report to update (default: BENCHMARKS.md)",
        "profile": "also write a cProfile summary of one full build per size",
        "render_only": "measure nothing: rewrite the report from the results JSON",
        "only": "measure only this scenario (bare, full, full_single, rebuild, bare_rebuild, "
        "codecheck_cold, codecheck_cached, linkcheck, hugo, lychee, serve); "
        "repeat for several",
    },
}


def task(*args, **options):
    """invoke's @task, plus: settings with errors end the command with their
    problems and exit 2, never a traceback."""

    def declare(function):
        @functools.wraps(function)
        def body(c, *a, **kw):
            from pipeline.settings import SettingsError
            from plugins.core.problems import format_problems

            try:
                return function(c, *a, **kw)
            except SettingsError as exc:
                print(format_problems(exc.problems), file=sys.stderr)
                raise Exit("the settings have errors", code=2) from None

        return invoke_task(**options)(body)

    return declare(args[0]) if args else declare


def whole(value, option: str, default=None):
    """An option's whole number (`default` when not given); exit 2 with a
    message, not a traceback, when it is not one."""
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Exit(f"--{option} takes a whole number, not {value!r}", code=2) from None


def valid_format(fmt, formats=None):
    from plugins.core.problems import FORMATS

    if fmt not in (formats or FORMATS):
        raise Exit(f"--format must be one of {', '.join(formats or FORMATS)}", code=2)
    return fmt


def fail_on(result, what):
    """Print a build's problems (stderr) and exit 1 when it has errors."""
    from plugins.core.problems import format_problems, summary_line

    if result.problems:
        print(format_problems(result.problems), file=sys.stderr)
    if not result.ok:
        raise Exit(f"{what} failed: {summary_line(result.problems)}", code=1)


def today_of(today, settings_file):
    """--today as a date (exit 2 when malformed), else today in the site's zone."""
    from pipeline.dates import parse_today

    try:
        return parse_today(today, settings_file)
    except ValueError as exc:
        raise Exit(str(exc), code=2) from None
