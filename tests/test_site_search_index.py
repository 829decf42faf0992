"""`invoke build` runs Pagefind on the fresh site: article bodies are indexed,
future articles never, and a failed index leaves the last good output."""

import gzip
import json

import pytest
from site_builds import article_pages, build_as_of, two_seasons


def indexed(site):
    """The URL and text of every page in the Pagefind index of a built site."""
    pages = {}
    for fragment in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = json.loads(
            gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        )
        pages[data["url"]] = data
    return pages


@pytest.fixture(scope="module")
def midseason(tmp_path_factory):
    return build_as_of(tmp_path_factory.mktemp("mid") / "output", "2017-12-13")


def test_every_article_and_nothing_else_is_indexed(built_site):
    pages = indexed(built_site)
    articles = sorted(
        "/" + str(p.relative_to(built_site)) for p in article_pages(built_site)
    )
    assert sorted(pages) == articles
    day15 = pages["/2017/12/day-15-a-devops-christmas-carol.html"]
    assert day15["meta"]["title"] == "A DevOps Christmas Carol"
    assert day15["meta"]["author"] == "Emily Freeman"
    assert "Skip to content" not in day15["content"]  # only the article body


def test_future_articles_are_never_indexed(midseason):
    pages = indexed(midseason)
    assert len(pages) == 5
    assert not [url for url in pages if "day-14-" in url or "day-15-" in url]
    assert not [p for p in pages.values() if "Scrooge" in p["content"]]


def test_failed_index_leaves_the_last_good_output(site, monkeypatch):
    assert site.build(today="2017-12-31").returncode == 0
    before = sorted(p.name for p in site.output.iterdir())
    # Pagefind reads its options from the environment too: an invalid CSS
    # selector makes it fail, as a broken index step would.
    monkeypatch.setenv("PAGEFIND_EXCLUDE_SELECTORS", "[")
    result = site.build(today="2017-12-31")
    assert result.returncode != 0
    assert "Pagefind" in result.stderr
    assert sorted(p.name for p in site.output.iterdir()) == before


def test_a_large_archive_is_indexed_in_bundles_of_whole_seasons(tmp_path):
    from pipeline.search import plan_bundles

    for year, pages in (("2008", 25), ("2009", 25), ("2010", 10), ("2011", 25)):
        folder = tmp_path / year / "12"
        folder.mkdir(parents=True)
        for day in range(pages):
            (folder / f"day-{day + 1}.html").write_text("x")
    (tmp_path / "people").mkdir()
    assert plan_bundles(tmp_path, 85) == [[]]  # all fit: one bundle, as always
    assert plan_bundles(tmp_path, 50) == [["2008", "2009"], ["2010", "2011"]]
    assert plan_bundles(tmp_path, 30) == [["2008"], ["2009"], ["2010"], ["2011"]]


def test_every_article_is_in_exactly_one_bundle(built_site, tmp_path):
    from pipeline.search import BUNDLES_FILE, index_search

    site, per_season = two_seasons(built_site, tmp_path)
    assert index_search(site, limit=per_season) == []
    assert json.loads((site / BUNDLES_FILE).read_text()) == ["pagefind-2/"]
    first = indexed(site)
    second = {}
    for fragment in (site / "pagefind-2" / "fragment").glob("*.pf_fragment"):
        data = json.loads(
            gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        )
        second[data["url"]] = data
    articles = sorted(
        "/" + str(p.relative_to(built_site)) for p in article_pages(built_site)
    )
    assert sorted(first) == [a.replace("/2017/", "/2015/") for a in articles]
    assert sorted(second) == articles


def test_a_site_without_articles_has_no_index_and_no_error(tmp_path):
    from pipeline.search import index_search

    (tmp_path / "2017" / "12").mkdir(parents=True)
    (tmp_path / "index.html").write_text("<html><body><p>Soon.</p></body></html>")
    assert index_search(tmp_path) == []
    assert not (tmp_path / "pagefind").exists()


def test_pagefind_that_cannot_finish_is_a_problem_not_a_hang(tmp_path):
    """Pagefind waits for ever when a folder stands where pagefind.js goes;
    the build reports it after its time limit instead of hanging CI."""
    import time

    from pipeline.search import index_search

    page = tmp_path / "2017" / "12" / "day-1-x.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        "<html><head><title>x</title></head>"
        "<body><main data-pagefind-body><p>Words.</p></main></body></html>"
    )
    (tmp_path / "pagefind" / "pagefind.js").mkdir(parents=True)
    started = time.monotonic()
    problems = index_search(tmp_path, timeout=5)
    assert time.monotonic() - started < 30
    assert [p.message for p in problems] == [
        "the Pagefind search index could not be built: Pagefind did not finish in 5 s"
    ]
