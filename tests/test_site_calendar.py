"""The calendar: 25 days per season, open, today, closed and empty as the
day demands (runs of empty days folded), on the home page and at /<year>/."""

import datetime as dt
import re

import pytest
from site_builds import build_as_of, calendar_days, soup

from plugins.advent.season import (
    CLOSED,
    EMPTY,
    OPEN,
    Door,
    EmptyRun,
    build_seasons,
    condense,
)

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


# --- the model under the calendar: folded days, the next door ---------------------


def _doors(states: str, today: int | None = None):
    """Doors from a string of o (open), e (empty), c (closed)."""
    names = {"o": OPEN, "e": EMPTY, "c": CLOSED}
    return [
        Door(2020, day, names[s], is_today=day == today)
        for day, s in enumerate(states, start=1)
    ]


def test_runs_of_two_or_more_empty_days_fold_into_one_item():
    items = condense(_doors("eeoeoeeec"))
    shown = [
        (i.first, i.last) if isinstance(i, EmptyRun) else (i.day, i.state)
        for i in items
    ]
    assert shown == [
        (1, 2),
        (3, "open"),
        (4, "empty"),
        (5, "open"),
        (6, 8),
        (9, "closed"),
    ]
    assert items[0].days == 2 and items[0].first_date == dt.date(2020, 12, 1)


def test_today_is_never_folded_even_when_empty():
    items = condense(_doors("eeec", today=3))
    assert isinstance(items[0], EmptyRun) and (items[0].first, items[0].last) == (1, 2)
    assert items[1].day == 3 and items[1].is_today


def test_the_next_door_is_the_first_closed_one():
    (season,) = build_seasons([], dt.date(2020, 12, 3))
    assert season.next_door.day == 4
    (over,) = build_seasons([], dt.date(2020, 12, 31))
    assert over.next_door is None


# --- the countdown ------------------------------------------------------------------


def test_the_running_season_says_when_the_next_door_opens(midseason):
    for page in ("index.html", "2017/index.html"):
        countdown = soup(midseason, page).select_one(".countdown")
        assert countdown["data-countdown"] == "2017-12-14T00:00:00-05:00"
        assert countdown.time["datetime"] == "2017-12-14T00:00:00-05:00"
        text = countdown.get_text(" ", strip=True)
        assert text == (
            "Next door: Day 14 opens on 14 December at midnight New York time"
        )
        # The time left is filled in by the site's script; hidden without it.
        assert countdown.select_one(".countdown-left").has_attr("hidden")


def test_no_countdown_once_the_season_is_over(summer):
    assert soup(summer, "index.html").select_one(".countdown") is None


# --- the years ------------------------------------------------------------------------


def test_about_archive_and_home_agree_on_the_first_year(summer):
    texts = {
        page: soup(summer, page).main.get_text(" ", strip=True)
        for page in ("index.html", "archive/index.html", "about/index.html")
    }
    for page, text in texts.items():
        years = re.findall(r"since (\d{4})", text)
        assert years == ["2008"], (page, years)
