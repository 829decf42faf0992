"""The metadata rules every article must follow, checked on the source.

Pure functions over file text: no Pelican needed. Each rule reports a
`Problem` at the line of the offending field.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from plugins.aliases import paths as alias_rules
from plugins.core.problems import clashes, error, warning
from plugins.core.source import Header, parse_header, split_list

REQUIRED = ("title", "date", "day", "authors", "editors", "tags", "summary")
OPTIONAL = (
    "slug",
    "status",
    "modified",
    "guid",
    "image",
    "lang",
    "template",
    "aliases",
)
STATUSES = ("published", "draft")
DATE_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
)
DAY_PREFIX_RE = re.compile(r"^\s*day\s*\d+\s*[-–—:]", re.IGNORECASE)
CHECK = "advent/metadata"
TODO_VALUE_RE = re.compile(r"^TODO\b")


@dataclass
class ArticleSource:
    """What the rules learned about one article source."""

    path: str
    header: Header
    year: int | None = None
    day: int | None = None
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    date: dt.datetime | None = None
    status: str = "published"


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def parse_date(value: str, timezone: str) -> dt.datetime:
    """Parse an article date; naive dates are in the site's time zone."""
    if not DATE_RE.match(value):
        raise ValueError("expected YYYY-MM-DDTHH:MM[:SS][±HH:MM]")
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    zone = ZoneInfo(timezone)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=zone)
    local = parsed.replace(tzinfo=None).replace(tzinfo=zone)
    if parsed.utcoffset() != local.utcoffset():
        raise ValueError(
            f"offset {parsed.strftime('%z')} is not the site's time zone "
            f"({timezone}, {local.strftime('%z')} on that date)"
        )
    return parsed.astimezone(zone)


def _folder_year(path: str) -> int | None:
    parent = Path(path).parent.name
    return int(parent) if re.fullmatch(r"\d{4}", parent) else None


def check_article(
    path: str, text: str, registry, *, timezone: str, last_day: int = 25
) -> tuple[ArticleSource, list]:
    """Check one article's header; return what was learned and the problems."""
    header = parse_header(text)
    source = ArticleSource(path=path, header=header)
    problems = []

    def report(name, message, severity=error):
        problems.append(severity(path, header.line_of(name), CHECK, message))

    if not header.fields:
        problems.append(
            error(
                path,
                1,
                CHECK,
                "no metadata header (Title:, Date:, Day:, ... lines at the top)",
            )
        )
        return source, problems

    for repeated in header.repeated:
        problems.append(
            error(path, repeated.line, CHECK, f"field '{repeated.name}' is given twice")
        )
    known = set(REQUIRED) | set(OPTIONAL)
    for name, found in header.fields.items():
        if name not in known:
            problems.append(
                error(
                    path,
                    found.line,
                    CHECK,
                    f"unknown field '{name}'{_suggest(name, known)}",
                )
            )
    for name in REQUIRED:
        found = header.get(name)
        if found is None:
            problems.append(
                error(
                    path,
                    max(header.end_line, 1),
                    CHECK,
                    f"missing required field '{name}'",
                )
            )
        elif not found.value:
            report(name, f"field '{name}' is empty")

    title = header.value("title")
    if title and DAY_PREFIX_RE.match(title):
        report("title", "title must not start with 'Day N -'; the day goes in 'Day:'")

    status = header.value("status", "published").lower()
    if status not in STATUSES:
        report("status", f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    source.status = status

    day_value = header.value("day")
    if day_value:
        if not re.fullmatch(r"[0-9]{1,3}", day_value):
            report("day", f"day must be a whole number, not {day_value!r}")
        elif not 1 <= int(day_value) <= last_day:
            report("day", f"day {day_value} is outside 1..{last_day}")
        else:
            source.day = int(day_value)

    date_value = header.value("date")
    if date_value:
        try:
            date = parse_date(date_value, timezone)
        except ValueError as exc:
            report("date", f"invalid date {date_value!r}: {exc}")
        else:
            source.date = date
            source.year = date.year
            if date.month != 12:
                report("date", f"date {date:%Y-%m-%d} is not in December")
            elif source.day is not None and date.day != source.day:
                report(
                    "date",
                    f"date {date:%Y-%m-%d} is December {date.day} but the day is {source.day}",
                )
            folder = _folder_year(path)
            if folder is not None and folder != date.year:
                report(
                    "date",
                    f"date is in {date.year} but the file is in the {folder} folder",
                )

    for name, target in (("authors", source.authors), ("editors", source.editors)):
        role = name[:-1]
        if TODO_VALUE_RE.match(header.value(name)):
            continue  # a placeholder: the content rules report it, once
        for key in split_list(header.value(name)):
            target.append(key)
            if registry is not None and key not in registry:
                report(
                    name,
                    f"unknown {role} {key!r}{_suggest(key, registry.keys())} "
                    f"(people are listed in {registry.path})",
                )
        if header.get(name) and header.value(name) and not target:
            report(name, f"field '{name}' names nobody")

    if (
        header.get("tags")
        and header.value("tags")
        and not split_list(header.value("tags"))
    ):
        report("tags", "field 'tags' has no tag")
    problems.extend(alias_rules.check_field(path, header))
    return source, problems


def check_duplicates(sources) -> list:
    """At most one article per day per season: report every clash, naming both files."""
    by_day = {}
    for source in sources:
        if source.year is not None and source.day is not None:
            by_day.setdefault((source.year, source.day), []).append(source)
    problems = []
    for (year, day), source, others in clashes(dict(sorted(by_day.items()))):
        problems.append(
            error(
                source.path,
                source.header.line_of("day"),
                CHECK,
                f"day {day} of {year} is taken twice: also by {others}",
            )
        )
    return problems


def check_sources(paths, registry, *, timezone: str, last_day: int = 25):
    """Check every article source file; return the sources and all problems."""
    from plugins.core.source import read_source

    return check_read_sources(
        [read_source(p) for p in sorted(map(str, paths))],
        registry,
        timezone=timezone,
        last_day=last_day,
    )


def check_read_sources(sources, registry, *, timezone: str, last_day: int = 25):
    """The rules over `plugins.core.source.Source`s already read (unreadable
    ones are reported by whoever read them, and skipped here)."""
    found, problems = [], []
    for source in sources:
        if not source.ok:
            problems.extend(source.problems)
            continue
        article, more = check_article(
            source.path, source.text, registry, timezone=timezone, last_day=last_day
        )
        found.append(article)
        problems.extend(more)
    problems.extend(check_duplicates(found))
    problems.extend(alias_rules.check_clashes(found))
    return found, problems


__all__ = ["check_article", "check_duplicates", "check_sources", "warning"]
