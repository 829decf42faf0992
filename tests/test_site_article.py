"""The article page: day mark, byline with people links and handles, reading
time, tags, description, highlighted code, heading anchors, day navigation."""

import pytest
from site_builds import soup

ARTICLE = "2017/12/day-12-monitoring-postgres-replication-lag.html"


@pytest.fixture(scope="module")
def page(built_site):
    return soup(built_site, ARTICLE)


def test_day_mark_title_and_date(page):
    assert page.select_one(".day-badge").get_text() == "Day 12"
    assert page.h1.get_text() == "Monitoring Postgres Replication Lag"
    assert (
        page.title.get_text()
        == "Day 12: Monitoring Postgres Replication Lag · SysAdvent 2017"
    )
    assert page.select_one(".date time")["datetime"] == "2017-12-12T00:00:00-05:00"


def test_byline_links_author_and_editor_with_handles(page):
    byline = page.select_one(".byline")
    assert byline.get_text(" ", strip=True) == (
        "By Kathryn Exline @kathryn_ex · Edited by Baron Schwartz @xaprb"
    )
    assert [a["href"] for a in byline.find_all("a")] == [
        "../../people/kathryn-exline/",
        "../../people/baron-schwartz/",
    ]


def test_reading_time_and_tags(page):
    assert "9 min read" in page.select_one(".date").get_text()
    tags = page.select(".tags a")
    assert [t.get_text() for t in tags][:2] == ["postgresql", "replication"]
    assert tags[0]["href"] == "../../tags/postgresql/"


def test_summary_is_the_description(page):
    description = page.find("meta", attrs={"name": "description"})["content"]
    assert description.startswith("With your trusty replicas in place")
    og = page.find("meta", property="og:description")["content"]
    assert og == description
    # It repeats the opening paragraph, so it is not printed above it.
    assert page.select_one(".summary") is None


def test_code_is_highlighted_and_headings_have_anchors(page):
    assert page.select(".content .highlight pre code span")
    anchor = page.select_one(".content h2 a.headerlink")
    assert anchor["href"] == "#" + anchor.parent["id"]


def test_previous_next_day_and_back_to_calendar(page):
    nav = page.select_one("nav.day-nav")
    assert "day-11-" in nav.select_one('a[rel="prev"]')["href"]
    assert "day-13-" in nav.select_one('a[rel="next"]')["href"]
    assert nav.select_one(".day-nav-all a")["href"] == "../../2017/"


def test_only_the_article_is_indexed_for_search(page):
    bodies = page.select("[data-pagefind-body]")
    assert len(bodies) == 1 and bodies[0].name == "article"


def test_copy_button_script_is_deferred_and_local(page):
    script = page.select_one("script[src]")
    assert script["src"] == "../../theme/js/article.js" and script.has_attr("defer")


def test_people_topics_and_pages_exist(built_site):
    person = soup(built_site, "people/baron-schwartz/index.html")
    assert person.h1.get_text() == "Baron Schwartz"
    assert person.select_one("#edited") and "day-12-" in str(
        person.select_one("section")
    )
    people = soup(built_site, "people/index.html")
    assert len(people.select("ul.people > li")) >= 10
    tag = soup(built_site, "tags/postgresql/index.html")
    assert "day-12-" in str(tag.select_one(".article-list"))
    assert soup(built_site, "tags/index.html").select(".tag-cloud li")
    assert "pull request" in soup(built_site, "write/index.html").get_text()
    assert soup(built_site, "about/index.html").h1.get_text() == "About"
