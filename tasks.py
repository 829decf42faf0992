"""The command surface of the project: `invoke --list` shows every task."""

from __future__ import annotations

import os
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
    c.run(" ".join(args), pty=sys.stdout.isatty())


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
