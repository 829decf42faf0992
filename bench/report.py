"""Render benchmark results as Markdown (the generated part of BENCHMARKS.md)
and summarize a cProfile run."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

START = "<!-- bench:results:start -->"
END = "<!-- bench:results:end -->"

SMALL, LARGE = 475, 5000


def _seconds(entry) -> str:
    if entry.get("status") != "ok":
        return "—"
    return f"{entry['median']:.3f} s"


def _cell(entry, key: str, fmt: str) -> str:
    value = entry.get(key) if entry.get("status") == "ok" else None
    return fmt.format(value) if value is not None else "—"


def scenario_table(run: dict) -> str:
    """One row per scenario: median, spread, ms/article, ratio, memory."""
    rows = [
        "| measurement | median | min – max (n) | ms/article | × bare Pelican "
        "| CPU time (median) | CPU × bare | peak memory |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, entry in run["scenarios"].items():
        label = entry.get("label", key)
        if entry.get("status") != "ok":
            reason = entry.get("reason", "") or entry.get("status")
            status = (
                "not available" if entry.get("status") == "not available" else "FAILED"
            )
            rows.append(f"| {label} | {status} | {_escape(reason)} | | | | | |")
            continue
        spread = f"{entry['min']:.3f} – {entry['max']:.3f} ({entry['runs']})"
        rows.append(
            f"| {label} | {_seconds(entry)} | {spread} | "
            f"{_cell(entry, 'ms_per_article', '{:.2f}')} | "
            f"{_cell(entry, 'ratio_to_bare', '{:.2f}×')} | "
            f"{_cell(entry, 'cpu_median', '{:.3f} s')} | "
            f"{_cell(entry, 'cpu_ratio_to_bare', '{:.2f}×')} | "
            f"{_cell(entry, 'peak_rss_mb', '{:.0f} MB')} |"
        )
    return "\n".join(rows)


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")[:200]


def _ok(run, key):
    entry = (run or {}).get("scenarios", {}).get(key, {})
    return entry if entry.get("status") == "ok" else None


def _verdict(wall, cpu, limit, cpu_limit=None) -> str:
    cpu_limit = limit if cpu_limit is None else cpu_limit
    if wall is None:
        return "not measured"
    if wall <= limit:
        if cpu is not None and cpu > cpu_limit:
            return "met on wall time, **missed** on CPU time"
        return "met"
    if cpu is not None and cpu <= cpu_limit:
        return "**missed** on wall time, met on CPU time"
    return "**missed**"


def _ratio(a, b, key):
    if a and b and a.get(key) is not None and b.get(key):
        return a[key] / b[key]
    return None


def _number(size) -> int:
    return int(str(size).split()[0])


def targets(runs: dict) -> str:
    """Issue 17's targets, each with the measured value (wall and CPU time)
    and met / missed (wall time is the time people wait; CPU time is what a
    busy shared machine cannot blur)."""
    rows = [
        "| target | N | measured (wall) | measured (CPU) | verdict |",
        "|---|---:|---:|---:|---|",
    ]

    def add(name, size, wall, cpu, limit, fmt, cpu_limit=None):
        shown = [fmt.format(v) if v is not None else "—" for v in (wall, cpu)]
        verdict = _verdict(wall, cpu, limit, cpu_limit)
        rows.append(f"| {name} | {size} | {shown[0]} | {shown[1]} | {verdict} |")

    def ratio_row(name, size, a, b, limit, fmt, cpu_limit=None):
        wall, cpu = _ratio(a, b, "median"), _ratio(a, b, "cpu_median")
        add(name, size, wall, cpu, limit, fmt, cpu_limit)

    newest = max(runs.values(), key=lambda r: r.get("date", ""))
    for size in sorted(runs, key=int):
        run = runs[size]
        number = int(size)
        if run.get("plugins") != newest.get("plugins"):
            # Measured before plugins were added or removed: say so.
            size = f"{size} (older plugin set)"
        bare, full = _ok(run, "bare"), _ok(run, "full")
        rebuild = _ok(run, "rebuild")
        cold, cached = _ok(run, "codecheck_cold"), _ok(run, "codecheck_cached")
        linkcheck, lychee = _ok(run, "linkcheck"), _ok(run, "lychee")
        ratio_row(
            "full cold build ≤ 1.5× bare Pelican (CPU ≤ 2×)",
            size,
            full,
            bare,
            1.5,
            "{:.2f}×",
            cpu_limit=2.0,
        )
        ratio_row(
            "rebuild after one edit ≤ 15 % of the cold build",
            size,
            rebuild,
            full,
            0.15,
            "{:.0%}",
        )
        bare_rebuild = _ok(run, "bare_rebuild")
        if bare_rebuild and rebuild:
            shown = [
                f"{v:.2f}×" if v is not None else "—"
                for v in (
                    _ratio(rebuild, bare_rebuild, "median"),
                    _ratio(rebuild, bare_rebuild, "cpu_median"),
                )
            ]
            rows.append(
                "| rebuild / bare Pelican's rebuild with its content cache "
                f"(reference, no target) | {size} | {shown[0]} | {shown[1]} | — |"
            )
        ratio_row(
            "codecheck cold adds ≤ 10 % to a cold build",
            size,
            cold,
            full,
            0.10,
            "{:.1%}",
        )
        ratio_row(
            "codecheck cached adds ≤ 1 % to a cold build",
            size,
            cached,
            full,
            0.01,
            "{:.2%}",
        )
        if lychee:
            add(
                "internal linkcheck ≤ 1.5× lychee on the same site",
                size,
                _ratio(linkcheck, lychee, "median"),
                None,
                1.5,
                "{:.2f}×",
            )
        if number == SMALL:
            add(
                "internal linkcheck of the whole site < 1 s",
                size,
                linkcheck and linkcheck["median"],
                linkcheck and linkcheck.get("cpu_median"),
                1.0,
                "{:.3f} s",
            )
            serve = _ok(run, "serve")
            add(
                "invoke serve: edit to preview ≤ 1 s",
                size,
                serve and serve["median"],
                None,
                1.0,
                "{:.3f} s",
            )
            feeds = run.get("feeds") or {}
            add(
                "feeds of the whole site < 10 MB",
                size,
                feeds.get("megabytes"),
                None,
                10.0,
                "{:.1f} MB",
            )
        if number == LARGE:
            peak = max(
                (
                    run["scenarios"][k]["peak_rss_mb"]
                    for k in ("full", "rebuild", "full_single")
                    if _ok(run, k)
                ),
                default=None,
            )
            add(
                "peak memory ≤ 1 GB", size, peak and peak / 1024, None, 1.0, "{:.2f} GB"
            )
    small = runs.get(str(SMALL))
    larger = [s for s in sorted(runs, key=int) if int(s) > SMALL]
    if small and larger:
        for size in larger:
            large = runs[size]
            if small.get("plugins") != large.get("plugins"):
                rows.append(
                    f"| linear growth: ms/article at {size} ≤ 1.1× at {SMALL} | — | "
                    "not comparable: the sizes were measured with different plugins "
                    "| | not measured |"
                )
                continue
            for key in ("bare", "full"):
                a, b = _ok(small, key), _ok(large, key)
                n = int(size)
                add(
                    f"linear growth ({key}): ms/article at {size} ≤ 1.1× at {SMALL}",
                    f"{SMALL}→{size}",
                    a and b and b["median"] / n / (a["median"] / SMALL),
                    a and b and b["cpu_median"] / n / (a["cpu_median"] / SMALL),
                    1.1,
                    "{:.2f}×",
                )
    else:
        rows.append(
            f"| linear growth: ms/article at {LARGE} ≤ 1.1× at {SMALL} | — | "
            f"needs runs at both sizes | | not measured |"
        )
    return "\n".join(rows)


def stage_table(entry: dict) -> str:
    """Where a build's time and memory go, stage by stage (medians)."""
    rows = [
        "| stage | wall (median) | CPU (median, with its processes) "
        "| resident at its end | peak so far |",
        "|---|---:|---:|---:|---:|",
    ]
    for stage in entry.get("stages", []):
        inner = ":" in stage["stage"]
        name = f"↳ {stage['stage'].split(': ', 1)[1]}" if inner else stage["stage"]
        cells = [
            f"{stage['seconds']:.3f} s" if "seconds" in stage else "",
            f"{stage['cpu_seconds']:.3f} s" if "cpu_seconds" in stage else "",
            f"{stage['rss_mb']:.0f} MB" if "rss_mb" in stage else "",
            f"{stage['peak_mb']:.0f} MB" if "peak_mb" in stage else "",
        ]
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _load(run: dict) -> str:
    load = run.get("load_average")
    if not load:
        return ""
    return (
        f"Load average (1/5/15 min) {' / '.join(map(str, load['before']))} before, "
        f"{' / '.join(map(str, load['after']))} after: other work shared the cores, "
        "so wall times are noisy; CPU times much less."
    )


def corpus_line(run: dict) -> str:
    c = run["corpus"]
    languages = ", ".join(f"{k} {v}" for k, v in c["languages"].items())
    return (
        f"{c['articles']} articles in {c['seasons']} seasons, {c['people']} people, "
        f"~{c['words_per_article']} words of prose per article, {c['code_blocks']} code "
        f"blocks ({languages}), {c['internal_links']} internal and "
        f"{c['external_links']} external links, {c['megabytes']} MB of Markdown"
    )


def render(recorded: dict) -> str:
    """The generated results section."""
    runs = recorded.get("runs", {})
    out = [START, "", "## Results", ""]
    if not runs:
        out += ["No results yet: run `invoke bench`.", "", END]
        return "\n".join(out)
    out += ["### Targets", "", targets(runs), ""]
    for size in sorted(runs, key=int):
        run = runs[size]
        m = run["machine"]
        out += [
            f"### N = {size} articles",
            "",
            f"Measured {run['date']} on {m['cores']} cores, Python {m['python']}, "
            f"Pelican {m['pelican']} ({m['platform']}); {run['repeat']} runs per "
            f"measurement, corpus seed {run['seed']}. {_load(run)}",
            "",
            f"Corpus: {corpus_line(run)}.",
            "",
            *(
                [
                    f"Feeds written by the full build: {run['feeds']['files']} files, "
                    f"{run['feeds']['megabytes']} MB.",
                    "",
                ]
                if run.get("feeds")
                else []
            ),
            f"Plugins of the full build (publishconf.py): "
            f"{', '.join(f'`{p}`' for p in run['plugins']) or 'none'}.",
            "",
            scenario_table(run),
            "",
        ]
        details = [
            f"- {e.get('label', k)}: {e['detail']}"
            for k, e in run["scenarios"].items()
            if e.get("status") == "ok" and e.get("detail")
        ]
        if details:
            out += ["Notes from the runs:", "", *details, ""]
        for key in ("full", "full_single"):
            entry = run["scenarios"].get(key, {})
            if entry.get("status") == "ok" and entry.get("stages"):
                out += [
                    f"Stages of the {entry.get('label', key)} (from the build's "
                    "own clock; ↳ a part of the stage above: each check):",
                    "",
                    stage_table(entry),
                    "",
                ]
    out.append(END)
    return "\n".join(out)


HEADER = """\
# Benchmarks

How fast the site builds, measured by `invoke bench` (see `bench/`). The
section between the markers below is rewritten by every run; the rest of the
file is written by people.

"""


def write_benchmarks(path: Path, recorded: dict) -> None:
    """Replace the generated section of `path` (created when missing)."""
    path = Path(path)
    text = (
        path.read_text(encoding="utf-8")
        if path.exists()
        else HEADER + f"{START}\n{END}\n"
    )
    section = render(recorded)
    if START in text and END in text:
        text = re.sub(
            re.escape(START) + ".*?" + re.escape(END),
            lambda _: section,
            text,
            flags=re.DOTALL,
        )
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def _shorten(text: str) -> str:
    """Drop machine-specific path prefixes from a profile listing."""
    prefixes = sorted({p for p in sys.path if p and p != "."}, key=len, reverse=True)
    for prefix in prefixes:
        text = text.replace(prefix.rstrip("/") + "/", "")
    root = str(Path(__file__).resolve().parent.parent)
    text = text.replace(root + "/", "")
    # pstats names the (temporary) stats file in a header line; drop it.
    return re.sub(r"(?m)^\w{3} \w{3} .*\.prof\n", "", text)


def profile_summary(stats, result: dict, articles: int) -> str:
    """The top functions of a profiled build, by own time and by cumulative time."""
    out = io.StringIO()
    out.write(
        f"cProfile of one cold full build, N = {articles} articles: "
        f"{result['seconds']:.2f} s under the profiler "
        f"(profiling slows Python code down; compare shares, not seconds).\n\n"
    )
    for order, count in (("tottime", 35), ("cumulative", 45)):
        out.write(f"=== top {count} by {order} ===\n")
        stats.stream = out
        stats.sort_stats(order).print_stats(count)
    return _shorten(out.getvalue())
