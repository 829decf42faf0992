"""A rebuild takes the article and page files whose inputs did not change
from the last good site (pipeline/reuse.py), and writes exactly what a cold
build writes, whatever the edit."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
from conftest import CORPUS12_ARTICLES, CORPUS12_TODAY

from pipeline.site import build_site

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "publishconf.py"
ARTICLES, TODAY = CORPUS12_ARTICLES, CORPUS12_TODAY


@pytest.fixture
def content(corpus12) -> Path:
    return corpus12


def _build(content, output, cache, settings=SETTINGS, **overrides):
    result = build_site(
        settings,
        output,
        today=TODAY,
        content=content,
        overrides={"CACHE_PATH": str(cache), **overrides},
    )
    assert result.ok, [p.as_text() for p in result.problems if p.is_error]
    return result


def _differences(left: Path, right: Path) -> list[str]:
    """Files that differ or exist on one side only (relative paths)."""
    found = []

    def walk(compared, prefix=""):
        found.extend(prefix + n for n in compared.diff_files)
        found.extend(prefix + n for n in compared.left_only + compared.right_only)
        for name, sub in compared.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right, ignore=[]))
    return sorted(found)


def _article(content, index=5) -> Path:
    return sorted(content.glob("[0-9]*/*.md"))[index]


def _edit_body(content, out):
    with open(_article(content), "a", encoding="utf-8") as handle:
        handle.write("\nA sentence added to the body.\n")


def _edit_title(content, out):
    path = _article(content)
    path.write_text(
        path.read_text(encoding="utf-8").replace("Title: ", "Title: Retitled ", 1),
        encoding="utf-8",
    )


def _rename_person(content, out):
    people = content / "people.toml"
    text = people.read_text(encoding="utf-8")
    people.write_text(text.replace('name = "', 'name = "Dr. ', 1), encoding="utf-8")


def _add_article(content, out):
    """Day 13 of the last season: day 12's article under a new title."""
    last = _article(content, -1)
    lines = []
    for line in last.read_text(encoding="utf-8").split("\n"):
        key = line.split(":", 1)[0]
        if key == "Title":
            line = "Title: An added article"
        elif key == "Date":
            line = line.replace("-12-12T", "-12-13T")
        elif key == "Day":
            line = "Day: 13"
        elif key == "Slug":
            line = "Slug: an-added-article"
        lines.append(line)
    assert "Day: 12" in last.read_text(encoding="utf-8")
    (last.parent / "13-an-added-article.md").write_text("\n".join(lines), "utf-8")


def _tamper_with_output(content, out):
    page = next(out.glob("*/12/day-3-*.html"))
    page.write_text("<p>edited by hand</p>", encoding="utf-8")


# Edit -> whether pages are taken from the last site: a header, the people
# registry or the set of articles changes what every page may show (the site
# key); a body only that article's page (and the feeds that carry it).
EDITS = {
    "body": (_edit_body, True),
    "title": (_edit_title, False),
    "people": (_rename_person, False),
    "added": (_add_article, False),
    "tampered output": (_tamper_with_output, True),
}


def _pages_made(result) -> list[str]:
    return [name for name in result.reuse["made"] if name.endswith(".html")]


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_rebuild_writes_what_a_cold_build_writes(content, tmp_path, edit):
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = _build(content, out, cache)
    change, taken = EDITS[edit]
    change(content, out)
    rebuilt = _build(content, out, cache)
    if taken:  # that one page only
        assert len(_pages_made(rebuilt)) == 1, rebuilt.reuse
    else:  # every page again
        assert set(_pages_made(first)) <= set(_pages_made(rebuilt)), rebuilt.reuse
    _build(content, tmp_path / "cold", tmp_path / "cold-cache")
    assert _differences(out, tmp_path / "cold") == []


def test_an_edited_body_makes_its_page_and_the_feeds_that_carry_it(content, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = _build(content, out, cache)
    assert first.reuse["taken"] == 0
    _edit_body(content, out)
    again = _build(content, out, cache)
    page = next(p for p, s in again.source_map.items() if s == str(_article(content)))
    assert _pages_made(again) == [page]
    feeds = {
        p.relative_to(out).as_posix()
        for p in (out / "feeds").rglob("*.*")
        if b"A sentence added to the body." in p.read_bytes()
    }
    assert feeds  # the site, season, people and tag feeds that carry it
    assert set(again.reuse["made"]) - {page} == feeds
    assert again.reuse["taken"] == len(first.reuse["made"]) - len(feeds) - 1


def test_a_changed_setting_makes_every_page_again(content, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = _build(content, out, cache)
    again = _build(content, out, cache, SITENAME="Renamed Advent")
    assert again.reuse["taken"] == 0
    assert again.reuse["made"] == first.reuse["made"]
    assert "Renamed Advent" in next(out.glob("*/12/day-3-*.html")).read_text("utf-8")


def test_nothing_is_taken_when_reuse_is_turned_off(content, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    _build(content, out, cache)
    again = _build(content, out, cache, BUILD_PAGE_REUSE=False)
    assert again.reuse == {}


def test_lists_split_in_pages_are_made_again_and_match_a_cold_build(content, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    split = {"PAGINATED_TEMPLATES": {"tag": 1}}  # every tag of 2+ articles
    _build(content, out, cache, **split)
    _edit_body(content, out)
    _build(content, out, cache, **split)
    assert list(out.glob("tags/*/page/2/index.html"))  # lists were split
    _build(content, tmp_path / "cold", tmp_path / "cold-cache", **split)
    assert _differences(out, tmp_path / "cold") == []


def test_a_development_build_with_relative_urls_is_rebuilt_right(content, tmp_path):
    settings = ROOT / "pelicanconf.py"  # RELATIVE_URLS: each page its own base
    out, cache = tmp_path / "out", tmp_path / "cache"
    _build(content, out, cache, settings)
    _edit_body(content, out)
    again = _build(content, out, cache, settings)
    assert len(_pages_made(again)) == 1 and again.reuse["taken"] > 0
    _build(content, tmp_path / "cold", tmp_path / "cold-cache", settings)
    assert _differences(out, tmp_path / "cold") == []


def test_a_search_bundle_whose_pages_did_not_change_is_copied(tmp_path):
    """Two bundles (a season each); an edit in the second season indexes
    only the second bundle again, and the index is the cold build's."""
    from bench import corpus

    content = tmp_path / "content"
    corpus.generate(content, 30, seed=11)  # 25 articles in 2008, 5 in 2009
    today = f"{corpus.last_year(30) + 1}-01-01"

    def build(output, cache):
        result = build_site(
            SETTINGS,
            output,
            today=today,
            content=content,
            search=True,
            overrides={"CACHE_PATH": str(cache), "BUILD_SEARCH_BUNDLE_ARTICLES": 25},
        )
        assert result.ok, [p.as_text() for p in result.problems if p.is_error]

    out, cache = tmp_path / "out", tmp_path / "cache"
    build(out, cache)
    assert (out / "pagefind-2").is_dir()
    first = {p: p.stat().st_mtime_ns for p in (out / "pagefind").rglob("*.pf_*")}
    with open(sorted(content.glob("2009/*.md"))[0], "a", encoding="utf-8") as f:
        f.write("\nA sentence added to the body.\n")
    build(out, cache)
    # Copied with its files' times: the first bundle was not indexed again.
    assert (
        first
        and {p: p.stat().st_mtime_ns for p in (out / "pagefind").rglob("*.pf_*")}
        == first
    )
    build(tmp_path / "cold", tmp_path / "cold-cache")
    for bundle in ("pagefind", "pagefind-2"):
        assert _differences(out / bundle, tmp_path / "cold" / bundle) == []
