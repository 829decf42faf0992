"""The calendar: 25 days per season, open, today, closed and empty as the
day demands (runs of empty days folded), on the home page and at /<year>/."""

import pytest
from site_builds import build_as_of, calendar_days, soup

FUTURE = ("day-14-", "day-15-")


@pytest.fixture(scope="module")
def midseason(tmp_path_factory):
    """The real content as of 13 December 2017 (days 9 to 13 are out)."""
    return build_as_of(tmp_path_factory.mktemp("mid") / "output", "2017-12-13")


@pytest.fixture(scope="module")
def summer(tmp_path_factory):
    """The real content as of June 2018: between seasons."""
    return build_as_of(tmp_path_factory.mktemp("summer") / "output", "2018-06-01")


def doors(page):
    """{day: its calendar item} of the 2017 calendar of a page."""
    calendar = page.select_one("ol.calendar")
    assert calendar["aria-label"] == "Days of December 2017"
    return calendar_days(page)


def test_home_is_the_running_season(midseason):
    page = soup(midseason, "index.html")
    assert page.h1.get_text(" ", strip=True) == "SysAdvent 2017"
    days = doors(page)
    assert sorted(days) == list(range(1, 26))
    states = [next(c for c in days[d]["class"] if c.startswith("door-")) for d in days]
    assert states[:8] == ["door-gap"] * 8
    assert states[8:13] == ["door-open"] * 5
    assert states[13:] == ["door-closed"] * 12
    # 1 to 8 December are one item; every other day is its own.
    assert len(page.select("ol.calendar > li")) == 1 + 17


def test_open_door_shows_day_title_author_and_links(midseason):
    door = doors(soup(midseason, "index.html"))[9]
    link = door.a
    assert link["href"] == (
        "./2017/12/day-9-using-kubernetes-for-multi-provider-multi-region-batch-jobs.html"
    )
    assert link.select_one(".door-day").get_text(strip=True) == "December9"
    assert "Using Kubernetes" in link.select_one(".door-title").get_text()
    assert link.select_one(".door-author").get_text(" ", strip=True) == "by Eric Sigler"


def test_today_stands_out_and_says_so(midseason):
    days = doors(soup(midseason, "index.html"))
    today = [d for d, li in days.items() if "door-today" in li["class"]]
    assert today == [13]
    assert days[13].a["aria-current"] == "date"
    assert days[13].select_one(".door-badge").get_text() == "Today"


def test_closed_door_shows_its_date_and_no_link(midseason):
    door = doors(soup(midseason, "index.html"))[14]
    assert door.a is None
    assert door.time["datetime"] == "2017-12-14"
    assert door.get_text(" ", strip=True) == "December 14 Opens 14 December 2017"


def test_past_days_without_article_are_folded_into_one_item(midseason):
    days = doors(soup(midseason, "index.html"))
    gap = days[1]
    assert all(days[d] is gap for d in range(1, 9)) and days[9] is not gap
    assert gap.a is None
    assert gap.get_text(" ", strip=True) == (
        "December 1 – to 8 No article these 8 days"
    )


def test_a_single_empty_day_keeps_its_own_door(site):
    site.only(
        "2017/09-using-kubernetes-for-multi-provider-multi-region-batch-jobs.md",
        "2017/11-scaling-your-on-duty-team.md",
    )
    result = site.build(today="2017-12-12")
    assert result.returncode == 0, result.stderr
    days = doors(soup(site.output, "2017/index.html"))
    assert days[10]["class"] == ["door", "door-empty"]
    assert "No article this day" in days[10].get_text()
    # Today is never folded, even without an article.
    assert days[12]["class"] == ["door", "door-empty", "door-today"]
    assert days[1]["class"] == ["door", "door-gap"]


def test_future_articles_leak_nowhere(midseason):
    for path in midseason.rglob("*"):
        if path.suffix in {".html", ".xml", ".txt", ".json"}:
            text = path.read_text(encoding="utf-8")
            assert not any(f in text for f in FUTURE), path
    assert not list(midseason.glob("2017/12/day-14-*"))
    assert not list((midseason / "social" / "2017").glob("day-14.png"))


def test_season_page_has_the_same_calendar(midseason):
    page = soup(midseason, "2017/index.html")
    home = soup(midseason, "index.html")
    # The same items (links differ only by the page's depth: "./" or "../").
    assert page.select_one("ol.calendar").get_text() == (
        home.select_one("ol.calendar").get_text()
    )
    assert page.title.get_text() == "SysAdvent 2017"


def test_between_seasons_home_shows_newest_season_and_next_start(summer):
    page = soup(summer, "index.html")
    assert "2017" in page.h1.get_text()
    notice = page.select_one(".notice")
    assert "next season starts on" in notice.get_text()
    assert notice.time["datetime"] == "2018-12-01"
    assert all("door-today" not in li["class"] for li in doors(page).values())


def test_seasons_link_to_each_other_and_the_archive_lists_them(site):
    site.write(
        "2016/05-an-older-article.md",
        "Title: An older article\nDate: 2016-12-05T00:00:00-05:00\nDay: 5\n"
        "Authors: eric-sigler\nEditors: michelle-carroll\nTags: testing\n"
        "Summary: A summary.\n\nSome words of the body.\n",
    )
    result = site.build(today="2017-12-31")
    assert result.returncode == 0, result.stderr
    newer, older = (
        soup(site.output, "2017/index.html"),
        soup(site.output, "2016/index.html"),
    )
    assert newer.select_one('.season-nav a[rel="prev"]')["href"] == "../2016/"
    assert older.select_one('.season-nav a[rel="next"]')["href"] == "../2017/"
    archive = soup(site.output, "archive/index.html")
    assert [h.a.get_text() for h in archive.select(".archive-season h2")] == [
        "2017",
        "2016",
    ]
