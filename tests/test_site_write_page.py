"""The Write page: how to contribute, the repository and CONTRIBUTING.md
(settings), and the call for papers with what is open on the day."""

from __future__ import annotations

import datetime as dt

from site_builds import soup

from plugins.advent.season import call_for_papers


def test_the_call_for_papers_is_this_year_s_until_the_season_ends():
    def state(day):
        cfp = call_for_papers(dt.date.fromisoformat(day), "10-01", "11-15")
        return cfp.season, cfp.state

    assert state("2018-06-01") == (2018, "upcoming")
    assert state("2018-10-01") == (2018, "open")
    assert state("2018-11-15") == (2018, "open")
    assert state("2018-11-16") == (2018, "closed")
    assert state("2018-12-25") == (2018, "closed")
    assert state("2018-12-26") == (2019, "upcoming")


def test_fixed_dates_name_one_season():
    cfp = call_for_papers(
        dt.date(2018, 1, 1), dt.date(2018, 9, 1), dt.date(2018, 9, 30)
    )
    assert (cfp.season, cfp.opens, cfp.state) == (2018, dt.date(2018, 9, 1), "upcoming")


def test_the_write_page_links_the_repository_contributing_and_the_dates(built_site):
    page = soup(built_site, "write/index.html")
    box = page.select_one(".write-box")
    links = {a.get_text(): a["href"] for a in box.select("a")}
    assert links == {
        "The repository": "https://github.com/sysadvent/sysadvent",
        "CONTRIBUTING.md": "https://github.com/sysadvent/sysadvent/blob/main/CONTRIBUTING.md",
    }
    cfp = box.select_one(".cfp")
    # Built as of 31 December 2017: the next call is 2018's.
    assert cfp["class"] == ["cfp", "cfp-upcoming"]
    assert [t["datetime"] for t in cfp.find_all("time")] == ["2018-10-01", "2018-11-15"]
    text = cfp.get_text(" ", strip=True)
    assert "The call for SysAdvent 2018 opens on 1 October 2018" in text
    assert "send your article by 15 November 2018" in text
    # The page's own text still explains the steps.
    assert "invoke new" in page.select_one(".content").get_text()
    # Other pages have no such box.
    assert soup(built_site, "about/index.html").select_one(".write-box") is None
