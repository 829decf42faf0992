"""Articles rendered on every core and cached by content: the site is the
same, byte for byte, whichever way its articles were rendered."""

from __future__ import annotations

import datetime as dt
import filecmp
import re
from pathlib import Path

import pytest

from bench import corpus
from pipeline.build import BuildRequest, build
from pipeline.prerender import render_key

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 30  # two seasons, every kind of code block


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("speed") / "content"
    corpus.generate(folder, ARTICLES, seed=7)
    return folder


def _build(content, output, cache, **overrides):
    result = build(
        BuildRequest(
            settings_file=str(ROOT / "publishconf.py"),
            output=str(output),
            content=str(content),
            today=f"{corpus.last_year(ARTICLES) + 1}-01-01",
            overrides={"CACHE_PATH": str(cache), **overrides},
        )
    )
    assert result.built and result.ok, result.problems[:5]
    return result


# The sitemap gives pages without a date (index, tags…) the time of the build.
BUILD_TIME_RE = re.compile(rb"<lastmod>%d-[^<]*</lastmod>" % dt.date.today().year)


def _same(left: Path, right: Path) -> bool:
    if left.name == "sitemap.xml":
        return BUILD_TIME_RE.sub(b"", left.read_bytes()) == BUILD_TIME_RE.sub(
            b"", right.read_bytes()
        )
    return filecmp.cmp(left, right, shallow=False)


def _differences(left: Path, right: Path) -> list[str]:
    """Files that are not in both trees or differ in a single byte (but the
    sitemap's build times)."""
    found = []
    left_files = {p.relative_to(left) for p in left.rglob("*") if p.is_file()}
    right_files = {p.relative_to(right) for p in right.rglob("*") if p.is_file()}
    found += [f"only in one: {p}" for p in sorted(left_files ^ right_files)]
    for name in sorted(left_files & right_files):
        if not _same(left / name, right / name):
            found.append(f"differs: {name}")
    return found


@pytest.fixture(scope="module")
def builds(content, tmp_path_factory):
    """One process without cache; a pool cold; the same pool warm."""
    base = tmp_path_factory.mktemp("builds")
    single = _build(
        content,
        base / "single",
        base / "cache-single",
        BUILD_WORKERS=1,
        BUILD_RENDER_CACHE=False,
    )
    cold = _build(content, base / "cold", base / "cache", BUILD_WORKERS=2)
    warm = _build(content, base / "warm", base / "cache", BUILD_WORKERS=2)
    return base, single, cold, warm


def test_a_pool_renders_the_same_site_as_one_process(builds):
    base, single, cold, _ = builds
    assert single.prerender["workers"] == 1
    assert cold.prerender["workers"] == 2
    assert cold.prerender["rendered"] >= ARTICLES
    assert _differences(base / "single", base / "cold") == []


def test_a_warm_cache_renders_nothing_and_changes_no_byte(builds):
    base, _, cold, warm = builds
    assert warm.prerender["rendered"] == 0
    assert warm.prerender["cached"] == cold.prerender["rendered"]
    assert _differences(base / "cold", base / "warm") == []


def test_an_edit_renders_only_the_edited_article(builds, content, tmp_path):
    base = builds[0]
    edited = sorted(content.glob("*/*.md"))[ARTICLES // 2]
    original = edited.read_text(encoding="utf-8")
    try:
        edited.write_text(original + "\nOne more sentence.\n", encoding="utf-8")
        result = _build(content, tmp_path / "out", base / "cache", BUILD_WORKERS=2)
    finally:
        edited.write_text(original, encoding="utf-8")
    assert result.prerender["rendered"] == 1
    page = next(
        p for p, s in result.source_map.items() if Path(s).resolve() == edited.resolve()
    )
    assert "One more sentence." in (tmp_path / "out" / page).read_text()


def test_the_cache_key_follows_every_input():
    key = render_key("text", {}, ["summary"])
    assert key == render_key("text", {}, ["summary"])
    assert key != render_key("text ", {}, ["summary"])
    assert key != render_key("text", {"yml": "yaml"}, ["summary"])
    assert key != render_key("text", {}, ["summary", "description"])


def test_stages_are_timed_in_order(builds):
    stages = [s["stage"] for s in builds[2].stages if ":" not in s["stage"]]
    assert stages == [
        "sources",
        "pre-render",
        "source checks",
        "pelican",
        "site checks",
    ]
    parts = {s["stage"] for s in builds[2].stages if ":" in s["stage"]}
    assert {"source checks: codecheck", "site checks: linkcheck/internal"} <= parts
    assert all(s["seconds"] >= 0 for s in builds[2].stages)
    assert all(s["peak_mb"] > 0 for s in builds[2].stages if "peak_mb" in s)


def test_a_damaged_cached_entry_is_rendered_again(builds, content, tmp_path):
    import json
    import shutil
    import sqlite3

    base = builds[0]
    cache = tmp_path / "cache"
    shutil.copytree(base / "cache", cache)
    with sqlite3.connect(cache / "render" / "store.sqlite3") as db:
        rows = db.execute("SELECT key, value FROM entries").fetchall()
        for key, value in rows[:5]:
            entry = json.loads(value)
            entry["facts"]["codecheck/document"] = {"blocks": [["not", "a block"]]}
            db.execute(
                "UPDATE entries SET value = ? WHERE key = ?", (json.dumps(entry), key)
            )
    result = _build(content, tmp_path / "out", cache, BUILD_WORKERS=2)
    assert result.prerender["rendered"] == 5
    assert _differences(base / "cold", tmp_path / "out") == []
