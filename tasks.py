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
sys.path.insert(0, str(ROOT / "plugins"))

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
    Pelican(settings).run()
    return settings


def build_site(settings_file, output, today=None, content=None):
    """Build into a fresh folder beside `output`, then swap it in.

    A failed build leaves the last good output untouched.
    """
    from problems import ContentError, format_problems, summary_line

    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{output.name}-", dir=output.parent))
    try:
        overrides = {"PATH": str(Path(content).resolve())} if content else None
        run_pelican(settings_file, fresh, today=today, overrides=overrides)
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
    from codecheck import run
    from problems import FORMATS, format_problems, has_errors

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
    from linkcheck.command import EVERY_ARTICLE, run

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
