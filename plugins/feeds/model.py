"""Which feeds the site has and what each entry carries (no Pelican import).

Entries are plain data built once per article; feeds are lists of entries.
`render` turns a feed into Atom, RSS and JSON Feed bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from markupsafe import Markup

from .html import plain_text

FORMATS = {
    # format: (file suffix, media type, label)
    "atom": (".atom.xml", "application/atom+xml", "Atom"),
    "rss": (".rss.xml", "application/rss+xml", "RSS"),
    "json": (".json", "application/feed+json", "JSON Feed"),
}
# The updated time of a feed with no entry yet: fixed, so builds stay identical.
EMPTY_UPDATED = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Credit:
    """A person as a feed names them."""

    name: str
    url: str


@dataclass
class Entry:
    """One article as every feed format carries it; URLs are absolute."""

    id: str
    url: str
    title: str
    content_html: str | None  # None: carried by its summary and link only
    summary_html: str
    published: dt.datetime
    updated: dt.datetime
    authors: list[Credit]
    editors: list[Credit]
    tags: list[str]
    season: int
    day: int

    @cached_property
    def summary_text(self) -> str:
        """The summary as plain text (JSON Feed's `summary`), made once
        however many feeds carry the entry."""
        return plain_text(self.summary_html)


@dataclass
class Feed:
    """One feed: `name` is its path under the feeds folder without suffix
    (`all`, `2017`, `people/<key>`, `tags/<slug>`)."""

    kind: str  # site, season, person or tag
    name: str
    title: str
    description: str
    page_url: str  # absolute URL of the HTML page the feed follows
    subject: str = ""  # what it follows: the season, person or topic name
    articles: list = field(default_factory=list)  # newest first
    entries: list[Entry] = field(default_factory=list)  # filled by fill_entries

    @property
    def updated(self) -> dt.datetime:
        """The newest entry's updated time, never 'now'."""
        return max((e.updated for e in self.entries), default=EMPTY_UPDATED)


@dataclass(frozen=True)
class FeedLink:
    """One file of a feed, with its path relative to the site root."""

    feed: Feed
    format: str
    path: str

    @property
    def mime(self) -> str:
        return FORMATS[self.format][1]

    @property
    def label(self) -> str:
        return FORMATS[self.format][2]

    @property
    def title(self) -> str:
        return f"{self.feed.title} ({self.label})"

    def head_tag(self, siteurl: str) -> Markup:
        """The `<link rel="alternate">` that advertises this feed in a page."""
        return Markup(
            '<link rel="alternate" type="{}" title="{}" href="{}/{}">'
        ).format(self.mime, self.title, siteurl, self.path)


def newest_first(articles) -> list:
    """Articles newest first; equal dates by entry id, so the order never
    depends on the order Pelican read the files in."""
    return sorted(articles, key=lambda a: (a.date, a.feed_id), reverse=True)


class FeedIndex:
    """Every feed of the site, as templates and the writer see them."""

    def __init__(
        self,
        folder: str,
        formats,
        site,
        seasons,
        people,
        tags,
        full_text=None,
        full_text_kinds=("site", "season", "person", "tag"),
    ):
        self.folder = folder.strip("/")
        # The articles carried in full (None: all of them), in the feeds of
        # these kinds; every other entry carries its summary and link only.
        self.full_text = None if full_text is None else list(full_text)
        self.full_text_kinds = frozenset(full_text_kinds)
        self.formats = [f for f in FORMATS if f in formats]
        self.site = site
        self.seasons = {f.name: f for f in seasons}
        self.people = {f.name.split("/", 1)[1]: f for f in people}
        self.tags = {f.name.split("/", 1)[1]: f for f in tags}

    def is_full_text(self, feed: Feed, article) -> bool:
        """Whether `feed` carries `article` in full."""
        if feed.kind not in self.full_text_kinds:
            return False
        return self.full_text is None or any(a is article for a in self.full_text)

    def fill_entries(self, make_entry) -> None:
        """Give every feed its entries; `make_entry(article, full_text)` runs
        at most once per article and `full_text` value (content is read here,
        once Pelican has resolved links)."""
        made = {}
        for feed in self.all():
            feed.entries = []
            for article in feed.articles:
                key = (id(article), self.is_full_text(feed, article))
                if key not in made:
                    made[key] = make_entry(article, key[1])
                feed.entries.append(made[key])

    def all(self) -> list[Feed]:
        """Every feed, in a fixed order."""
        return [
            self.site,
            *self.seasons.values(),
            *self.people.values(),
            *self.tags.values(),
        ]

    def links(self, feed: Feed | None) -> list[FeedLink]:
        """The files of `feed`, one per format (none for a missing feed)."""
        if feed is None:
            return []
        return [
            FeedLink(feed, fmt, f"{self.folder}/{feed.name}{FORMATS[fmt][0]}")
            for fmt in self.formats
        ]

    def season(self, year) -> list[FeedLink]:
        return self.links(self.seasons.get(str(year)))

    def person(self, key) -> list[FeedLink]:
        return self.links(self.people.get(str(key)))

    def tag(self, tag) -> list[FeedLink]:
        """The feed files of a tag (a Pelican Tag or its slug)."""
        return self.links(self.tags.get(getattr(tag, "slug", tag)))

    def head(self, siteurl: str, season=None, person=None, tag=None) -> Markup:
        """`<link rel="alternate">` tags for a page: its own feeds first, then
        the site's."""
        own = []
        if season is not None:
            own = self.season(season)
        elif person is not None:
            own = self.person(person)
        elif tag is not None:
            own = self.tag(tag)
        links = [*own, *self.links(self.site)]
        return Markup("\n  ").join(link.head_tag(siteurl) for link in links)
