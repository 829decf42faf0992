"""advent: seasons, days, people and metadata rules for an advent calendar.

Wiring only; the logic lives in `rules`, `people`, `season` and `model`.
"""

from __future__ import annotations

import logging
import os

from pelican import signals
from pelican.generators import Generator

from plugins.core.problems import ContentError, format_problems, has_errors

from .model import build_advent
from .people import load_registry
from .pictures import write_picture
from .rules import check_sources

logger = logging.getLogger(__name__)

MARKDOWN_EXTENSIONS = ("md", "markdown")


def _defaults(settings) -> None:
    settings.setdefault("ADVENT_LAST_DAY", 25)
    settings.setdefault("ADVENT_PEOPLE", "people.toml")
    settings.setdefault("ADVENT_TODAY", None)


def check_content(generator) -> None:
    """Check every article source and the registry before Pelican reads them."""
    settings = generator.settings
    _defaults(settings)
    registry, problems = load_registry(
        os.path.join(generator.path, settings["ADVENT_PEOPLE"])
    )
    files = generator.get_files(
        settings["ARTICLE_PATHS"],
        exclude=settings["ARTICLE_EXCLUDES"],
        extensions=MARKDOWN_EXTENSIONS,
    )
    paths = [os.path.join(generator.path, f) for f in files]
    _, found = check_sources(
        paths,
        registry,
        timezone=settings["TIMEZONE"],
        last_day=settings["ADVENT_LAST_DAY"],
    )
    problems.extend(found)
    if has_errors(problems):
        raise ContentError(problems)
    if problems:
        logger.warning("%s", format_problems(problems))
    generator.context["advent_registry"] = registry


def build_model(generator) -> None:
    """Keep only what is public today and build the seasons from it."""
    registry = generator.context["advent_registry"]
    advent, published = build_advent(generator.articles, registry, generator.settings)
    generator.articles = published
    # Drafts appear nowhere, not even under drafts/.
    generator.drafts, generator.drafts_translations = [], []
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
    signals.article_generator_init.connect(check_content)
    signals.article_generator_pretaxonomy.connect(build_model)
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(date_the_sitemap)
