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
