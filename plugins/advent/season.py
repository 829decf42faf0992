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
class EmptyRun:
    """Consecutive past days without an article, shown as one tile."""

    year: int
    first: int
    last: int
    state: str = "gap"

    @property
    def days(self) -> int:
        return self.last - self.first + 1

    @property
    def first_date(self) -> dt.date:
        return dt.date(self.year, 12, self.first)

    @property
    def last_date(self) -> dt.date:
        return dt.date(self.year, 12, self.last)


def condense(doors: list[Door], shortest: int = 2) -> list:
    """The doors with every run of at least `shortest` consecutive empty days
    (today excepted) folded into one EmptyRun, so a season with few articles
    is not mostly "no article" tiles."""
    items: list = []
    run: list[Door] = []

    def flush():
        if len(run) >= shortest:
            items.append(EmptyRun(run[0].year, run[0].day, run[-1].day))
        else:
            items.extend(run)
        run.clear()

    for door in doors:
        if door.state == EMPTY and not door.is_today:
            run.append(door)
            continue
        flush()
        items.append(door)
    flush()
    return items


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

    @property
    def items(self) -> list:
        """What the calendar shows: doors, with runs of empty days folded."""
        return condense(self.doors)

    @property
    def empty_count(self) -> int:
        return sum(door.state == EMPTY for door in self.doors)

    @property
    def next_door(self) -> Door | None:
        """The first door still closed, if any."""
        return next((d for d in self.doors if d.state == CLOSED), None)


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


@dataclass(frozen=True)
class CallForPapers:
    """The call for papers of one season: `opens` to `closes`, inclusive."""

    season: int
    opens: dt.date
    closes: dt.date
    today: dt.date

    @property
    def state(self) -> str:
        """ "open", "upcoming" (not open yet) or "closed" (for this season)."""
        if self.today < self.opens:
            return "upcoming"
        return "open" if self.today <= self.closes else "closed"


def _month_day(value) -> tuple[int, int]:
    month, day = (int(part) for part in str(value).split("-"))
    return month, day


def call_for_papers(today: dt.date, opens, closes) -> CallForPapers:
    """The call for papers that matters on `today`: this year's until its
    season's December is over, then next year's. `opens` and `closes` are
    "MM-DD" strings (each year) or dates (one season)."""
    if isinstance(opens, dt.date) and isinstance(closes, dt.date):
        return CallForPapers(closes.year, opens, closes, today)
    year = today.year
    (om, od), (cm, cd) = _month_day(opens), _month_day(closes)
    cfp = CallForPapers(year, dt.date(year, om, od), dt.date(year, cm, cd), today)
    if cfp.state == "closed" and today.month == 12 and today.day > 25:
        year += 1
        cfp = CallForPapers(year, dt.date(year, om, od), dt.date(year, cm, cd), today)
    return cfp
