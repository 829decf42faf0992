"""Write one feed as Atom, RSS 2.0 or JSON Feed 1.1 bytes.

Atom and RSS come from feedgen; JSON Feed is a plain dict. Nothing here reads
the clock: the feed's updated time is its newest entry's, so two builds of
unchanged content give identical bytes.
"""

from __future__ import annotations

import json

from feedgen.ext.base import BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from plugins.core.cachekeys import code_version, digest, package_versions

from .model import FORMATS, Feed

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


class HubLinks(BaseExtension):
    """Adds `<atom:link rel="hub">` to an RSS channel (feedgen only writes the
    self link there)."""

    def __init__(self):
        self.hubs = []

    def extend_rss(self, feed):
        channel = feed[0]
        for hub in self.hubs:
            etree.SubElement(channel, f"{{{ATOM_NS}}}link", href=hub, rel="hub")
        return feed


def feed_id(feed: Feed, authority: str) -> str:
    """The feed's own permanent id: a tag URI that no domain change touches."""
    return f"tag:{authority}:feeds/{feed.name}"


def _feedgen(feed: Feed, fmt: str, self_url: str, options) -> FeedGenerator:
    fg = FeedGenerator()
    # RSS <author> needs an email address; dc:creator names every author.
    fg.load_extension("dc", atom=False, rss=True)
    fg.register_extension("hubs", HubLinks, BaseExtension, atom=False, rss=True)
    fg.id(feed_id(feed, options["authority"]))
    fg.title(feed.title)
    fg.subtitle(feed.description)
    fg.language(options["language"])
    fg.updated(feed.updated)
    # feedgen's RSS <link> is the last link added: self first, alternate last.
    fg.link(href=self_url, rel="self", type=FORMATS[fmt][1])
    for hub in options["hubs"]:
        fg.link(href=hub, rel="hub")
    fg.hubs.hubs = list(options["hubs"])
    fg.link(href=feed.page_url, rel="alternate", type="text/html")
    for entry in feed.entries:
        fe = fg.add_entry(order="append")
        fe.id(entry.id)  # also the RSS guid, isPermaLink="false"
        fe.title(entry.title)
        fe.link(href=entry.url, rel="alternate", type="text/html")
        fe.published(entry.published)
        fe.updated(entry.updated)
        for person in entry.authors:
            fe.author(name=person.name, uri=person.url)
        for person in entry.editors:
            fe.contributor(name=person.name, uri=person.url)
        if entry.tags:
            fe.category([{"term": tag, "label": tag} for tag in entry.tags])
        fe.dc.dc_creator([person.name for person in entry.authors])
        fe.summary(entry.summary_html, type="html")
        if entry.content_html is not None:
            fe.content(entry.content_html, type="html")
    return fg


def atom(feed: Feed, self_url: str, options) -> bytes:
    """The feed as an Atom document."""
    return _feedgen(feed, "atom", self_url, options).atom_str(pretty=True)


def rss(feed: Feed, self_url: str, options) -> bytes:
    """The feed as an RSS 2.0 document (full content in content:encoded)."""
    return _feedgen(feed, "rss", self_url, options).rss_str(pretty=True)


def json_feed(feed: Feed, self_url: str, options) -> bytes:
    """The feed as a JSON Feed 1.1 document."""
    document = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.page_url,
        "feed_url": self_url,
        "description": feed.description,
        "language": options["language"],
    }
    if options["hubs"]:
        document["hubs"] = [{"type": "WebSub", "url": hub} for hub in options["hubs"]]
    document["items"] = [
        {
            "id": entry.id,
            "url": entry.url,
            "title": entry.title,
            # JSON Feed needs a content: an entry without its full text has
            # its summary there, once.
            **(
                {"content_html": entry.content_html, "summary": entry.summary_text}
                if entry.content_html is not None
                else {"content_html": entry.summary_html}
            ),
            "date_published": entry.published.isoformat(),
            "date_modified": entry.updated.isoformat(),
            "authors": [{"name": p.name, "url": p.url} for p in entry.authors],
            "tags": entry.tags,
            # Extension members start with "_" (JSON Feed 1.1, "Extensions").
            "_sysadvent": {
                "season": entry.season,
                "day": entry.day,
                "editors": [{"name": p.name, "url": p.url} for p in entry.editors],
            },
        }
        for entry in feed.entries
    ]
    # No indent: Python's C encoder only writes compact JSON (indented, the
    # pure-Python one took a fifth of the feeds' time). Feed readers parse it.
    text = json.dumps(document, ensure_ascii=False) + "\n"
    return text.encode("utf-8")


RENDERERS = {"atom": atom, "rss": rss, "json": json_feed}


def feed_key(feed: Feed, fmt: str, self_url: str, options, known: dict) -> str:
    """A digest of everything the renderers read to write `feed` as `fmt`
    (with this module's code and feedgen's version): equal keys, equal
    bytes. `known` remembers each entry's digest across feeds."""
    entries = []
    for entry in feed.entries:
        found = known.get(id(entry))
        if found is None:
            found = known[id(entry)] = (entry, digest("entry", repr(entry)))
        entries.append(found[1])
    return digest(
        "feed",
        code_version("plugins.feeds"),
        package_versions("feedgen", "lxml"),
        fmt,
        self_url,
        repr(sorted(options.items())),
        feed.kind,
        feed.name,
        feed.title,
        feed.description,
        feed.page_url,
        feed.subject,
        *entries,
    )
