"""The metadata rules every article must follow, checked on the source.

Pure functions over file text: no Pelican needed. Each rule reports a
`Problem` at the line of the offending field.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from plugins.aliases import paths as alias_rules
from plugins.core.problems import clashes, error, warning
from plugins.core.source import META_RE, Header, parse_header, split_list

REQUIRED = ("title", "date", "day", "authors", "editors", "tags", "summary")
OPTIONAL = ("slug", "status", "modified", "guid", "image", "lang", "aliases")
STATUSES = ("published", "draft")
# Fields Pelican would obey to write a file elsewhere or with another template:
# the site decides both, so an author (or a pull request) never does.
STEERING = ("save_as", "url", "template", "lang_save_as", "lang_url", "path")
# A slug names a file or a folder of the site: words of lowercase letters and
# digits joined by single '-', short enough for any file system.
# (The same as the sanitizer's SAFE_SLUG; the content rules report a slug
# with other characters, contentrules/slug: here it only keeps the source out
# of the build.)
SLUG_RE = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")
MAX_SLUG = 80
LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
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
    # A field that would steer where Pelican writes a file is wrong: the
    # article must not be built at all.
    unsafe: bool = False
    # The slug has characters a file name must not have: the sanitizer
    # (plugins/sanitize) makes it plain; without it, the article is not built.
    slug_unsafe: bool = False


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _person_hint(key: str, registry) -> str:
    """What an unknown person key was probably meant to be: keys separated
    by something else than commas, a person's handle or name, a near key."""
    if ";" in key or " and " in key:
        return "; separate people with commas (jane-doe, corey-quinn)"
    wanted = key.lstrip("@").casefold()
    for person in registry.people.values():
        if wanted in (person.handle.casefold(), person.name.casefold()):
            return f"; did you mean {person.key!r}? (the key of {person.display_name})"
    return _suggest(key, registry.keys())


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


def slug_of(text: str, settings=None) -> str:
    """The slug Pelican makes of a title or a tag (its default settings)."""
    from pelican.settings import DEFAULT_CONFIG
    from pelican.utils import slugify

    settings = settings or DEFAULT_CONFIG
    return slugify(
        text,
        regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS")
        or DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"],
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )


def slug_is_safe(slug: str) -> bool:
    """Whether a Slug: value is plain (its characters are the content rules'
    to report, contentrules/slug)."""
    return bool(SLUG_RE.match(slug))


def slug_steers_path(slug: str) -> bool:
    """Whether a Slug: value would lead a file out of its folder or name none:
    a separator, a leading dot (`..`), a control character, nothing at all."""
    return (
        not slug.strip()
        or any(c in slug for c in "/\\")
        or slug.startswith(".")
        or any(ord(c) < 32 or ord(c) == 127 for c in slug)
    )


def slug_problem(slug: str, what: str = "article") -> str:
    """Why a Slug: value of safe characters is still too long for a file name
    ('' when it is fine)."""
    if len(slug) > MAX_SLUG:
        return (
            f"slug is {len(slug)} characters long, over {MAX_SLUG} (it names the "
            f"{what}'s file): shorten it"
        )
    return ""


def title_slug_problem(title: str, what: str = "article") -> str:
    """Why the slug made of a title (no Slug: field) may not name a file."""
    slug = slug_of(title)
    if not re.search(r"[a-z0-9]", slug):  # '---' makes the slug '-'
        return (
            f"the title has no letters or digits to make the {what}'s file name "
            "from: add a 'Slug:' field (lowercase words joined by '-')"
        )
    if len(slug) > MAX_SLUG:
        return (
            f"the title makes a slug of {len(slug)} characters, over {MAX_SLUG}: "
            "add a shorter 'Slug:' field"
        )
    return ""


# Embeddings, overrides and isolates (the "Trojan Source" characters): they
# reorder what a reader sees. The marks U+200E/U+200F are left to RTL text.
BIDI_CONTROL_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")
# pelicanconf's TAG_REGEX_SUBSTITUTIONS: C++, C# and C get pages of their own.
TAG_SLUG_SUBSTITUTIONS = [
    (r"(?<=[\w+])\+", "plus"),
    (r"(?<=\w)#", "sharp"),
    (r"[^\w\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s]+", "-"),
]


def tag_problem(tag: str) -> str:
    """Why a tag cannot have a page of its own (tags/<slug>/), '' if it can."""
    slug = slug_of(tag, {"SLUG_REGEX_SUBSTITUTIONS": TAG_SLUG_SUBSTITUTIONS})
    if not re.search(r"[a-z0-9]", slug):
        return (
            f"tag {tag!r} has no letters or digits for the URL of its page "
            "(tags/<slug>/): use words"
        )
    if len(slug) > MAX_SLUG:
        return f"tag {tag!r} is {len(slug)} characters long as a URL, over {MAX_SLUG}"
    return ""


def steering_message(name: str, what: str = "article") -> str:
    where = (
        "where each article is written (<year>/12/day-<N>-<slug>.html) and with "
        "which template"
        if what == "article"
        else "where each page is written (<slug>/index.html) and with which template"
    )
    return f"field '{name}' is not allowed: the site decides {where}; remove it"


def midnight_problem(date: dt.datetime, timezone: str) -> str:
    """Why a Date: is not the midnight its article opens at ('' when it is)."""
    if (date.hour, date.minute, date.second, date.microsecond) == (0, 0, 0, 0):
        return ""
    offset = date.strftime("%z")
    return (
        f"the time must be midnight: an article opens at 00:00 in {timezone} on "
        f"its day, when the daily publish runs; write "
        f"{date:%Y-%m-%d}T00:00:00{offset[:3]}:{offset[3:]}"
    )


def no_header(path: str, text: str, expected: str):
    """The problem of a source whose first line starts no header: said at
    the line that is wrong, with what to do."""
    lines = text.split("\n")
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    if first and META_RE.match(lines[first]):
        return error(
            path,
            1,
            CHECK,
            f"the header must start on line 1: remove the {first} blank line(s) "
            "above it",
        )
    if lines and lines[0].strip():
        problem = _stray_problem(lines[0])
        if problem:
            return error(path, 1, CHECK, problem)
    return error(path, 1, CHECK, f"no metadata header ({expected})")


def stray_line(path: str, text: str, number: int):
    """The problem of a line that ends the header without being blank."""
    line = text.split("\n")[number - 1]
    return error(
        path,
        number,
        CHECK,
        _stray_problem(line)
        or "the header ends here, so this line and the rest are read as the "
        "text: leave a blank line between the header and the text",
    )


def _stray_problem(line: str) -> str:
    if re.match(r"^\s*[A-Za-z0-9_-]+\s+:", line):
        return (
            "not a header line: write the field name and ':' with no space "
            "between them (e.g. 'Title: …')"
        )
    if re.match(r"^\s{1,3}\S", line):
        return (
            "not a header line: indent a value continued from the line above "
            "by 4 spaces, or start a field at the left margin"
        )
    return ""


def folder_problem(relative: str) -> str:
    """Why an article's path under the content folder is not its season's
    folder, content/<year>/ ("" when it is). An article elsewhere would make
    that folder its own: its {static} files would be written at their own
    path (over the site's social images, theme or search files)."""
    if re.fullmatch(r"[0-9]{4}/[^/]+", relative.replace(os.sep, "/")):
        return ""
    return (
        f"an article lives in its season's folder: move {relative} to "
        "<year>/<DD>-<slug>.md (pages go in pages/)"
    )


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
            no_header(path, text, "Title:, Date:, Day:, ... lines at the top")
        )
        return source, problems
    if header.stray:
        problems.append(stray_line(path, text, header.stray))

    for repeated in header.repeated:
        problems.append(
            error(path, repeated.line, CHECK, f"field '{repeated.name}' is given twice")
        )
    known = set(REQUIRED) | set(OPTIONAL)
    for name, found in header.fields.items():
        if name in STEERING:
            problems.append(error(path, found.line, CHECK, steering_message(name)))
            source.unsafe = True
        elif name not in known:
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
    if header.get("slug") and not slug_is_safe(header.value("slug")):
        # Reported by the content rules (contentrules/slug).
        source.slug_unsafe = slug_steers_path(header.value("slug"))
    elif _check_slug(header, report, title):
        source.unsafe = True
    lang = header.value("lang")
    if header.get("lang") and not LANG_RE.match(lang):
        report("lang", f"lang {lang!r} is not a language tag such as 'en' or 'pt-BR'")
        source.unsafe = True

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
            late = midnight_problem(date, timezone)
            if late:
                report("date", late)
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
                    f"unknown {role} {key!r}{_person_hint(key, registry)} "
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
    for tag in split_list(header.value("tags")):
        bad = tag_problem(tag)
        if bad:
            report("tags", bad)
            source.unsafe = True
    problems.extend(_common_fields(path, header, report, timezone))
    return source, problems


def _common_fields(path, header: Header, report, timezone: str) -> list:
    """`Modified:` (a date), `Aliases:` and no field that reads differently
    from what it holds, the same for articles and pages."""
    for name, entry in header.fields.items():
        found = BIDI_CONTROL_RE.search(entry.value or "")
        if found:
            report(
                name,
                f"field '{name}' holds an invisible bidirectional control "
                f"(U+{ord(found.group()):04X}): it makes the text show in another "
                "order than it is written (in the page, the feeds and the "
                "review); remove it",
            )
    modified = header.value("modified")
    if modified:
        try:
            parse_date(modified, timezone)
        except ValueError as exc:
            report("modified", f"invalid date {modified!r}: {exc}")
    return alias_rules.check_field(path, header)


def _check_slug(header: Header, report, title: str, what: str = "article") -> bool:
    """The slug names the file: a given one must be plain words, and without
    one the title must make one. True when a problem was reported."""
    if header.get("slug"):
        slug = header.value("slug")
        if not slug_is_safe(slug):
            return True  # reported by the content rules (contentrules/slug)
        bad = slug_problem(slug, what)
        if bad:
            report("slug", bad)
    elif title:
        bad = title_slug_problem(title, what)
        if bad:
            report("title", bad)
    else:
        bad = ""
    return bool(bad)


PAGE_FIELDS = (
    "title",
    "slug",
    "summary",
    "status",
    "modified",
    "lang",
    "guid",
    "aliases",
)
PAGE_STATUSES = ("published", "hidden", "draft")
# Top-level names of what the site writes itself (setting *_SAVE_AS folders
# are added by the plugin): a page must not take their place.
RESERVED_PAGE_SLUGS = frozenset(
    {"tags", "people", "archive", "search", "feeds", "theme", "pagefind", "social"}
)
YEAR_RE = re.compile(r"^[0-9]{4}$")


def reserved_page_slugs(settings) -> set[str]:
    """Every top-level folder the site writes, from the settings."""
    names = set(RESERVED_PAGE_SLUGS)
    for key, value in settings.items():
        if isinstance(value, str) and (
            key.endswith("_SAVE_AS") or key in ("THEME_STATIC_DIR", "FEEDS_PATH")
        ):
            first = value.strip("/").split("/")[0]
            if first and "{" not in first and "." not in first:
                names.add(first)
    return names


def page_is_unsafe(text: str) -> bool:
    """Whether a page's Slug: would lead its folder elsewhere."""
    slug = parse_header(text).value("slug")
    return bool(slug) and slug_steers_path(slug)


def plain_slug(slug: str) -> str:
    """The slug the sanitizer (plugins/sanitize) writes for an unsafe one."""
    return "-".join(re.findall(r"[a-z0-9]+", slug_of(slug).lower())) or "article"


def check_page(
    path: str, text: str, *, reserved=RESERVED_PAGE_SLUGS, timezone: str = "UTC"
) -> list:
    """Check one page's header (content/pages/*.md): its fields, and a slug
    that names a folder of its own (<slug>/index.html) the site does not use."""
    header = parse_header(text)
    problems = []

    def report(name, message):
        problems.append(error(path, header.line_of(name), CHECK, message))

    if not header.fields:
        return [no_header(path, text, "Title: … at the top")]
    if header.stray:
        problems.append(stray_line(path, text, header.stray))
    for repeated in header.repeated:
        problems.append(
            error(path, repeated.line, CHECK, f"field '{repeated.name}' is given twice")
        )
    for name, found in header.fields.items():
        if name in STEERING:
            problems.append(
                error(path, found.line, CHECK, steering_message(name, "page"))
            )
        elif name not in PAGE_FIELDS:
            problems.append(
                error(
                    path,
                    found.line,
                    CHECK,
                    f"unknown field '{name}' for a page{_suggest(name, PAGE_FIELDS)}",
                )
            )
    title = header.value("title")
    if not title:
        report("title", "a page needs a 'Title:'")
    status = header.value("status", "published").lower()
    if status not in PAGE_STATUSES:
        report(
            "status",
            f"status must be one of {', '.join(PAGE_STATUSES)}, not {status!r}",
        )
    _check_slug(header, report, title, "page")
    slug = header.value("slug") or (slug_of(title) if title else "")
    if slug and not slug_is_safe(slug):
        slug = plain_slug(slug)  # where the page would be written
    if slug and (slug in reserved or YEAR_RE.match(slug)):
        report(
            "slug" if header.get("slug") else "title",
            f"the page would be written at {slug}/, which the site uses for its own "
            "pages: choose another 'Slug:'",
        )
    lang = header.value("lang")
    if header.get("lang") and not LANG_RE.match(lang):
        report("lang", f"lang {lang!r} is not a language tag such as 'en' or 'pt-BR'")
    problems.extend(_common_fields(path, header, report, timezone))
    return problems


def page_place(text: str) -> str:
    """The folder a page is written in (its slug), "" for a draft or none."""
    header = parse_header(text)
    if header.value("status", "published").lower() == "draft":
        return ""
    title = header.value("title")
    slug = header.value("slug") or (slug_of(title) if title else "")
    if slug and not slug_is_safe(slug):
        slug = plain_slug(slug)
    return slug


def check_page_clashes(pages) -> list:
    """Two pages written in one folder (one slug, whatever their `Lang:`):
    an error at the field that names it, in each. `pages`: (path, text)."""
    by_slug: dict[str, list] = {}
    for path, text in pages:
        slug = page_place(text)
        if slug:
            by_slug.setdefault(slug, []).append(_Page(path, parse_header(text)))
    problems = []
    for slug, page, others in clashes(dict(sorted(by_slug.items()))):
        field = "slug" if page.header.get("slug") else "title"
        problems.append(
            error(
                page.path,
                page.header.line_of(field),
                CHECK,
                f"the page would be written at {slug}/, as {others} is: "
                "choose another 'Slug:'",
            )
        )
    return problems


@dataclass
class _Page:
    path: str
    header: Header


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


__all__ = [
    "check_article",
    "check_duplicates",
    "check_page",
    "check_sources",
    "warning",
]
