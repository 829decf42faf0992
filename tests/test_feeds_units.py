"""Unit tests of the feeds plugin's pure parts: URLs, ids, JSON Feed, WebSub."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
import urllib.parse
import uuid
from zoneinfo import ZoneInfo

import pytest

from plugins.feeds.html import absolute_srcset, absolutize, parse_srcset, plain_text
from plugins.feeds.ids import (
    SourceIds,
    fallback_guid,
    new_guid,
    parse_guid,
    resolve_ids,
)
from plugins.feeds.model import Credit, Entry, Feed, FeedIndex
from plugins.feeds.render import atom, json_feed, rss
from plugins.feeds.websub import ping, site_feed_urls

PAGE = "https://sysadvent.example.org/2017/12/day-3-x.html"
ZONE = ZoneInfo("America/New_York")


def test_absolutize_resolves_every_kind_of_url_against_the_page():
    html = (
        '<p><a href="/about/">a</a> <a href="#s">b</a> <a href="day-4-y.html">c</a>'
        ' <a href="https://other.example/x">d</a> <a href="mailto:a@b.c">e</a>'
        ' <img src="../../images/t.png" srcset="/i/a.png 1x, i/b.png 2x" alt="">'
        ' <video poster="p.jpg"><source src="/v.mp4"></video>'
        ' <picture><source srcset="/w.webp"></picture></p>'
    )
    out = absolutize(html, PAGE)
    assert 'href="https://sysadvent.example.org/about/"' in out
    assert f'href="{PAGE}#s"' in out
    assert 'href="https://sysadvent.example.org/2017/12/day-4-y.html"' in out
    assert 'href="https://other.example/x"' in out
    assert 'href="mailto:a@b.c"' in out
    assert 'src="https://sysadvent.example.org/images/t.png"' in out
    assert (
        'srcset="https://sysadvent.example.org/i/a.png 1x, '
        'https://sysadvent.example.org/2017/12/i/b.png 2x"'
    ) in out
    assert 'poster="https://sysadvent.example.org/2017/12/p.jpg"' in out
    assert 'src="https://sysadvent.example.org/v.mp4"' in out
    assert 'srcset="https://sysadvent.example.org/w.webp"' in out


def test_srcset_parsing_follows_the_html_standard():
    # A URL may contain a comma; a candidate without descriptor ends at ",".
    assert parse_srcset("a.png, b,c.png 2x,d.png 100w") == [
        ("a.png", ""),
        ("b,c.png", "2x"),
        ("d.png", "100w"),
    ]
    assert absolute_srcset("x.png 1x,y.png 2x", "http://h/p/q.html") == (
        "http://h/p/x.png 1x, http://h/p/y.png 2x"
    )


def test_plain_text_strips_markup():
    assert plain_text("<p>One <em>two</em></p>\n<p>three</p>") == "One two three"


def test_guid_values_become_permanent_ids():
    value = str(uuid.uuid4())
    assert parse_guid(value) == f"urn:uuid:{value}"
    assert parse_guid(value.upper()) == f"urn:uuid:{value}"
    assert parse_guid(f"urn:uuid:{value}") == f"urn:uuid:{value}"
    old = "tag:blogger.com,1999:blog-1.post-2"
    assert parse_guid(old) == old
    with pytest.raises(ValueError):
        parse_guid("my article")
    assert parse_guid(new_guid()).startswith("urn:uuid:")
    assert new_guid() != new_guid()


def test_fallback_id_depends_only_on_the_source_path():
    assert fallback_guid("2017/15-a.md") == fallback_guid("2017/15-a.md")
    assert fallback_guid("2017/15-a.md") != fallback_guid("2017/16-a.md")


def test_resolve_ids_warns_on_missing_and_fails_on_invalid_or_shared_guids():
    shared = str(uuid.uuid4())
    sources = [
        SourceIds("content/2017/01-a.md", "2017/01-a.md", None, 8),
        SourceIds("content/2017/02-b.md", "2017/02-b.md", shared, 9),
        SourceIds("content/2017/03-c.md", "2017/03-c.md", shared, 9),
        SourceIds("content/2017/04-d.md", "2017/04-d.md", "not a guid", 9),
    ]
    ids, problems = resolve_ids(sources)
    assert ids["2017/01-a.md"] == f"urn:uuid:{fallback_guid('2017/01-a.md')}"
    by_path = {}
    for problem in problems:
        by_path.setdefault(problem.path, []).append(problem)
    (missing,) = by_path["content/2017/01-a.md"]
    assert missing.severity == "warning" and missing.line == 8
    assert f"Guid: {fallback_guid('2017/01-a.md')}" in missing.message
    assert "content/2017/03-c.md" in by_path["content/2017/02-b.md"][0].message
    assert "content/2017/02-b.md" in by_path["content/2017/03-c.md"][0].message
    assert by_path["content/2017/04-d.md"][0].severity == "error"
    assert (
        "neither a UUID nor an absolute URI"
        in by_path["content/2017/04-d.md"][0].message
    )
    _, strict = resolve_ids(sources[:1], require=True)
    assert strict[0].severity == "error"


def _feed(entries, hubs=()):
    feed = Feed("site", "all", "T", "D", "https://s.example/", "T", entries=entries)
    options = {"authority": "example.org,2008", "language": "en", "hubs": list(hubs)}
    return feed, options


def _entry(n):
    date = dt.datetime(2017, 12, n, tzinfo=ZONE)
    person = Credit("A B", "https://s.example/people/a/")
    return Entry(
        f"urn:uuid:{uuid.UUID(int=n)}",
        f"https://s.example/{n}.html",
        f"Day {n}",
        "<p>x</p>",
        "<p>s <b>y</b></p>",
        date,
        date,
        [person],
        [],
        ["t"],
        2017,
        n,
    )


def test_json_feed_has_the_fields_the_specification_requires():
    feed, options = _feed([_entry(2), _entry(1)], hubs=["https://hub.example/"])
    doc = json.loads(json_feed(feed, "https://s.example/feeds/all.json", options))
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["title"] == "T" and doc["feed_url"].endswith("/feeds/all.json")
    assert doc["hubs"] == [{"type": "WebSub", "url": "https://hub.example/"}]
    for item in doc["items"]:
        assert item["id"] and item["content_html"]
        assert item["summary"] == "s y"  # plain text, as the specification says
        dt.datetime.fromisoformat(item["date_published"])
    assert [i["title"] for i in doc["items"]] == ["Day 2", "Day 1"]


def test_empty_feed_is_still_deterministic():
    feed, options = _feed([])
    first = atom(feed, "https://s.example/feeds/all.atom.xml", options)
    assert first == atom(feed, "https://s.example/feeds/all.atom.xml", options)
    assert b"<updated>1970-01-01T00:00:00+00:00</updated>" in first
    assert rss(feed, "u", options) == rss(feed, "u", options)


def test_feed_index_head_lists_own_feeds_before_the_sites():
    site = Feed("site", "all", "S", "", "u", "S")
    season = Feed("season", "2017", "S 2017", "", "u", "2017")
    index = FeedIndex("feeds", ("atom", "json"), site, [season], [], [])
    head = str(index.head("..", season=2017))
    assert head.index("feeds/2017.atom.xml") < head.index("feeds/all.atom.xml")
    assert 'href="../feeds/2017.json"' in head
    assert "rss" not in head
    assert index.person("nobody") == []


class _Hub(http.server.BaseHTTPRequestHandler):
    """A WebSub hub that records publish pings; /broken answers 500."""

    pings: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.pings.append((self.path, urllib.parse.parse_qs(body.decode())))
        self.send_response(500 if self.path == "/broken" else 204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def hub(monkeypatch):
    # The WebSub client refuses private addresses; the test hub is on loopback.
    monkeypatch.setenv("SYSADVENT_WEBSUB_ALLOW_NETWORKS", "127.0.0.0/8")
    _Hub.pings = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Hub.pings
    server.shutdown()
    server.server_close()


def test_ping_posts_publish_for_each_feed_and_reports_failures(hub):
    url, pings = hub
    results = ping(
        f"{url}/hub", ["https://s.example/a.xml", "https://s.example/b.json"]
    )
    assert [r.ok for r in results] == [True, True]
    assert [p[1] for p in pings] == [
        {"hub.mode": ["publish"], "hub.url": ["https://s.example/a.xml"]},
        {"hub.mode": ["publish"], "hub.url": ["https://s.example/b.json"]},
    ]
    (broken,) = ping(f"{url}/broken", ["https://s.example/a.xml"])
    assert not broken.ok and broken.status == 500
    # Nothing listens on port 9 of 127.0.0.3: no answer, no exception.
    (unreachable,) = ping("http://127.0.0.3:9/", ["https://s.example/a.xml"], timeout=2)
    assert not unreachable.ok and unreachable.status == 0


def test_site_feed_urls_lists_every_feed_file(tmp_path):
    for name in ("all.atom.xml", "all.json", "tags/x.rss.xml", "index.html"):
        (tmp_path / "feeds" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "feeds" / name).write_text("x")
    assert site_feed_urls(tmp_path, "https://s.example/") == [
        "https://s.example/feeds/all.atom.xml",
        "https://s.example/feeds/all.json",
        "https://s.example/feeds/tags/x.rss.xml",
    ]


def test_site_feed_keeps_the_newest_n_and_the_others_keep_all():
    from types import SimpleNamespace

    from plugins.feeds import DEFAULTS
    from plugins.feeds.collect import build_index

    person = SimpleNamespace(key="a", display_name="A")
    tag = SimpleNamespace(name="t", slug="t", url="tags/t/")
    articles = [
        SimpleNamespace(
            date=dt.datetime(2017, 12, day, tzinfo=ZONE),
            feed_id=f"urn:uuid:{uuid.UUID(int=day)}",
            season=2017,
            day=day,
            author_people=[person],
            tags=[tag],
        )
        for day in (2, 3, 1)
    ]
    settings = {
        **DEFAULTS,
        "FEEDS_MAX_ITEMS": 2,
        "SITENAME": "S",
        "SEASON_URL": "{year}/",
        "PERSON_URL": "people/{key}/",
    }
    index = build_index(articles, "https://s.example", settings)
    assert [a.day for a in index.site.articles] == [3, 2]
    for feed in (index.seasons["2017"], index.people["a"], index.tags["t"]):
        assert [a.day for a in feed.articles] == [3, 2, 1]
    assert index.people["a"].page_url == "https://s.example/people/a/"
