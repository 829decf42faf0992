"""advent: seasons, days, people and metadata rules for an advent calendar.

Wiring only; the logic lives in `rules`, `people`, `season` and `model`.
"""

from __future__ import annotations

import datetime
import os

from pelican import signals
from pelican.generators import Generator

from plugins.core.checks import SOURCE, Check
from plugins.core.problems import error
from plugins.core.run import ensure_run
from plugins.core.settings import declare

from .model import build_advent
from .people import parse_registry
from .pictures import write_picture
from .rules import (
    CHECK,
    STATUSES,
    check_page,
    check_page_clashes,
    check_read_sources,
    folder_problem,
    page_is_unsafe,
    parse_date,
    reserved_page_slugs,
)

SETTINGS = declare(
    {
        "ADVENT_LAST_DAY": 25,
        "ADVENT_PEOPLE": "people.toml",
        "ADVENT_TODAY": None,
        "ADVENT_SINCE": 2008,
        "ADVENT_CFP_OPENS": None,
        "ADVENT_CFP_CLOSES": None,
    },
    {
        "ADVENT_LAST_DAY": "last door of a season (1..N)",
        "ADVENT_PEOPLE": "the people registry, relative to PATH",
        "ADVENT_TODAY": "build the site as of this day (YYYY-MM-DD); None: now",
        "ADVENT_SINCE": "the first season (home, Archive and About say 'since')",
        "ADVENT_CFP_OPENS": "the call for papers opens: 'MM-DD' each year, or a date",
        "ADVENT_CFP_CLOSES": "the call for papers closes: 'MM-DD' each year, or a date",
    },
    types={
        "ADVENT_TODAY": (str, datetime.date),
        "ADVENT_CFP_OPENS": (str, datetime.date),
        "ADVENT_CFP_CLOSES": (str, datetime.date),
    },
)


def registry_of(sources, settings):
    """The people registry and its problems, parsed once per build."""
    path = os.path.join(settings["PATH"], settings["ADVENT_PEOPLE"])
    people = next((s for s in sources if s.kind == "people"), None)
    if people is None:
        # The source stage is given readable sources only: an unreadable
        # registry was read (and reported) with the rest of content/.
        people = ensure_run(settings).sources.stored(path)
    if people is None:
        from .people import load_registry

        return load_registry(path)
    if not people.ok:  # the read problem is reported already
        registry, _ = parse_registry(path, "")
        registry.complete = False
        return registry, []
    return people.cached("registry", lambda s: parse_registry(s.path, s.text))


def check_metadata(sources, settings) -> list:
    """The people registry and every article's header (plugins/advent/rules.py)."""
    registry, problems = registry_of(sources, settings)
    articles = [s for s in sources if s.kind == "article"]
    learned, found = check_read_sources(
        articles,
        # A registry that could not be read names nobody: its own problem is
        # the one to fix, not an "unknown author" on every article.
        registry if registry.complete else None,
        timezone=settings["TIMEZONE"],
        last_day=settings["ADVENT_LAST_DAY"],
    )
    # Without a title, a date in December and a day, the article has no place
    # in a season: Pelican must not build it (its other problems are reported).
    run = ensure_run(settings)
    root = os.path.abspath(settings["PATH"])
    for source in articles:
        where = os.path.abspath(source.path)
        problem = folder_problem(os.path.relpath(where, root))
        if problem:
            found.append(error(source.path, 1, CHECK, problem))
            run.skipped.add(where)
    sanitized = _sanitized(settings)
    first_of_day = {}  # (year, day) -> the article built for it (path order)
    for article in sorted(learned, key=lambda a: a.path):
        if article.day is not None:
            first_of_day.setdefault((article.year, article.day), article)
    for article in learned:
        usable = article.date and article.date.month == 12 and article.day
        # A header field that would steer where a file is written: not built.
        unsafe = article.unsafe or (article.slug_unsafe and not sanitized)
        # A status Pelican reads its own way ("hidden") is reported above; built,
        # the article would reach templates without what the season gives it.
        known_status = article.status in STATUSES
        # A day taken twice is reported on both; only the first is built: a
        # copy with the same title would be written at the same address and
        # end the build (links to that day still resolve).
        second = first_of_day.get((article.year, article.day), article) is not article
        usable = usable and known_status and not second
        # Pelican cannot read a Modified: that does not parse (said above).
        usable = usable and _date_reads(article.header.value("modified"), settings)
        if unsafe or not (usable and article.header.value("title")):
            run.skipped.add(os.path.abspath(article.path))
    return problems + found


def _date_reads(value: str, settings) -> bool:
    """Whether an optional date field is absent or a date."""
    try:
        return not value or bool(parse_date(value, settings["TIMEZONE"]))
    except ValueError:
        return False


def _sanitized(settings) -> bool:
    """Whether the sanitizer plugin makes unsafe slugs plain in this build."""
    return any(
        getattr(p, "__name__", p) == "plugins.sanitize"
        for p in settings.get("PLUGINS") or []
    )


def check_pages(sources, settings) -> list:
    """Every page's header: no field steers where a file is written; a page
    with such a problem is not built at all."""
    run = ensure_run(settings)
    reserved = reserved_page_slugs(settings)
    problems = []
    for source in sources:
        if source.kind != "page":
            continue
        found = check_page(
            source.path, source.text, reserved=reserved, timezone=settings["TIMEZONE"]
        )
        unsafe = page_is_unsafe(source.text) and not _sanitized(settings)
        if any(p.is_error for p in found) or unsafe:
            run.skipped.add(os.path.abspath(source.path))
        problems.extend(found)
    pages = [(s.path, s.text) for s in sources if s.kind == "page" and s.ok]
    clashing = check_page_clashes(pages)
    # Pelican would stop at the second page written in one folder: none of
    # them is built, and each is named at its line.
    run.skipped.update(os.path.abspath(p.path) for p in clashing)
    return problems + clashing


CHECKS = [
    Check(
        "advent/metadata",
        SOURCE,
        check_metadata,
        "required header fields, dates and days, people, one article a day",
    ),
    Check(
        "advent/pages",
        SOURCE,
        check_pages,
        "page headers: no field steers where a file is written",
    ),
]


def load_people(generator) -> None:
    """Give the templates and the other plugins the people registry."""
    run = ensure_run(generator.settings)
    registry, _ = registry_of(list(run.sources), generator.settings)
    generator.context["advent_registry"] = registry


def build_model(generator) -> None:
    """Keep only what is public today and build the seasons from it."""
    registry = generator.context["advent_registry"]
    advent, published = build_advent(generator.articles, registry, generator.settings)
    generator.articles = published
    # Drafts appear nowhere, not even under drafts/. Pelican also writes its
    # hidden articles and translations, which the model above never sees (so
    # a scheduled one would be public before its day): the site has neither
    # (ARTICLE_TRANSLATION_ID is None; 'hidden' is refused at its line).
    generator.drafts, generator.drafts_translations = [], []
    generator.hidden_articles, generator.hidden_translations = [], []
    generator.translations = []
    generator.context["advent"] = advent


class AdventGenerator(Generator):
    """Writes the season calendars and the people pages."""

    def generate_output(self, writer):
        advent = self.context.get("advent")
        if advent is None:
            return
        settings = self.settings
        for season in advent.seasons:
            writer.write_file(
                settings["SEASON_SAVE_AS"].format(year=season.year),
                self.get_template("season"),
                self.context,
                relative_urls=settings["RELATIVE_URLS"],
                season=season,
                page_name=f"{season.year}",
                url=settings["SEASON_URL"].format(year=season.year),
            )
        writer.write_file(
            settings["PEOPLE_SAVE_AS"],
            self.get_template("people"),
            self.context,
            relative_urls=settings["RELATIVE_URLS"],
            page_name="people",
            url=settings["PEOPLE_URL"],
        )
        # Pictures are named relative to the registry's folder (content/).
        folder = os.path.dirname(
            os.path.join(settings["PATH"], settings["ADVENT_PEOPLE"])
        )
        for key, work in advent.people.items():
            if work.person.picture:
                write_picture(
                    os.path.join(folder, work.person.picture),
                    os.path.join(self.output_path, work.person.picture_url),
                )
            writer.write_file(
                settings["PERSON_SAVE_AS"].format(key=key),
                self.get_template("person"),
                self.context,
                relative_urls=settings["RELATIVE_URLS"],
                work=work,
                person=work.person,
                page_name=f"people/{key}",
                url=settings["PERSON_URL"].format(key=key),
            )


def get_generators(pelican):
    return AdventGenerator


def date_the_sitemap(generators) -> None:
    """Give pages without a date of their own (calendars, people, topics,
    pages) the newest published article's date in the sitemap, where
    pelican-sitemap would write the build's clock time: the same content
    then always gives the same sitemap."""
    try:
        from pelican.plugins.sitemap import sitemap
    except ImportError:  # the sitemap plugin is not installed
        return
    context = generators[0].context if generators else {}
    dates = [
        getattr(a, "modified", None) or a.date for a in context.get("articles", [])
    ]
    advent = context.get("advent")
    if dates:
        sitemap.generator.now = max(dates)
    elif advent is not None:  # no article yet: the day the site is built as of
        sitemap.generator.now = advent.opening(advent.today)


def register():
    signals.article_generator_init.connect(load_people)
    signals.article_generator_pretaxonomy.connect(build_model)
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(date_the_sitemap)
