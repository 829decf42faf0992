"""The benchmark harness: generate a corpus, measure every scenario in its own
process several times, and record the results (JSON and BENCHMARKS.md).

`run(sizes=[475], repeat=5, ...)` is what `invoke bench` calls.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import corpus, report

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
BENCHMARKS = ROOT / "BENCHMARKS.md"

# (key, child scenario, what it measures); the order of the report.
SCENARIOS = (
    ("bare", "bare", "Bare Pelican (baseline): no project plugins, simple theme"),
    ("full", "full", "Full project build, cold (publishconf.py, all plugins)"),
    ("rebuild", "rebuild", "Rebuild after editing one article (caches warm)"),
    (
        "bare_rebuild",
        "bare_rebuild",
        "Bare Pelican's rebuild after the same edit (its content cache on)",
    ),
    ("codecheck_cold", "codecheck", "codecheck alone, cold (empty cache)"),
    ("codecheck_cached", "codecheck", "codecheck alone, cache warm"),
    ("linkcheck", "linkcheck", "Internal linkcheck of the built site alone"),
    (
        "full_single",
        "full",
        "Full project build, cold, one process (SYSADVENT_WORKERS=1)",
    ),
    ("hugo", "hugo", "Hugo on the same Markdown (reference; its own threads)"),
    ("lychee", "lychee", "lychee --offline --include-fragments, same built site"),
    ("serve", "serve", "invoke serve: article saved → new page served (median of 3)"),
)
# Environment of a scenario's child beyond the harness's own.
SCENARIO_ENV = {"full_single": {"SYSADVENT_WORKERS": "1"}}


def machine() -> dict:
    """What the numbers were measured on."""
    import pelican

    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "pelican": getattr(pelican, "__version__", "?"),
        "platform": platform.platform(terse=True),
    }


def run_child(
    scenario,
    rundir: Path,
    *,
    corpus_dir,
    output,
    today,
    cache=None,
    profile=None,
    env=None,
):
    """Run one measurement in a fresh process; return its result with the
    process's wall time and peak resident memory (from os.wait4)."""
    rundir.mkdir(parents=True, exist_ok=True)
    result = rundir / "result.json"
    result.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "bench.child",
        scenario,
        "--corpus",
        str(corpus_dir),
        "--output",
        str(output),
        "--cache",
        str(cache or rundir / "cache"),
        "--today",
        today,
        "--result",
        str(result),
    ]
    if profile:
        command += ["--profile", str(profile)]
    paths = [str(ROOT), str(ROOT / "plugins"), os.environ.get("PYTHONPATH", "")]
    env = {
        **os.environ,
        **(env or {}),
        "PYTHONPATH": os.pathsep.join(p for p in paths if p),
    }
    log = rundir / "log.txt"
    start = time.perf_counter()
    with open(log, "w") as handle:
        # cwd is the run's own folder: a plugin that writes a relative
        # cache folder starts cold and never touches the repository.
        process = subprocess.Popen(
            command, cwd=rundir, env=env, stdout=handle, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    try:
        data = json.loads(result.read_text())
    except (OSError, ValueError):
        data = {"status": "failed", "reason": "the run wrote no result"}
    if process.returncode != 0 and data.get("status") == "ok":
        data["status"] = "failed"
    if data.get("status") == "failed":
        tail = log.read_text(errors="replace").strip().splitlines()[-15:]
        data["log"] = "\n".join(tail)
    data["process_seconds"] = wall
    # ru_maxrss is in KiB on Linux; it covers the child and its waited-for
    # children (e.g. a search-index binary the build runs).
    data["peak_rss_mb"] = usage.ru_maxrss / 1024
    return data


def summarize(runs: list[dict], articles: int) -> dict:
    """Median and spread of the measured runs of one scenario."""
    failed = [r for r in runs if r.get("status") != "ok"]
    if failed:
        first = failed[0]
        return {
            "status": first.get("status"),
            "reason": first.get("reason", ""),
            "log": first.get("log", ""),
        }
    seconds = [r["seconds"] for r in runs]
    median = statistics.median(seconds)
    return {
        "status": "ok",
        "runs": len(runs),
        "seconds": [round(s, 4) for s in seconds],
        "median": round(median, 4),
        "min": round(min(seconds), 4),
        "max": round(max(seconds), 4),
        "stdev": round(statistics.pstdev(seconds), 4),
        "ms_per_article": round(median * 1000 / articles, 3),
        "cpu_median": _median_or_none([r.get("cpu_seconds") for r in runs]),
        "process_seconds_median": round(
            statistics.median(r["process_seconds"] for r in runs), 4
        ),
        "peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs), 1),
        "detail": runs[-1].get("detail", ""),
        **({"stages": stage_medians(runs)} if runs[0].get("stages") else {}),
    }


def _median_or_none(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 4) if values else None


def stage_medians(runs: list[dict]) -> list[dict]:
    """Per stage of the build (in order): median wall and CPU time, the
    largest resident and peak memory seen at its end."""
    names: list[str] = []
    by_name: dict[str, list[dict]] = {}
    for run in runs:
        for stage in run.get("stages", []):
            if stage["stage"] not in by_name:
                names.append(stage["stage"])
            by_name.setdefault(stage["stage"], []).append(stage)
    found = []
    for name in names:
        entries = by_name[name]
        row = {"stage": name}
        for key in ("seconds", "cpu_seconds"):
            values = [e[key] for e in entries if key in e]
            if values:
                row[key] = round(statistics.median(values), 4)
        for key in ("rss_mb", "peak_mb"):
            values = [e[key] for e in entries if key in e]
            if values:
                row[key] = max(values)
        found.append(row)
    return found


def _fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    return path


def edit_article(path: Path, number: int) -> None:
    """An author's small edit: one more sentence at the end of the article."""
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"\nEdited for the benchmark, pass {number}.\n")


def measure(
    articles: int, repeat: int, workdir: Path, seed: int, log=print, only=None
) -> dict:
    """Every scenario (or those in `only`) on one corpus of `articles`
    articles; the run's record."""
    base = workdir / f"n{articles}"
    corpus_dir = _fresh(base) / "content"
    load_before = os.getloadavg()
    log(f"[{articles}] generating the corpus in {corpus_dir}")
    paths = corpus.generate(corpus_dir, articles, seed=seed)
    today = f"{corpus.last_year(articles) + 1}-01-01"
    common = {"corpus_dir": corpus_dir, "today": today}
    measured: dict[str, list[dict]] = {key: [] for key, _, _ in SCENARIOS}
    site = base / "site"

    def once(key, scenario, rundir, **kw):
        if only and key.split(" ")[0] not in only:
            reason = f"not run (invoke bench --only {' --only '.join(only)})"
            return {"status": "not available", "reason": reason}
        kw.setdefault("output", rundir / "output")
        kw.setdefault("env", SCENARIO_ENV.get(key.split(" ")[0]))
        result = run_child(scenario, rundir, **common, **kw)
        shown = f"{result['seconds']:.2f}s" if "seconds" in result else ""
        log(
            f"[{articles}] {key}: {result['status']} {shown} {result.get('reason', '')}"
        )
        return result

    # Bare and full alternate, so a busy neighbour on a shared machine
    # slows both alike instead of skewing the ratio.
    for number in range(repeat):
        for key, scenario in (
            ("bare", "bare"),
            ("full", "full"),
            ("full_single", "full"),
            ("hugo", "hugo"),
        ):
            if measured[key] and measured[key][-1]["status"] == "not available":
                continue
            rundir = _fresh(base / f"{key}-{number}")
            measured[key].append(once(key, scenario, rundir))
            if key == "full" and measured[key][-1]["status"] == "ok":
                shutil.rmtree(site, ignore_errors=True)
                (rundir / "output").rename(site)
            shutil.rmtree(rundir, ignore_errors=True)

    for number in range(repeat):
        rundir = _fresh(base / f"codecheck-cold-{number}")
        measured["codecheck_cold"].append(once("codecheck_cold", "codecheck", rundir))
        shutil.rmtree(rundir, ignore_errors=True)
        if measured["codecheck_cold"][-1]["status"] == "not available":
            break
    warm = _fresh(base / "codecheck-cached")
    first = once("codecheck_cached (warm-up)", "codecheck", warm)
    if first["status"] != "ok":
        measured["codecheck_cached"].append(first)
    else:
        for _ in range(repeat):
            measured["codecheck_cached"].append(
                once("codecheck_cached", "codecheck", warm)
            )

    if site.exists():
        for number in range(repeat):
            rundir = _fresh(base / f"linkcheck-{number}")
            measured["linkcheck"].append(
                once("linkcheck", "linkcheck", rundir, output=site)
            )
            shutil.rmtree(rundir, ignore_errors=True)
            if measured["linkcheck"][-1]["status"] == "not available":
                break
        for number in range(repeat):
            rundir = _fresh(base / f"lychee-{number}")
            measured["lychee"].append(once("lychee", "lychee", rundir, output=site))
            shutil.rmtree(rundir, ignore_errors=True)
            if measured["lychee"][-1]["status"] == "not available":
                break
    else:
        for key in ("linkcheck", "lychee"):
            measured[key].append(
                {"status": "not available", "reason": "the full build failed"}
            )

    # The rebuild edits an article in the middle of the archive; the
    # original text is put back afterwards.
    edited = paths[len(paths) // 2]
    original = edited.read_text(encoding="utf-8")
    # The project's rebuild, then bare Pelican's (with its content cache: the
    # reference the issue first compared rebuilds with), after the same edits.
    for key in ("rebuild", "bare_rebuild"):
        rundir = _fresh(base / key.replace("_", "-"))
        first = once(f"{key} (warm-up)", key, rundir)
        if first["status"] != "ok":
            measured[key].append(first)
        else:
            for number in range(repeat):
                edit_article(edited, number)
                measured[key].append(once(key, key, rundir))
        edited.write_text(original, encoding="utf-8")

    # One serve session (its first build is not timed): three edits.
    rundir = _fresh(base / "serve")
    measured["serve"].append(once("serve", "serve", rundir))
    shutil.rmtree(rundir, ignore_errors=True)

    feeds = feed_size(site / "feeds") if site.exists() else None
    scenarios = {key: summarize(measured[key], articles) for key, _, _ in SCENARIOS}
    for key, _, label in SCENARIOS:
        scenarios[key]["label"] = label
    bare = scenarios["bare"]
    for entry in scenarios.values():
        if entry["status"] == "ok" and bare["status"] == "ok":
            entry["ratio_to_bare"] = round(entry["median"] / bare["median"], 3)
            if entry.get("cpu_median") is not None and bare.get("cpu_median"):
                entry["cpu_ratio_to_bare"] = round(
                    entry["cpu_median"] / max(bare["cpu_median"], 1e-9), 3
                )
    return {
        "articles": articles,
        "repeat": repeat,
        "seed": seed,
        "date": time.strftime("%Y-%m-%d"),
        "machine": machine(),
        # Other work on the machine during the run (1, 5, 15-minute averages).
        "load_average": {
            "before": [round(x, 2) for x in load_before],
            "after": [round(x, 2) for x in os.getloadavg()],
        },
        "plugins": project_plugins(),
        "corpus": corpus.describe(corpus_dir),
        "edited_article": str(edited.relative_to(corpus_dir)),
        "scenarios": scenarios,
        # What subscribers' feed readers download: every feed file written.
        "feeds": feeds,
    }


def feed_size(folder: Path) -> dict:
    """Bytes and number of the feed files a full build wrote (the readable
    feeds page excluded)."""
    files = [
        p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".html")
    ]
    return {
        "files": len(files),
        "megabytes": round(sum(p.stat().st_size for p in files) / 1e6, 2),
    }


def project_plugins() -> list[str]:
    """The PLUGINS of publishconf.py, as the full build loads them."""
    from pelican.settings import get_settings_from_file

    return list(get_settings_from_file(str(ROOT / "publishconf.py")).get("PLUGINS", []))


def profile_full(articles: int, workdir: Path, seed: int, out: Path, log=print) -> Path:
    """cProfile of one cold full build; writes a text summary to `out`."""
    import pstats

    base = _fresh(workdir / f"profile-n{articles}")
    corpus_dir = base / "content"
    corpus.generate(corpus_dir, articles, seed=seed)
    stats_file = base / "full.prof"
    result = run_child(
        "full",
        base / "run",
        corpus_dir=corpus_dir,
        output=base / "run" / "output",
        today=f"{corpus.last_year(articles) + 1}-01-01",
        profile=stats_file,
    )
    if result["status"] != "ok":
        raise RuntimeError(f"profiled build failed: {result}")
    text = report.profile_summary(pstats.Stats(str(stats_file)), result, articles)
    out.write_text(text, encoding="utf-8")
    log(f"profile written to {out}")
    return out


def load_results(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"runs": {}}


def compile_project() -> None:
    """Byte-compile the project's own modules, as an installed package is:
    with PYTHONDONTWRITEBYTECODE set (as on the build machines) every build
    process would otherwise compile them again (~0.1 s a process), which
    bare Pelican, installed and compiled, never does."""
    import compileall

    for folder in ("plugins", "pipeline", "bench"):
        compileall.compile_dir(str(ROOT / folder), quiet=1)
    compileall.compile_file(str(ROOT / "tasks.py"), quiet=1)


def run(
    sizes=(475,),
    repeat: int = 5,
    seed: int = 2008,
    workdir=None,
    results: Path = RESULTS,
    benchmarks: Path = BENCHMARKS,
    keep: bool = False,
    log=print,
    only=None,
) -> dict:
    """Measure every size, merge into `results` (JSON, by size) and rewrite the
    results section of `benchmarks`."""
    own = workdir is None
    workdir = Path(workdir or tempfile.mkdtemp(prefix="sysadvent-bench-"))
    compile_project()
    try:
        recorded = load_results(results)
        for articles in sizes:
            recorded["runs"][str(articles)] = measure(
                articles, repeat, workdir, seed, log=log, only=only
            )
            # Written after every size: a long run keeps what it measured.
            results.parent.mkdir(parents=True, exist_ok=True)
            results.write_text(json.dumps(recorded, indent=2) + "\n", encoding="utf-8")
            report.write_benchmarks(benchmarks, recorded)
        log(f"results: {results}\nreport: {benchmarks}")
        return recorded
    finally:
        if own and not keep:
            shutil.rmtree(workdir, ignore_errors=True)


def command(
    *, sizes, repeat, seed, workdir, results, report, profile, render_only, only=None
) -> list[str]:
    """`invoke bench`: measure (or only re-render the report); failed runs."""
    import shutil
    import tempfile

    from . import report as reporting

    results = Path(results) if results else RESULTS
    benchmarks = Path(report) if report else BENCHMARKS
    if render_only:
        reporting.write_benchmarks(benchmarks, load_results(results))
        print(f"report: {benchmarks}")
        return []
    recorded = run(
        sizes=sizes,
        repeat=repeat,
        seed=seed,
        workdir=workdir,
        results=results,
        benchmarks=benchmarks,
        keep=workdir is not None,
        only=only,
    )
    if profile:
        scratch = Path(workdir or tempfile.mkdtemp(prefix="sysadvent-profile-"))
        for size in sizes:
            out = Path(__file__).parent / f"profile-full-{size}.txt"
            profile_full(size, scratch, seed, out)
        if workdir is None:
            shutil.rmtree(scratch, ignore_errors=True)
    return [
        f"{size}: {key}"
        for size, entry in recorded["runs"].items()
        if int(size) in sizes
        for key, scenario in entry["scenarios"].items()
        if scenario["status"] == "failed"
    ]
