"""One rule for the time of day: an article opens at midnight in the site's
time zone on its day. Any other time is an error at its line; the build, the
calendar, `invoke today-url` and the publish schedule all agree on midnight."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from conftest import CONTENT, ROOT, article_text

from pipeline.agenda import season_rows
from pipeline.settings import load_settings
from pipeline.todayurl import today_url
from plugins.advent.model import split_published
from plugins.advent.people import load_registry
from plugins.advent.rules import check_article, parse_date

TZ = "America/New_York"
CAROL = "2017/12/day-15-a-devops-christmas-carol.html"


@pytest.fixture(scope="module")
def registry():
    found, _ = load_registry(CONTENT / "people.toml")
    return found


@pytest.mark.parametrize(
    "date,fix",
    [
        ("2017-12-16T09:00:00-05:00", "2017-12-16T00:00:00-05:00"),
        ("2017-12-16T00:00:01-05:00", "2017-12-16T00:00:00-05:00"),
        ("2017-12-16T23:59", "2017-12-16T00:00:00-05:00"),
        ("2017-12-16 00:30:00", "2017-12-16T00:00:00-05:00"),
    ],
)
def test_any_time_but_midnight_is_an_error_that_names_the_fix(registry, date, fix):
    _, problems = check_article(
        "content/2017/16-x.md",
        article_text(date=date, day="16"),
        registry,
        timezone=TZ,
    )
    assert [p.as_text() for p in problems] == [
        "content/2017/16-x.md:2: error [advent/metadata] the time must be midnight: "
        "an article opens at 00:00 in America/New_York on its day, when the daily "
        f"publish runs; write {fix}"
    ]


def test_midnight_in_utc_is_another_time_zone_not_another_time(registry):
    _, problems = check_article(
        "content/2017/16-x.md",
        article_text(date="2017-12-16T05:00:00Z", day="16"),
        registry,
        timezone=TZ,
    )
    assert [p.message for p in problems] == [
        "invalid date '2017-12-16T05:00:00Z': offset +0000 is not the site's time "
        "zone (America/New_York, -0500 on that date)"
    ]


def _cron_moments(year: int):
    """The moments (UTC) the publish workflow's schedule runs in December."""
    workflow = yaml.safe_load(
        (ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8")
    )
    on = workflow.get("on", workflow.get(True))
    (cron,) = [entry["cron"] for entry in on["schedule"]]
    minute, hour, days, month, weekday = cron.split()
    assert (month, weekday) == ("12", "*")
    first, last = map(int, days.split("-"))
    return [
        dt.datetime(year, 12, day, int(hour), int(minute), tzinfo=dt.UTC)
        for day in range(first, last + 1)
    ]


@pytest.mark.parametrize("year", [2017, 2024, 2030])
def test_the_publish_schedule_runs_at_midnight_in_the_site_time_zone(year):
    moments = _cron_moments(year)
    assert len(moments) == 25
    for moment in moments:
        local = moment.astimezone(ZoneInfo(TZ))
        assert (local.hour, local.minute) == (0, 0), moment
        assert local.day == moment.day


def test_the_build_calendar_and_today_url_open_the_door_at_the_same_midnight():
    settings = load_settings(ROOT / "publishconf.py", CONTENT)
    opens = parse_date("2017-12-15T00:00:00-05:00", TZ)
    carol = type("Article", (), {"date": opens})()

    # The build: the publish run of the 15th (05:00 UTC) shows it; a second
    # earlier, still the 14th in New York, it is scheduled.
    (run,) = [m for m in _cron_moments(2017) if m.day == 15]
    assert split_published([carol], run) == ([carol], [])
    assert split_published([carol], run - dt.timedelta(seconds=1)) == ([], [carol])

    # The calendar and today-url count in days of the same time zone.
    for today, state in (
        (dt.date(2017, 12, 14), "scheduled"),
        (run.date(), "published"),
    ):
        rows, _ = season_rows(settings, 2017, today)
        assert next(r.state for r in rows if r.day == 15) == state
    base = "https://sysadvent.example.org"
    assert today_url(settings, run.date(), base) == f"{base}/{CAROL}"
    assert today_url(settings, dt.date(2017, 12, 14), base) == (
        f"{base}/2017/12/day-14-pets-vs-cattle-prods-the-silence-of-the-lambdas.html"
    )
    assert today_url(settings, dt.date(2017, 12, 16), base) is None


def test_a_build_refuses_an_article_that_opens_at_nine(site):
    site.write(
        "2017/16-late.md",
        article_text(title="Late", date="2017-12-16T09:00:00-05:00", day="16"),
    )
    result = site.build(today="2017-12-31")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert [line for line in result.stderr.splitlines() if ": error [" in line] == [
        f"{Path(site.content)}/2017/16-late.md:2: error [advent/metadata] the time "
        "must be midnight: an article opens at 00:00 in America/New_York on its "
        "day, when the daily publish runs; write 2017-12-16T00:00:00-05:00"
    ]
