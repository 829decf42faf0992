"""The season model: which door of which December is open, closed or empty.

Pure logic over published articles and a 'today' date, so the calendar can
be tested without Pelican.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

OPEN = "open"
CLOSED = "closed"
EMPTY = "empty"


@dataclass
class Door:
    """One day of a season."""

    year: int
    day: int
    state: str
    article: object | None = None
    is_today: bool = False

    @property
    def date(self) -> dt.date:
        return dt.date(self.year, 12, self.day)


@dataclass
class Season:
    year: int
    doors: list[Door]
    articles: list = field(default_factory=list)
    previous: Season | None = None
    next: Season | None = None

    @property
    def url(self) -> str:
        return f"{self.year}/"

    @property
    def published_count(self) -> int:
        return len(self.articles)


def build_doors(
    year: int, articles_by_day: dict, today: dt.date, last_day: int
) -> list[Door]:
    """Doors 1..last_day: open with an article, closed in the future, else empty."""
    doors = []
    for day in range(1, last_day + 1):
        date = dt.date(year, 12, day)
        article = articles_by_day.get(day)
        if date > today:
            state, article = CLOSED, None
        elif article is not None:
            state = OPEN
        else:
            state = EMPTY
        doors.append(Door(year, day, state, article, is_today=date == today))
    return doors


def build_seasons(articles, today: dt.date, last_day: int = 25) -> list[Season]:
    """Seasons newest first. A season exists when it has a published article,
    or when it is the current December (its doors then open day by day)."""
    by_year: dict[int, dict[int, object]] = {}
    for article in articles:
        by_year.setdefault(article.season, {})[article.day] = article
    years = set(by_year)
    if today.month == 12:
        years.add(today.year)
    seasons = []
    for year in sorted(years, reverse=True):
        days = by_year.get(year, {})
        seasons.append(
            Season(
                year,
                build_doors(year, days, today, last_day),
                [days[d] for d in sorted(days)],
            )
        )
    for newer, older in zip(seasons, seasons[1:], strict=False):
        newer.previous, older.next = older, newer
    return seasons


def link_days(season: Season) -> None:
    """Give each article of a season its previous and next published day."""
    for earlier, later in zip(season.articles, season.articles[1:], strict=False):
        earlier.next_day, later.previous_day = later, earlier


def next_season_start(today: dt.date) -> dt.date:
    """The first door of the next season that has not started yet."""
    year = today.year if today.month < 12 else today.year + 1
    return dt.date(year, 12, 1)
