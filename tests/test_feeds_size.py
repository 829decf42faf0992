"""Feeds stay small and clean: no page chrome in entries, entry limits per
kind of feed, full text for the newest articles of the site and summaries
for the rest."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup
from test_feeds_build import feed_files, load_json_feed, parse_xml, raw_contents

from plugins.feeds import DEFAULTS
from plugins.feeds.collect import build_index
from plugins.feeds.html import strip_chrome

ZONE = ZoneInfo("America/New_York")
BASE = "https://sysadvent.example.org"


# --- page chrome ---------------------------------------------------------------


def test_symbol_permalinks_are_dropped_from_headings():
    html = (
        '<h2 id="wal">Streaming the WAL<a class="headerlink" href="#wal" '
        'title="Link to this section">#</a></h2>\n<p>Text.</p>'
    )
    assert strip_chrome(html) == '<h2 id="wal">Streaming the WAL</h2>\n<p>Text.</p>'
    # markdown-it-py's anchors plugin puts its symbol first.
    html = (
        '<h3 id="x"><a class="header-anchor" href="#x" aria-hidden="true">¶</a> X</h3>'
    )
    assert strip_chrome(html) == '<h3 id="x"> X</h3>'


def test_a_link_around_the_heading_words_is_unwrapped_other_links_stay():
    html = '<h2 id="setup"><a href="#setup">Set <em>up</em></a></h2>'
    assert strip_chrome(html) == '<h2 id="setup">Set <em>up</em></h2>'
    kept = '<h2 id="a">See <a href="https://example.org/#a">#</a></h2>'
    assert strip_chrome(kept) == kept
    no_id = '<h2>Title<a href="#title">#</a></h2>'
    assert strip_chrome(no_id) == no_id


def test_highlighting_spans_go_and_the_code_text_stays():
    html = (
        '<div class="highlight"><pre><span></span><code><span class="gp">$ </span>'
        'ls<span class="w"> </span>-l &lt;dir&gt;\n</code></pre></div>'
        '<p><span class="note">kept</span></p>'
    )
    out = strip_chrome(html)
    assert out == (
        '<div class="highlight"><pre><code>$ ls -l &lt;dir&gt;\n</code></pre></div>'
        '<p><span class="note">kept</span></p>'
    )
    assert BeautifulSoup(out, "html.parser").pre.get_text() == "$ ls -l <dir>\n"


def test_real_feeds_carry_no_permalink_or_highlighting_markup(built_site):
    checked = 0
    for name, path in feed_files(built_site).items():
        for html in raw_contents(path):
            soup = BeautifulSoup(html, "html.parser")
            for heading in soup.find_all(["h2", "h3", "h4"]):
                assert not heading.get_text().endswith("#"), (name, heading)
                assert heading.find("a") is None, (name, heading)
            assert not soup.select("pre span"), name
            checked += 1
    assert checked > 30
    atom = parse_xml(built_site / "feeds/all.atom.xml")
    day12 = next(e for e in atom.entries if "day-12-" in e.link)
    assert ">The Basics: Replication and WAL</h2>" in day12.content[0].value


# --- limits and full text --------------------------------------------------------


def fake_articles(count: int, people=("ann", "bob"), tags=("dns", "tls")):
    """`count` articles, one a day of 25 per season from 2008, newest last."""
    persons = {
        key: SimpleNamespace(key=key, display_name=key.title()) for key in people
    }
    tag_objects = {t: SimpleNamespace(slug=t, name=t, url=f"tags/{t}/") for t in tags}
    found = []
    for n in range(count):
        season, day = 2008 + n // 25, 1 + n % 25
        found.append(
            SimpleNamespace(
                title=f"Article {n}",
                url=f"{season}/12/day-{day}-a-{n}.html",
                date=dt.datetime(season, 12, day, tzinfo=ZONE),
                feed_id=f"urn:uuid:{n:08d}",
                season=season,
                day=day,
                author_people=[persons[people[n % len(people)]]],
                editor_people=[],
                tags=list(tag_objects.values()),
            )
        )
    return found


def settings(**changes):
    found = {
        **DEFAULTS,
        "SITENAME": "SysAdvent",
        "SITESUBTITLE": "Sub",
        "SEASON_URL": "{year}/",
        "PERSON_URL": "people/{key}/",
        **changes,
    }
    return found


def test_each_kind_of_feed_keeps_its_newest_articles_up_to_its_limit():
    articles = fake_articles(60)
    index = build_index(articles, BASE, settings())
    newest = sorted(articles, key=lambda a: a.date, reverse=True)
    assert index.site.articles == newest[:25]
    assert [len(f.articles) for f in index.seasons.values()] == [10, 25, 25]
    assert [len(f.articles) for f in index.people.values()] == [20, 20]
    assert index.people["ann"].articles[0] is newest[1]  # ann wrote the odd ones
    assert [f.articles for f in index.tags.values()] == [newest[:20], newest[:20]]
    unlimited = build_index(
        articles,
        BASE,
        settings(
            FEEDS_MAX_ITEMS=None, FEEDS_PERSON_MAX_ITEMS=None, FEEDS_TAG_MAX_ITEMS=5
        ),
    )
    assert len(unlimited.site.articles) == 60
    assert [len(f.articles) for f in unlimited.people.values()] == [30, 30]
    assert [len(f.articles) for f in unlimited.tags.values()] == [5, 5]


def test_site_and_season_feeds_carry_the_newest_articles_in_full():
    articles = fake_articles(60)
    index = build_index(articles, BASE, settings())
    newest = sorted(articles, key=lambda a: a.date, reverse=True)
    index.fill_entries(lambda article, full: (article, full))
    assert index.site.entries == [(a, True) for a in newest[:25]]
    season_2009 = index.seasons["2009"].entries
    # Days 11 to 25 of 2009 are among the newest 25 of the site; 1 to 10 not.
    assert [full for _, full in season_2009] == [True] * 15 + [False] * 10
    assert all(not full for feed in index.tags.values() for _, full in feed.entries)
    assert all(not full for feed in index.people.values() for _, full in feed.entries)
    everything = build_index(
        articles,
        BASE,
        settings(
            FEEDS_FULL_TEXT_ITEMS=None,
            FEEDS_FULL_TEXT_KINDS=("site", "season", "person", "tag"),
        ),
    )
    everything.fill_entries(lambda article, full: full)
    assert all(all(f.entries) for f in everything.all())


def test_an_entry_without_full_text_is_its_summary_and_link_in_every_format(
    built_site,
):
    feeds = built_site / "feeds"
    atom = parse_xml(feeds / "tags/kubernetes.atom.xml").entries[0]
    assert "content" not in atom and atom.summary.startswith("<p>At some point")
    assert atom.link.startswith("http://127.0.0.1:8000/2017/12/day-9-")
    rss = BeautifulSoup((feeds / "tags/kubernetes.rss.xml").read_bytes(), "xml")
    assert rss.item.description.string and rss.item.find("encoded") is None
    (item,) = load_json_feed(feeds / "tags/kubernetes.json")["items"]
    assert "summary" not in item and item["content_html"]
    full = load_json_feed(feeds / "all.json")["items"][0]
    assert len(full["content_html"]) > 5 * len(full["summary"])
