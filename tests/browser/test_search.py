"""Search finds an article by a word of its body, on the static site alone;
articles not yet out are not in the index."""

import pytest

pytestmark = pytest.mark.browser


def search(page, base, words):
    page.goto(base + "search/")
    page.fill("#search-input", words)
    page.press("#search-input", "Enter")
    page.wait_for_function(
        "document.getElementById('search-status').textContent.includes('match')"
    )
    return page.eval_on_selector_all("#search-results a", "els => els.map(a => a.href)")


def test_search_finds_an_article_by_a_body_word(tab, server):
    t = tab()
    # "keepalive" is in the body of day 13 only.
    links = search(t.page, server.url, "keepalive")
    assert links, "no result"
    assert "day-13-half-dead-tcp-connections" in links[0]
    t.page.click("#search-results a >> nth=0")
    t.page.wait_for_load_state()
    assert "/2017/12/day-13-" in t.page.url


def test_search_query_in_the_address_runs(tab, server):
    t = tab()
    t.page.goto(server.url + "search/?q=scrooge")
    t.page.wait_for_selector("#search-results li")
    assert "day-15-a-devops-christmas-carol" in t.page.get_attribute(
        "#search-results a", "href"
    )


def test_future_articles_are_not_found(tab, midseason_server):
    t = tab()
    # Scrooge is only in day 15 (found on the full site above), which is not
    # out on 13 December. (Pagefind may still offer near matches elsewhere.)
    links = search(t.page, midseason_server.url, "scrooge")
    assert not [link for link in links if "day-14" in link or "day-15" in link]


def test_search_merges_the_bundles_of_a_large_archive(tab, built_site, tmp_path):
    """An archive past BUILD_SEARCH_BUNDLE_ARTICLES is indexed in several
    bundles; the search page finds articles in every one of them."""
    from site_builds import two_seasons

    from pipeline.search import index_search
    from tests.browser.conftest import Server

    site, per_season = two_seasons(built_site, tmp_path)
    assert index_search(site, limit=per_season) == []
    assert (site / "pagefind-2" / "pagefind-entry.json").is_file()
    srv = Server(site)
    try:
        links = search(tab().page, srv.url, "keepalive")
    finally:
        srv.close()
    years = sorted(link.split("/")[3] for link in links)
    assert years == ["2015", "2017"], links
