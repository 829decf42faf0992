"""feeds: full-text Atom, RSS and JSON Feed for the site, each season, each
person and each tag, with entry ids that never change.

Wiring only; the logic lives in `ids`, `collect`, `model`, `render`, `html`
and `websub`.
"""

from __future__ import annotations

import os
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from plugins.core.checks import SOURCE, Check
from plugins.core.reuse import LastSite
from plugins.core.run import ensure_run
from plugins.core.settings import declare

from .collect import build_index, make_entry
from .ids import SourceIds, fallback_guid, resolve_ids
from .render import RENDERERS, feed_key

DEFAULTS = {
    # Absolute base of every URL in feeds. None: SITEURL when it is absolute
    # (publishconf.py), else FEEDS_DEV_SITEURL (pelicanconf.py has SITEURL "").
    "FEEDS_SITEURL": None,
    "FEEDS_DEV_SITEURL": "http://127.0.0.1:8000",
    "FEEDS_PATH": "feeds",
    "FEEDS_FORMATS": ("atom", "rss", "json"),
    # How many of its newest articles each feed carries (None: all of them).
    # The site feed: 25, a whole season (a season feed is never longer).
    "FEEDS_MAX_ITEMS": 25,
    "FEEDS_SEASON_MAX_ITEMS": None,
    "FEEDS_PERSON_MAX_ITEMS": 20,
    "FEEDS_TAG_MAX_ITEMS": 20,
    # The site and season feeds carry the newest 25 articles of the site in
    # full; other entries are a summary and a link. Measured on the bench
    # corpus of 475 articles (each in 5 to 7 feeds, 3 formats each): 8.3 MB
    # of feeds; the newest 25 in full in every feed 12.9 MB; every entry in
    # full 98.5 MB.
    "FEEDS_FULL_TEXT_ITEMS": 25,
    "FEEDS_FULL_TEXT_KINDS": ("site", "season"),
    "FEEDS_ENTRY_TITLE": "Day {day}: {title}",
    # Authority of the feeds' own tag: ids (RFC 4151); never change it.
    "FEEDS_TAG_AUTHORITY": "sysadvent.blogspot.com,2008",
    # A WebSub hub URL (or a list): feeds link to it with rel="hub".
    "FEEDS_WEBSUB_HUB": None,
    # True: an article without a Guid: field fails the build (else a warning).
    "FEEDS_REQUIRE_GUID": False,
    "FEEDS_PAGE_URL": "feeds/",
    "FEEDS_PAGE_SAVE_AS": "feeds/index.html",
}


SETTINGS = declare(
    DEFAULTS,
    {
        "FEEDS_SITEURL": "absolute base of feed URLs (None: SITEURL or the dev URL)",
        "FEEDS_DEV_SITEURL": "base of feed URLs in development builds",
        "FEEDS_PATH": "folder of the feeds in the output",
        "FEEDS_FORMATS": "formats written and advertised (atom, rss, json)",
        "FEEDS_MAX_ITEMS": "entries in the site-wide feed (None: all)",
        "FEEDS_SEASON_MAX_ITEMS": "entries in a season's feed (None: all)",
        "FEEDS_PERSON_MAX_ITEMS": "entries in a person's feed (None: all)",
        "FEEDS_TAG_MAX_ITEMS": "entries in a topic's feed (None: all)",
        "FEEDS_FULL_TEXT_ITEMS": "the newest N articles are carried in full (None: all)",
        "FEEDS_FULL_TEXT_KINDS": "feeds that carry full text: site, season, person, tag",
        "FEEDS_ENTRY_TITLE": "entry titles ({day}, {title}, {season})",
        "FEEDS_TAG_AUTHORITY": "authority of the feeds' tag: ids; never change it",
        "FEEDS_WEBSUB_HUB": "a WebSub hub URL or a list of them",
        "FEEDS_REQUIRE_GUID": "an article without Guid: fails the build",
        "FEEDS_PAGE_URL": "URL of the page listing every feed",
        "FEEDS_PAGE_SAVE_AS": "where that page is written",
    },
    types={
        "FEEDS_SITEURL": (str,),
        "FEEDS_MAX_ITEMS": (int, type(None)),
        "FEEDS_SEASON_MAX_ITEMS": (int, type(None)),
        "FEEDS_PERSON_MAX_ITEMS": (int, type(None)),
        "FEEDS_TAG_MAX_ITEMS": (int, type(None)),
        "FEEDS_FULL_TEXT_ITEMS": (int, type(None)),
        "FEEDS_WEBSUB_HUB": (str, list, tuple),
    },
)
# Entry ids and scheduling come from the advent plugin's model.
REQUIRES = ("plugins.advent",)


def feeds_siteurl(settings) -> str:
    """The absolute site URL feeds use, without a trailing slash."""
    siteurl = settings.get("FEEDS_SITEURL") or ""
    if not siteurl:
        site = settings.get("SITEURL") or ""
        is_absolute = site.startswith(("http://", "https://"))
        siteurl = site if is_absolute else settings["FEEDS_DEV_SITEURL"]
    return siteurl.rstrip("/")


def hubs(settings) -> list[str]:
    hub = settings.get("FEEDS_WEBSUB_HUB")
    if not hub:
        return []
    return [hub] if isinstance(hub, str) else list(hub)


def _source_ids(source, content_path) -> SourceIds:
    header = source.header
    found = header.get("guid")
    return SourceIds(
        path=source.path,
        key=Path(os.path.relpath(source.path, content_path)).as_posix(),
        guid=found.value if found and found.value else None,
        line=found.line if found else max(header.end_line, 1),
    )


def _resolve(sources, settings):
    """Entry ids of every article that is not a draft, and their problems.

    Scheduled articles count too, so a copied Guid fails before the copy is
    published; a draft's Guid is checked once it is no longer a draft.
    """
    articles = [
        _source_ids(s, settings["PATH"])
        for s in sources
        if s.kind == "article"
        and s.ok
        and s.header.value("status").lower() != "draft"
        # A header that does not read (advent/metadata says where) may well
        # hold a Guid: judged once it reads.
        and s.header.fields
        and not s.header.stray
    ]
    return resolve_ids(articles, require=settings["FEEDS_REQUIRE_GUID"])


def check_guids(sources, settings) -> list:
    """Every article's permanent feed id: valid, and never shared."""
    ids, problems = _resolve(sources, settings)
    ensure_run(settings).data["feeds.ids"] = ids
    return problems


CHECKS = [Check("feeds/guid", SOURCE, check_guids, "permanent, unique feed ids")]


def assign_ids(generator) -> None:
    """Give every article its permanent entry id (`article.feed_id`)."""
    run = ensure_run(generator.settings)
    ids = run.data.get("feeds.ids")
    advent = generator.context.get("advent")
    scheduled = advent.scheduled if advent is not None else []
    articles = [*generator.articles, *scheduled]
    if ids is None:  # a bare `pelican` run: no pipeline ran the check
        sources = [run.sources.get(a.source_path) for a in articles]
        for source in sources:
            source.kind = "article"
        ids, _ = _resolve(sources, generator.settings)
    for article in articles:
        source = run.sources.get(article.source_path)
        key = _source_ids(source, generator.settings["PATH"]).key
        article.feed_id = ids.get(key) or fallback_guid(key)


class FeedsGenerator(Generator):
    """Writes every feed and the readable feeds page."""

    def generate_context(self):
        # Runs after the articles generator: the published articles are final.
        articles = self.context.get("articles", [])
        if "advent" not in self.context:
            return
        index = build_index(articles, feeds_siteurl(self.settings), self.settings)
        self.context["feeds"] = index

    def generate_output(self, writer):
        index = self.context.get("feeds")
        if index is None:
            return
        settings = self.settings
        base = feeds_siteurl(settings)
        # Content is read only now: every generator's context is built, so
        # Pelican can resolve {filename} and {static} links.
        index.fill_entries(
            lambda article, full_text: make_entry(article, base, settings, full_text)
        )
        options = {
            "authority": settings["FEEDS_TAG_AUTHORITY"],
            "language": settings.get("DEFAULT_LANG", "en"),
            "hubs": hubs(settings),
        }
        output = Path(self.output_path)
        # A feed whose entries did not change is taken from the last site.
        last, known = LastSite.of(settings), {}
        for feed in index.all():
            for link in index.links(feed):
                url = f"{base}/{link.path}"
                key = data = None
                if last is not None:
                    key = feed_key(feed, link.format, url, options, known)
                    data = last.take(link.path, key)
                if data is None:
                    data = RENDERERS[link.format](feed, url, options)
                    if last is not None:
                        last.keep(link.path, key, data)
                target = output / link.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        writer.write_file(
            settings["FEEDS_PAGE_SAVE_AS"],
            self.get_template("feeds"),
            self.context,
            relative_urls=settings["RELATIVE_URLS"],
            page_name="feeds",
            url=settings["FEEDS_PAGE_URL"],
            feeds_base=base,  # the page shows the feeds' absolute URLs
        )


def get_generators(pelican):
    return FeedsGenerator


def register():
    signals.article_generator_finalized.connect(assign_ids)
    signals.get_generators.connect(get_generators)
