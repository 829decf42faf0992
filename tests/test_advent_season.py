"""The season model on its own: doors, seasons and days, no Pelican."""

import datetime as dt
from types import SimpleNamespace

from plugins.advent.model import site_now
from plugins.advent.season import build_seasons, link_days, next_season_start


def art(year, day):
    return SimpleNamespace(season=year, day=day, title=f"{year}-{day}")


def test_doors_are_open_closed_or_empty():
    (season,) = build_seasons([art(2020, 1), art(2020, 5)], dt.date(2020, 12, 3))
    states = [d.state for d in season.doors]
    assert states[:5] == ["open", "empty", "empty", "closed", "closed"]
    assert season.doors[2].is_today
    assert season.doors[4].article is None  # a future article never reaches a door
    assert len(season.doors) == 25


def test_seasons_are_newest_first_and_linked():
    seasons = build_seasons([art(2017, 9), art(2019, 1)], dt.date(2020, 1, 5))
    assert [s.year for s in seasons] == [2019, 2017]
    assert seasons[0].previous is seasons[1] and seasons[1].next is seasons[0]


def test_the_current_december_is_a_season_even_before_its_first_article():
    seasons = build_seasons([art(2017, 9)], dt.date(2018, 12, 1))
    assert [s.year for s in seasons] == [2018, 2017]
    assert seasons[0].doors[0].state == "empty" and seasons[0].doors[0].is_today


def test_last_day_is_a_setting():
    (season,) = build_seasons([art(2020, 1)], dt.date(2020, 12, 31), last_day=24)
    assert len(season.doors) == 24


def test_days_link_to_the_previous_and_next_published_day():
    (season,) = build_seasons(
        [art(2020, 1), art(2020, 3), art(2020, 7)], dt.date(2021, 1, 1)
    )
    for a in season.articles:
        a.previous_day = a.next_day = None
    link_days(season)
    first, third, seventh = season.articles
    assert first.previous_day is None and first.next_day is third
    assert third.previous_day is first and third.next_day is seventh


def test_next_season_start():
    assert next_season_start(dt.date(2026, 11, 26)) == dt.date(2026, 12, 1)
    assert next_season_start(dt.date(2026, 12, 26)) == dt.date(2027, 12, 1)


def test_today_setting_is_the_end_of_that_day_in_the_site_time_zone():
    now = site_now({"TIMEZONE": "America/New_York", "ADVENT_TODAY": "2017-12-15"})
    assert now.isoformat().startswith("2017-12-15T23:59:59")
    assert now.utcoffset() == dt.timedelta(hours=-5)
