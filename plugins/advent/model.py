"""Apply the rules and the season model to Pelican's articles (no Pelican import)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from plugins.core.source import split_list

from .season import build_seasons, call_for_papers, link_days, next_season_start


def site_now(settings) -> dt.datetime:
    """The moment the site is built 'as of'.

    `ADVENT_TODAY` (a date) previews the site as it looks on that day: every
    article dated that day is out. Otherwise it is the real time now.
    """
    zone = ZoneInfo(settings["TIMEZONE"])
    today = settings.get("ADVENT_TODAY")
    if today:
        if isinstance(today, str):
            today = dt.date.fromisoformat(today)
        return dt.datetime.combine(today, dt.time.max, tzinfo=zone)
    return dt.datetime.now(zone)


@dataclass
class PersonWork:
    """A person with what they wrote and edited, newest first."""

    person: object
    wrote: list = field(default_factory=list)
    edited: list = field(default_factory=list)

    @property
    def key(self):
        return self.person.key


@dataclass
class Advent:
    """Everything the templates need about seasons and people."""

    today: dt.date
    seasons: list
    people: dict
    scheduled: list
    last_day: int = 25
    timezone: str = "UTC"
    cfp: object = None  # season.CallForPapers, when the settings name one

    def opening(self, date: dt.date) -> dt.datetime:
        """The moment a door dated `date` opens: midnight in the site's zone."""
        return dt.datetime.combine(date, dt.time.min, tzinfo=ZoneInfo(self.timezone))

    @property
    def current(self):
        return self.seasons[0] if self.seasons else None

    @property
    def next_season_start(self) -> dt.date:
        return next_season_start(self.today)

    @property
    def season_running(self) -> bool:
        return self.today.month == 12 and self.today.day <= self.last_day

    def season(self, year):
        return next((s for s in self.seasons if s.year == year), None)


def enrich(article, registry) -> None:
    """Give an article its day, season and the people it names."""
    article.day = int(article.metadata["day"])
    article.season = article.date.year
    # Pelican turns `Authors:` into Author objects named by the key.
    article.author_people = [
        registry[a.name] for a in getattr(article, "authors", []) if a.name in registry
    ]
    article.editor_people = [
        registry[key]
        for key in split_list(article.metadata.get("editors", ""))
        if key in registry
    ]
    article.previous_day = article.next_day = None


def split_published(articles, now: dt.datetime):
    """Separate what is out as of `now` from what is scheduled later."""
    published = [a for a in articles if a.date <= now]
    scheduled = [a for a in articles if a.date > now]
    return published, scheduled


def build_advent(articles, registry, settings) -> tuple[Advent, list]:
    """Build the model from Pelican's published articles; return it and the
    articles that are public as of the site's 'now'."""
    now = site_now(settings)
    for article in articles:
        enrich(article, registry)
    published, scheduled = split_published(articles, now)
    last_day = settings["ADVENT_LAST_DAY"]
    seasons = build_seasons(published, now.date(), last_day)
    for season in seasons:
        link_days(season)
    people = {key: PersonWork(person) for key, person in registry.people.items()}
    for article in sorted(published, key=lambda a: a.date, reverse=True):
        for person in article.author_people:
            people[person.key].wrote.append(article)
        for person in article.editor_people:
            people[person.key].edited.append(article)
    people = {k: w for k, w in sorted(people.items()) if w.wrote or w.edited}
    cfp = None
    if settings.get("ADVENT_CFP_OPENS") and settings.get("ADVENT_CFP_CLOSES"):
        cfp = call_for_papers(
            now.date(), settings["ADVENT_CFP_OPENS"], settings["ADVENT_CFP_CLOSES"]
        )
    advent = Advent(
        now.date(), seasons, people, scheduled, last_day, settings["TIMEZONE"], cfp
    )
    return advent, published
