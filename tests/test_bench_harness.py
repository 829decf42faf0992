"""`invoke bench` keeps working: a small corpus, one run of every measurement.

Timings are recorded, never asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from bench import child, report

SIZE = 50


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench")
    results, benchmarks = folder / "results.json", folder / "BENCHMARKS.md"
    benchmarks.write_text("# Benchmarks\n\nWritten by people.\n", encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "invoke",
        "bench",
        "--articles",
        str(SIZE),
        "--repeat",
        "1",
        "--workdir",
        str(folder / "work"),
        "--results",
        str(results),
        "--report",
        str(benchmarks),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    return done, results, benchmarks, folder / "work"


def test_bench_measures_every_scenario(bench_run):
    done, results, _, _ = bench_run
    assert done.returncode == 0, done.stdout + done.stderr
    run = json.loads(results.read_text())["runs"][str(SIZE)]
    assert run["articles"] == SIZE
    assert run["machine"]["cores"] >= 1 and run["machine"]["python"]
    assert run["corpus"]["articles"] == SIZE
    assert "plugins.advent" in run["plugins"]
    assert run["feeds"]["files"] > 3 and 0 < run["feeds"]["megabytes"] < 10
    scenarios = run["scenarios"]
    assert list(scenarios) == [
        "bare",
        "full",
        "rebuild",
        "bare_rebuild",
        "codecheck_cold",
        "codecheck_cached",
        "linkcheck",
        "full_single",
        "hugo",
        "lychee",
        "serve",
    ]
    for key in ("bare", "full", "rebuild", "bare_rebuild", "full_single", "serve"):
        entry = scenarios[key]
        assert entry["status"] == "ok", entry
        assert entry["runs"] == 1 and entry["seconds"][0] > 0
        assert entry["peak_rss_mb"] > 10
        assert entry["ms_per_article"] == pytest.approx(
            entry["median"] * 1000 / SIZE, rel=0.01
        )
    assert scenarios["bare"]["ratio_to_bare"] == 1.0
    # The stages of the build come with the full builds.
    names = [s["stage"] for s in scenarios["full"]["stages"]]
    assert names[:3] == ["sources", "pre-render", "source checks"]
    assert "pre-render" in [s["stage"] for s in scenarios["full_single"]["stages"]]
    # A plugin or peer that is not installed is reported, never given a number.
    for key in ("codecheck_cold", "codecheck_cached", "linkcheck", "hugo", "lychee"):
        entry = scenarios[key]
        assert entry["status"] in ("ok", "not available"), entry
        if entry["status"] == "not available":
            assert entry["reason"] and "median" not in entry


def test_bare_pelicans_rebuild_reads_through_its_content_cache(bench_run):
    _, _, _, work = bench_run
    cache = work / f"n{SIZE}" / "bare-rebuild" / "cache"
    assert any(p.name.startswith("ArticlesGenerator") for p in cache.iterdir())
    assert (work / f"n{SIZE}" / "bare-rebuild" / "output" / "index.html").is_file()


def test_the_full_build_rendered_every_article(bench_run):
    _, _, _, work = bench_run
    site = work / f"n{SIZE}" / "site"
    pages = list(site.glob("20*/12/day-*.html"))
    assert len(pages) == SIZE
    assert (site / "2009" / "index.html").is_file()


def test_the_edited_article_is_restored(bench_run):
    _, results, _, work = bench_run
    run = json.loads(results.read_text())["runs"][str(SIZE)]
    edited = work / f"n{SIZE}" / "content" / run["edited_article"]
    assert "Edited for the benchmark" not in edited.read_text()


def test_benchmarks_md_gets_the_tables_and_keeps_the_prose(bench_run):
    _, _, benchmarks, _ = bench_run
    text = benchmarks.read_text()
    assert text.startswith("# Benchmarks\n\nWritten by people.\n")
    assert report.START in text and report.END in text
    assert f"### N = {SIZE} articles" in text
    assert "| Bare Pelican (baseline)" in text
    assert "| full cold build ≤ 1.5× bare Pelican (CPU ≤ 2×) | 50 |" in text
    assert "| ↳ codecheck |" in text
    assert "cores, Python 3." in text
    assert "Feeds written by the full build: " in text


def test_rewriting_replaces_only_the_generated_section(tmp_path):
    path = tmp_path / "BENCHMARKS.md"
    path.write_text(f"intro\n\n{report.START}\nold\n{report.END}\n\nanalysis\n")
    report.write_benchmarks(path, {"runs": {}})
    text = path.read_text()
    assert text.startswith("intro\n\n")
    assert text.endswith(f"{report.END}\n\nanalysis\n")
    assert "old" not in text and "No results yet" in text


def _run(scenarios: dict, size="475") -> dict:
    entries = {
        key: {"status": "ok", "median": wall, "cpu_median": cpu, "peak_rss_mb": 100}
        for key, (wall, cpu) in scenarios.items()
    }
    return {size: {"scenarios": entries}}


def test_targets_say_met_missed_or_not_measured():
    table = report.targets(
        _run(
            {
                "bare": (2.0, 2.0),
                "full": (4.0, 2.8),
                "rebuild": (0.5, 0.4),
                "linkcheck": (0.2, 0.2),
            }
        )
    )
    assert (
        "| full cold build ≤ 1.5× bare Pelican (CPU ≤ 2×) | 475 | 2.00× | 1.40× | **missed** on wall time, met on CPU time"
        in table
    )
    assert (
        "| rebuild after one edit ≤ 15 % of the cold build | 475 | 12% | 14% | met |"
        in table
    )
    assert (
        "| codecheck cold adds ≤ 10 % to a cold build | 475 | — | — | not measured |"
        in table
    )
    assert (
        "| internal linkcheck of the whole site < 1 s | 475 | 0.200 s | 0.200 s | met |"
        in table
    )
    assert "needs runs at both sizes" in table


def test_a_miss_on_both_clocks_is_a_miss():
    table = report.targets(
        _run({"bare": (1.0, 1.0), "full": (2.0, 2.0), "rebuild": (0.5, 0.7)})
    )
    assert "| 475 | 25% | 35% | **missed** |" in table
    assert (
        "| full cold build ≤ 1.5× bare Pelican (CPU ≤ 2×) | 475 | 2.00× | 2.00× | **missed** on wall time, met on CPU time |"
        in table
    )
    table = report.targets(
        _run({"bare": (1.0, 1.0), "full": (1.4, 2.5), "rebuild": (0.1, 0.1)})
    )
    assert "| 475 | 1.40× | 2.50× | met on wall time, **missed** on CPU time |" in table
    assert "| 475 | 7% | 4% | met |" in table


def test_source_map_names_the_pages_the_build_wrote(bench_run):
    _, _, _, work = bench_run
    found = child.source_map(work / f"n{SIZE}" / "content")
    assert len(found) == SIZE
    for page, source in found.items():
        assert (work / f"n{SIZE}" / "site" / page).is_file(), page
        assert source.endswith(".md")


def test_plugin_functions_get_their_arguments_by_name(tmp_path):
    def check_paths(paths, settings=None):
        return [paths, settings]

    call = child._call(
        check_paths, {"paths": ["a.md"], "settings": {"X": 1}, "other": 2}
    )
    assert call() == [["a.md"], {"X": 1}]

    def needs_more(paths, registry):
        return paths

    with pytest.raises(child.NotAvailable, match="registry"):
        child._call(needs_more, {"paths": []})


def test_every_cache_of_a_run_lives_in_its_own_folder(tmp_path):
    found = child.cache_overrides(tmp_path)
    assert found["CACHE_PATH"] == str(tmp_path)
    assert found["CODECHECK_CACHE"].startswith(str(tmp_path))


def test_feed_size_is_judged_against_its_target():
    run = _run({"bare": (2.0, 2.0), "full": (2.5, 2.5)})
    run["475"]["feeds"] = {"files": 600, "megabytes": 8.3}
    assert "| feeds of the whole site < 10 MB | 475 | 8.3 MB | — | met |" in (
        report.targets(run)
    )
    run["475"]["feeds"]["megabytes"] = 183.0
    assert "| 183.0 MB | — | **missed** |" in report.targets(run)


def test_the_project_is_byte_compiled_before_measuring():
    import importlib.util

    from bench import harness

    module = ROOT / "plugins" / "sanitize" / "links.py"
    compiled = Path(importlib.util.cache_from_source(str(module)))
    compiled.unlink(missing_ok=True)
    harness.compile_project()
    assert compiled.is_file()
    assert compiled.stat().st_mtime >= module.stat().st_mtime
