"""sharing: what a shared link shows. A social image per article, written at
build time, and the JSON-LD of each article (for templates, as a filter).

Wiring only; the logic lives in `card` and `jsonld`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from jinja2.utils import htmlsafe_json_dumps
from pelican import signals
from pelican.generators import Generator

from plugins.core.pool import parallel_map
from plugins.core.settings import apply_defaults, declare

from .card import CardCache, card_key, encode_card, write_card
from .jsonld import article_jsonld

logger = logging.getLogger(__name__)


SETTINGS = declare(
    {
        "SHARING_IMAGE_SAVE_AS": "social/{year}/day-{day}.png",
        "SHARING_IMAGE_CACHE": True,
    },
    {
        "SHARING_IMAGE_SAVE_AS": "where an article's social image is written",
        "SHARING_IMAGE_CACHE": "reuse drawn images from CACHE_PATH/sharing/",
    },
)
# Images are drawn for the advent plugin's articles (day, season, people).
REQUIRES = ("plugins.advent",)


def jsonld_filter(article, siteurl, sitename, image_url=""):
    """Template filter: the article's JSON-LD, safe inside a <script> element."""
    return htmlsafe_json_dumps(article_jsonld(article, siteurl, sitename, image_url))


def initialized(pelican) -> None:
    apply_defaults(pelican.settings, SETTINGS)
    filters = pelican.settings.setdefault("JINJA_FILTERS", {})
    filters.setdefault("article_jsonld", jsonld_filter)


def name_images(generator) -> None:
    """Give each public article the URL of its social image (`article.social_image`)."""
    pattern = generator.settings["SHARING_IMAGE_SAVE_AS"]
    for article in generator.articles:
        article.social_image = pattern.format(year=article.season, day=article.day)


class SharingGenerator(Generator):
    """Draws the social image of every public article into the output."""

    def generate_output(self, writer):
        sitename = self.settings["SITENAME"]
        cache = None
        if self.settings.get("SHARING_IMAGE_CACHE", True):
            cache = CardCache(Path(self.settings["CACHE_PATH"]) / "sharing")
        cards = [
            (
                Path(self.output_path) / article.social_image,
                {
                    "sitename": sitename,
                    "season": article.season,
                    "day": article.day,
                    # A title is text, never HTML: "< and >" stay.
                    "title": str(article.title),
                    "byline": "By "
                    + " and ".join(p.display_name for p in article.author_people),
                },
            )
            for article in self.context.get("articles", [])
            if getattr(article, "social_image", None)
        ]
        # The cards not in the cache are drawn on every core (pure work).
        missing = [
            f for _, f in cards if cache is None or cache.get(card_key(**f)) is None
        ]
        drawn = dict(
            zip(
                (card_key(**f) for f in missing),
                parallel_map(_encode, missing, self.settings),
                strict=True,
            )
        )
        for path, fields in cards:
            write_card(path, cache, drawn=drawn.get(card_key(**fields)), **fields)
        if cache is not None:
            logger.info(
                "sharing: %d social image(s) drawn, %d copied from %s",
                cache.drawn,
                cache.hits,
                cache.folder,
            )


def _encode(fields: dict) -> bytes:
    return encode_card(**fields)


def get_generators(pelican):
    return SharingGenerator


def register():
    signals.initialized.connect(initialized)
    signals.article_generator_finalized.connect(name_images)
    signals.get_generators.connect(get_generators)
