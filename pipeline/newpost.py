"""`invoke new`: create an article file with every field filled or marked TODO."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from plugins.advent.people import KEY_RE, load_registry
from plugins.advent.rules import check_article, check_sources

from .settings import article_sources


class NewPostError(Exception):
    """A refusal, with a message that tells the author what to do."""


@dataclass
class NewPost:
    path: Path
    year: int
    day: int
    person_added: bool
    editors: list[str]


BODY = """\
TODO: Start with the problem your article solves and who it is for.

## A first section

TODO: Explain it with examples. Fence code blocks with their language:

```bash
echo "Hello, SysAdvent"
```

## Conclusion

TODO: What should readers take away, and where can they learn more?
"""


def default_year(today: dt.date) -> int:
    """This year's season, or next year's once this one is over."""
    return today.year + 1 if (today.month, today.day) > (12, 25) else today.year


def taken_days(settings, year: int) -> dict[int, Path]:
    """Days of `year` already taken by an article (any status)."""
    sources, _ = check_sources(
        [str(p) for p in article_sources(settings)],
        None,
        timezone=settings["TIMEZONE"],
        last_day=settings["ADVENT_LAST_DAY"],
    )
    taken = {}
    for source in sources:
        path = Path(source.path)
        folder_year = int(path.parent.name) if path.parent.name.isdigit() else None
        day = source.day
        if day is None:  # a broken header: trust the DD- file name
            match = re.match(r"(\d{1,2})-", path.name)
            day = int(match.group(1)) if match else None
        if day is not None and year in (source.year, folder_year):
            taken.setdefault(day, path)
    return taken


def first_free_day(taken, year: int, today: dt.date, last_day: int) -> int | None:
    """The first free day that is not already in the past."""
    start = today.day if (today.year, today.month) == (year, 12) else 1
    return next((d for d in range(start, last_day + 1) if d not in taken), None)


def slug_for(title: str, settings) -> str:
    from pelican.utils import slugify

    return slugify(title, regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []))


def midnight(year: int, day: int, timezone: str) -> str:
    """The start of December `day` in the site's time zone, with its offset."""
    moment = dt.datetime(year, 12, day, tzinfo=ZoneInfo(timezone))
    return moment.isoformat()


def article_text(title, date, day, author, editor, tags) -> str:
    editors = editor or "TODO the key of your editor in content/people.toml"
    tags = tags or "TODO three to five topics, comma-separated"
    return (
        f"Title: {title}\n"
        f"Date: {date}\n"
        f"Day: {day}\n"
        f"Authors: {author}\n"
        f"Editors: {editors}\n"
        f"Tags: {tags}\n"
        "Summary: TODO one or two sentences that say what the article is about\n"
        # The article's permanent feed id (plugins/feeds): never change or copy it.
        f"Guid: {uuid.uuid4()}\n"
        "\n" + BODY
    )


def _toml_string(value: str) -> str:
    # A JSON string is a valid TOML basic string.
    return json.dumps(value, ensure_ascii=False)


def add_person(people: Path, key: str, name: str | None, handle: str | None) -> None:
    """Append a person to the registry, keeping the file valid or unchanged."""
    if not KEY_RE.match(key):
        raise NewPostError(
            f"author key {key!r} must be lowercase letters, digits, '-' or '_' "
            "(e.g. jane-doe)"
        )
    before = people.read_text(encoding="utf-8") if people.exists() else ""
    entry = f"\n[{key}]\n"
    if name:
        entry += f"name = {_toml_string(name)}\n"
    if handle:
        entry += f"handle = {_toml_string(handle.lstrip('@'))}\n"
    people.write_text(before.rstrip("\n") + "\n" + entry, encoding="utf-8")
    _, problems = load_registry(people)
    if problems:
        people.write_text(before, encoding="utf-8")
        raise NewPostError(
            "could not add the person: " + "; ".join(p.message for p in problems)
        )


def editors_of(settings) -> list[str]:
    """Keys of the people who have edited articles, to suggest one."""
    sources, _ = check_sources(
        [str(p) for p in article_sources(settings)],
        None,
        timezone=settings["TIMEZONE"],
    )
    return sorted(
        {key for s in sources for key in s.editors if not key.startswith("TODO")}
    )


def create(
    settings,
    *,
    title: str,
    author: str,
    today: dt.date,
    year: int | None = None,
    day: int | None = None,
    name: str | None = None,
    handle: str | None = None,
    editor: str | None = None,
    tags: str | None = None,
) -> NewPost:
    """Create the article file (and the person, if asked); refuse clearly."""
    content = Path(settings["PATH"])
    timezone = settings["TIMEZONE"]
    last_day = settings["ADVENT_LAST_DAY"]
    title = (title or "").strip()
    if not title:
        raise NewPostError('give the article a title: --title "Your title"')
    people = content / settings.get("ADVENT_PEOPLE", "people.toml")
    registry, _ = load_registry(people)

    person_added = False
    if author not in registry:
        if not (name or handle):
            raise NewPostError(
                f"unknown author {author!r}: nobody has that key in "
                f"{people.as_posix()}. To add them, run the same command with "
                f'--name "Full Name" and/or --handle HANDLE, e.g.\n'
                f'  invoke new --title "{title}" --author {author} '
                f'--name "Full Name" --handle yourhandle'
            )
    elif name or handle:
        raise NewPostError(
            f"{author!r} is already in {people.as_posix()}; leave out --name/--handle"
        )
    if editor and editor not in registry:
        raise NewPostError(f"unknown editor {editor!r}: not in {people.as_posix()}")

    year = year or default_year(today)
    taken = taken_days(settings, year)
    if day is None:
        day = first_free_day(taken, year, today, last_day)
        if day is None:
            raise NewPostError(
                f"every day of {year} from today to December {last_day} is taken; "
                "ask an editor, or choose --year"
            )
    elif not 1 <= day <= last_day:
        raise NewPostError(f"--day must be between 1 and {last_day}, not {day}")
    elif day in taken:
        free = [d for d in range(1, last_day + 1) if d not in taken]
        raise NewPostError(
            f"day {day} of {year} is taken by {taken[day].as_posix()}; "
            f"free days: {', '.join(map(str, free)) or 'none'}"
        )

    slug = slug_for(title, settings)
    path = content / str(year) / f"{day:02d}-{slug}.md"
    if path.exists():
        raise NewPostError(f"{path.as_posix()} already exists")
    text = article_text(title, midnight(year, day, timezone), day, author, editor, tags)

    # The new header must pass the metadata rules, apart from its TODO marks.
    check_registry = registry
    if author not in registry:
        check_registry = None
    _, problems = check_article(
        str(path), text, check_registry, timezone=timezone, last_day=last_day
    )
    problems = [p for p in problems if "TODO" not in p.message]
    if problems:
        raise NewPostError("; ".join(p.message for p in problems))

    if author not in registry:
        add_person(people, author, name, handle)
        person_added = True
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return NewPost(path, year, day, person_added, editors_of(settings))


def next_steps(post, settings, author, editor) -> list[str]:
    """What `invoke new` tells the author once the file is written."""
    from plugins.core.problems import display_path

    lines = []
    if post.person_added:
        lines.append(f"added {author} to {settings['ADVENT_PEOPLE']}")
    lines.append(
        f"created {display_path(str(post.path))} (day {post.day} of {post.year})"
    )
    lines.append("next: replace every TODO in it, then run `invoke check`;")
    lines.append(
        f"preview it with `invoke build --today {post.year}-12-{post.day:02d}`."
    )
    if not editor and post.editors:
        lines.append(f"editors so far: {', '.join(post.editors)}")
    return lines


def command(settings_file, content, today, *, year=None, day=None, **fields) -> str:
    """`invoke new`: create the article, return what to tell the author."""
    from .settings import load_settings

    settings = load_settings(settings_file, content)
    post = create(
        settings,
        today=today,
        year=int(year) if year else None,
        day=int(day) if day else None,
        **fields,
    )
    return "\n".join(next_steps(post, settings, fields["author"], fields["editor"]))
