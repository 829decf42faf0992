"""`invoke calendar`: the state of every day of a season, for editors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from plugins.advent.people import load_registry
from plugins.advent.rules import check_sources
from plugins.core.problems import printable

from .settings import article_sources, content_path

PUBLISHED, SCHEDULED, DRAFT, EMPTY = "published", "scheduled", "draft", "empty"
LOOKAHEAD_DAYS = 7


@dataclass
class DayRow:
    """One line of the agenda; text fields are printable (a title's terminal
    escape sequences are shown as `\\x1b`, never sent to the terminal)."""

    day: int
    state: str
    title: str = ""
    authors: str = ""
    editors: str = ""
    path: str = ""


def end_of_day(today: dt.date, timezone: str) -> dt.datetime:
    """Like the site's --today: every article dated that day is out."""
    return dt.datetime.combine(today, dt.time.max, tzinfo=ZoneInfo(timezone))


def season_rows(settings, year: int, today: dt.date) -> tuple[list[DayRow], list]:
    """One row per day (two when a day is taken twice) and the problems seen."""
    people, problems = load_registry(
        content_path(settings) / settings.get("ADVENT_PEOPLE", "people.toml")
    )
    sources, found = check_sources(
        [str(p) for p in article_sources(settings)],
        people if people.complete else None,  # unreadable: its one problem counts
        timezone=settings["TIMEZONE"],
        last_day=settings["ADVENT_LAST_DAY"],
    )
    now = end_of_day(today, settings["TIMEZONE"])

    def names(keys):
        return printable(
            ", ".join(people[k].display_name if k in people else k for k in keys)
        )

    by_day: dict[int, list[DayRow]] = {}
    for source in sources:
        if source.year != year or source.day is None:
            continue
        if source.status == "draft":
            state = DRAFT
        elif source.date > now:
            state = SCHEDULED
        else:
            state = PUBLISHED
        by_day.setdefault(source.day, []).append(
            DayRow(
                source.day,
                state,
                printable(source.header.value("title")),
                names(source.authors),
                names(source.editors),
                printable(source.path),
            )
        )
    rows = []
    for day in range(1, settings["ADVENT_LAST_DAY"] + 1):
        rows.extend(by_day.get(day) or [DayRow(day, EMPTY)])
    return rows, problems + found


def upcoming_gaps(rows, year: int, today: dt.date, days: int = LOOKAHEAD_DAYS):
    """Days from today over the next `days` days with nothing to publish."""
    window = {today + dt.timedelta(n) for n in range(days)}
    ready = {r.day for r in rows if r.state in (PUBLISHED, SCHEDULED)}
    return [
        r for r in rows if dt.date(year, 12, r.day) in window and r.day not in ready
    ]


def _cut(text: str, width: int) -> str:
    text = printable(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(rows, year: int) -> str:
    """A plain-text table, one line per day."""
    header = ("day", "date", "state", "title", "authors", "editors")
    lines = [
        (
            str(r.day),
            dt.date(year, 12, r.day).strftime("%a %d %b"),
            r.state,
            _cut(r.title, 48),
            _cut(r.authors, 30),
            _cut(r.editors, 30),
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]

    def fmt(row):
        return "  ".join(
            cell.ljust(w) for cell, w in zip(row, widths, strict=True)
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(header), rule, *map(fmt, lines)])


def summary(rows) -> str:
    counts = {s: 0 for s in (PUBLISHED, SCHEDULED, DRAFT, EMPTY)}
    days = {}
    for r in rows:
        days.setdefault(r.day, r.state)
    for state in days.values():
        counts[state] += 1
    return ", ".join(f"{n} {state}" for state, n in counts.items())


def report(settings, year: int, now: dt.date) -> str:
    """`invoke calendar`'s text: the table, a summary and warnings for editors."""
    from plugins.core.problems import has_errors, summary_line

    rows, problems = season_rows(settings, year, now)
    lines = [f"SysAdvent {year} as of {now:%Y-%m-%d}", format_table(rows, year)]
    lines.append(summary(rows))
    days: dict[int, list] = {}
    for row in rows:
        days.setdefault(row.day, []).append(row)
    for day, clash in sorted(days.items()):
        if len(clash) > 1:
            taken = ", ".join(r.path for r in clash)
            lines.append(f"warning: day {day} is taken twice: {taken}")
    gaps = upcoming_gaps(rows, year, now)
    if gaps:
        listed = ", ".join(f"Dec {r.day} ({r.state})" for r in gaps)
        lines.append(
            f"warning: {len(gaps)} day(s) in the next 7 days have no article: {listed}"
        )
    if has_errors(problems):
        lines.append(
            f"warning: the articles have problems ({summary_line(problems)}); "
            "run `invoke check`"
        )
    return "\n".join(lines)
