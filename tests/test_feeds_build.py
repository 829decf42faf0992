"""Feeds of real builds: the real content and a fixture site with links,
images, several authors, a future article and a draft."""

from __future__ import annotations

import email.utils
import json
import re
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import CONTENT, SiteFixture, article_text, image_bytes

from plugins.core.source import parse_header, split_list

DEV = "http://127.0.0.1:8000"
FORMATS = {".atom.xml": "atom10", ".rss.xml": "rss20", ".json": "json"}
RFC822_RE = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep"
    r"|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$"
)
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


# --- helpers shared with the other feed tests --------------------------------


def feed_files(output: Path) -> dict[str, Path]:
    """Every feed file of a built site, by path under feeds/."""
    root = output / "feeds"
    return {
        p.relative_to(root).as_posix(): p
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name.endswith(tuple(FORMATS))
    }


def parse_xml(path: Path):
    """feedparser's view of an Atom or RSS file; fails on any parse problem."""
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    return parsed


def load_json_feed(path: Path) -> dict:
    """A JSON Feed, checked against the fields JSON Feed 1.1 requires."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["version"] == JSON_FEED_VERSION
    assert isinstance(doc["title"], str) and doc["title"]
    assert isinstance(doc["items"], list)
    for item in doc["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert item.get("content_html") or item.get("content_text")
    return doc


def raw_contents(path: Path) -> list[str]:
    """The entry HTML exactly as written (feedparser resolves relative URLs
    and drops srcset, which would hide the very bugs these tests look for)."""
    if path.name.endswith(".json"):
        return [i["content_html"] for i in load_json_feed(path)["items"]]
    soup = BeautifulSoup(path.read_bytes(), "xml")
    if path.name.endswith(".atom.xml"):
        entries, names = soup.find_all("entry"), ("content", "summary")
    else:
        entries, names = soup.find_all("item"), ("encoded", "description")
    return [
        entry.find(name).string
        for name in names
        for entry in entries
        if entry.find(name) is not None
    ]


def entry_ids(output: Path, name: str = "all.atom.xml") -> dict[str, str]:
    """{entry id: article URL} of one Atom feed."""
    return {e.id: e.link for e in parse_xml(output / "feeds" / name).entries}


def urls_in(html: str) -> list[str]:
    """Every URL an HTML fragment refers to."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for element in soup.find_all(True):
        for name in ("href", "src", "poster"):
            if element.get(name):
                found.append(element[name])
        for name in ("srcset",):
            if element.get(name):
                found += [c.strip().split()[0] for c in element[name].split(", ")]
    return found


def assert_absolute(urls, where):
    for url in urls:
        assert re.match(r"^(https?://[^/]+/|mailto:)", url), f"{where}: relative {url}"


# --- the real content ---------------------------------------------------------


def real_sources():
    headers = [parse_header(p.read_text()) for p in sorted(CONTENT.glob("20*/*.md"))]
    return [h for h in headers if h.value("status", "published") == "published"]


def test_every_feed_of_the_real_content_exists_and_nothing_else(built_site):
    sources = real_sources()
    names = {"all", "2017"}
    names |= {f"people/{k}" for h in sources for k in split_list(h.value("authors"))}
    names |= {f"tags/{t}" for h in sources for t in split_list(h.value("tags"))}
    expected = {f"{name}{suffix}" for name in names for suffix in FORMATS}
    assert set(feed_files(built_site)) == expected
    assert len(expected) == 3 * len(names)


def test_every_feed_parses_cleanly_with_every_field(built_site):
    for name, path in feed_files(built_site).items():
        url = f"{DEV}/feeds/{name}"
        if name.endswith(".json"):
            doc = load_json_feed(path)
            assert doc["feed_url"] == url
            assert doc["home_page_url"].startswith(f"{DEV}/")
            for item in doc["items"]:
                assert item["url"].startswith(f"{DEV}/2017/12/day-")
                assert item["authors"] and all(a["name"] for a in item["authors"])
                assert item["date_published"].endswith("-05:00")
            for html in raw_contents(path):
                assert_absolute(urls_in(html), name)
            continue
        parsed = parse_xml(path)
        assert parsed.version == FORMATS[name[name.index(".") :]]
        links = {link.rel: link.href for link in parsed.feed.links}
        assert links["self"] == url
        assert links["alternate"].startswith(f"{DEV}/")
        assert parsed.entries, name
        for entry in parsed.entries:
            assert entry.id.startswith("urn:uuid:")
            assert entry.title.startswith("Day ")
            assert entry.link.startswith(f"{DEV}/2017/12/day-")
            assert entry.authors and all(a["name"] for a in entry.authors)
            assert entry.published_parsed and entry.tags
            assert entry.summary
            if name.startswith(("all.", "2017.")):  # full text
                assert entry.content[0].value.count("<p>") > 3
            else:  # people and topics: the summary and the link
                assert "content" not in entry
        dates = [e.published_parsed for e in parsed.entries]
        for html in raw_contents(path):
            assert_absolute(urls_in(html), name)
        assert dates == sorted(dates, reverse=True), f"{name}: not newest first"


def test_rss_channel_links_to_the_site_and_dates_are_rfc822(built_site):
    text = (built_site / "feeds/all.rss.xml").read_text(encoding="utf-8")
    soup = BeautifulSoup(text, "xml")
    assert soup.channel.find("link", recursive=False).string == f"{DEV}/"
    self_link = soup.channel.find("atom:link", rel="self")
    assert self_link["href"] == f"{DEV}/feeds/all.rss.xml"
    dates = [d.string for d in soup.find_all(["pubDate", "lastBuildDate"])]
    assert len(dates) == 1 + 7
    for value in dates:
        assert RFC822_RE.match(value), value
        assert email.utils.parsedate_to_datetime(value).utcoffset() is not None
    for item in soup.find_all("item"):
        assert item.guid["isPermaLink"] == "false"
        assert item.guid.string.startswith("urn:uuid:")
        assert item.find("dc:creator").string
        assert item.find("content:encoded").string  # the full text, not a summary
    # The feed's updated time is the newest entry's, never the build time.
    assert soup.lastBuildDate.string == "Fri, 15 Dec 2017 00:00:00 -0500"


def test_atom_credits_editors_as_contributors(built_site):
    parsed = parse_xml(built_site / "feeds/people/emily-freeman.atom.xml")
    (entry,) = parsed.entries
    assert [a["name"] for a in entry.authors] == ["Emily Freeman"]
    assert entry.authors[0]["href"] == f"{DEV}/people/emily-freeman/"
    assert [c["name"] for c in entry.contributors] == ["Corey Quinn"]
    assert entry.published == "2017-12-15T00:00:00-05:00"
    assert parsed.feed.updated == "2017-12-15T00:00:00-05:00"


def test_every_page_advertises_the_site_feeds_and_its_own(built_site):
    def alternates(relpath):
        soup = BeautifulSoup((built_site / relpath).read_text(), "html.parser")
        found = []
        for link in soup.head.find_all("link", rel="alternate"):
            target = urljoin(f"{DEV}/{relpath}", link["href"])
            assert (built_site / target.removeprefix(f"{DEV}/")).is_file(), target
            assert link["type"] and link["title"]
            found.append(target.removeprefix(f"{DEV}/feeds/"))
        return found

    site = ["all.atom.xml", "all.rss.xml", "all.json"]
    for page in (
        "index.html",
        "2017/12/day-15-a-devops-christmas-carol.html",
        "archive/index.html",
        "about/index.html",
        "feeds/index.html",
    ):
        assert alternates(page) == site, page
    assert alternates("2017/index.html")[:3] == [
        "2017.atom.xml",
        "2017.rss.xml",
        "2017.json",
    ]
    assert alternates("people/emily-freeman/index.html")[0] == (
        "people/emily-freeman.atom.xml"
    )
    assert alternates("tags/devops/index.html")[0] == "tags/devops.atom.xml"
    # An editor who wrote nothing has no feed of their own.
    assert alternates("people/corey-quinn/index.html")[0] == (
        "people/corey-quinn.atom.xml"
    )
    assert alternates("people/michelle-carroll/index.html") == site


def test_feeds_page_lists_every_feed(built_site):
    soup = BeautifulSoup((built_site / "feeds/index.html").read_text(), "html.parser")
    listed = {
        urljoin(f"{DEV}/feeds/index.html", a["href"]).removeprefix(f"{DEV}/feeds/")
        for a in soup.main.find_all("a")
        if a.get("type")
    }
    # The site feeds are shown as absolute addresses, ready to copy.
    shown = {
        field["value"].removeprefix(f"{DEV}/feeds/")
        for field in soup.main.select("input.feed-url")
    }
    assert shown == {"all.atom.xml", "all.rss.xml", "all.json"}
    assert listed | shown == set(feed_files(built_site))


# --- a fixture site: links, images, two authors, a future article, a draft ----

RICH_GUID = "3b0cf1a0-7f5c-4d61-9a43-2a1d5f1e9c16"
FUTURE_GUID = "8d3c0c7e-21b4-4f0b-8a51-9f1f6c1e2d77"
DRAFT_GUID = "c7f7a6b2-9d0e-4b3e-a0c8-5e8d9c4b1a33"
RICH_URL = f"{DEV}/2017/12/day-16-links-everywhere.html"
RICH_BODY = """\
See [yesterday]({filename}15-a-devops-christmas-carol.md), [about](/about/),
[a section](#a-section) and [a neighbour](day-14-x.html).

![A tree]({attach}images/tree.png)

<img src="{attach}images/tree.png" srcset="images/tree.png 1x, images/tree-2x.png 2x" alt="A tree">

## A section

Words.
"""


def build_rich_site(root: Path) -> SiteFixture:
    site = SiteFixture(root)
    (site.content / "2017/images").mkdir(parents=True)
    (site.content / "2017/images/tree.png").write_bytes(image_bytes())
    (site.content / "2017/images/tree-2x.png").write_bytes(image_bytes())
    site.write(
        "2017/16-links-everywhere.md",
        article_text(
            title="Links everywhere",
            date="2017-12-16T00:00:00-05:00",
            day="16",
            authors="eric-sigler, emily-freeman",
            editors="corey-quinn, michelle-carroll",
            tags="testing, feeds",
            summary="A summary with [a link](/about/).",
            body=RICH_BODY,
            guid=RICH_GUID,
        ),
    )
    site.write(
        "2017/20-not-yet.md",
        article_text(
            title="Not yet",
            date="2017-12-20T00:00:00-05:00",
            day="20",
            authors="michelle-carroll",
            tags="future-only",
            guid=FUTURE_GUID,
        ),
    )
    site.write(
        "2017/21-a-draft.md",
        article_text(
            title="A draft",
            date="2017-12-21T00:00:00-05:00",
            day="21",
            authors="bmarsteau",
            tags="draft-only",
            status="draft",
            guid=DRAFT_GUID,
        ),
    )
    result = site.build(today="2017-12-17")
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    return build_rich_site(tmp_path_factory.mktemp("rich"))


def test_content_urls_are_absolute_in_every_format(rich):
    expected = {
        f"{DEV}/2017/12/day-15-a-devops-christmas-carol.html",
        f"{DEV}/about/",
        f"{RICH_URL}#a-section",
        f"{DEV}/2017/12/day-14-x.html",
        f"{DEV}/2017/12/images/tree.png",
        f"{DEV}/2017/12/images/tree-2x.png",
    }
    for suffix in FORMATS:
        path = rich.output / f"feeds/2017{suffix}"
        found = raw_contents(path)  # contents, then (Atom, RSS) summaries
        content = found[0]  # the newest entry: the rich article
        summary = [] if suffix == ".json" else [found[len(found) // 2]]
        urls = urls_in(content)
        assert_absolute(urls, path.name)
        assert expected <= set(urls), (path.name, set(urls))
        if summary:  # Atom and RSS carry the summary as HTML
            assert urls_in(summary[0]) == [f"{DEV}/about/"]


def test_every_author_is_named_in_every_format(rich):
    names = ["Eric Sigler", "Emily Freeman"]
    atom = parse_xml(rich.output / "feeds/tags/feeds.atom.xml").entries[0]
    assert [a["name"] for a in atom.authors] == names
    assert [c["name"] for c in atom.contributors] == ["Corey Quinn", "Michelle Carroll"]
    rss = (rich.output / "feeds/tags/feeds.rss.xml").read_text(encoding="utf-8")
    assert re.findall(r"<dc:creator>(.*?)</dc:creator>", rss) == names
    doc = load_json_feed(rich.output / "feeds/tags/feeds.json")
    assert [a["name"] for a in doc["items"][0]["authors"]] == names
    # Each author's own feed carries the article.
    for key in ("eric-sigler", "emily-freeman"):
        ids = entry_ids(rich.output, f"people/{key}.atom.xml")
        assert f"urn:uuid:{RICH_GUID}" in ids


def test_future_and_draft_articles_are_in_no_feed(rich):
    files = feed_files(rich.output)
    for name, path in files.items():
        data = path.read_text(encoding="utf-8")
        for leak in ("Not yet", FUTURE_GUID, "A draft", DRAFT_GUID):
            assert leak not in data, f"{leak} leaks into {name}"
    assert not [n for n in files if "future-only" in n or "draft-only" in n]
    assert not [n for n in files if "michelle-carroll" in n or "bmarsteau" in n]
    assert f"urn:uuid:{RICH_GUID}" in entry_ids(rich.output)
    assert list(entry_ids(rich.output))[0] == f"urn:uuid:{RICH_GUID}"  # newest


def test_two_builds_of_unchanged_content_give_identical_feeds(rich, tmp_path):
    again = SiteFixture(tmp_path)
    again.content = rich.content  # the same content, built a second time
    result = again.build(today="2017-12-17")
    assert result.returncode == 0, result.stderr
    first, second = feed_files(rich.output), feed_files(again.output)
    assert set(first) == set(second)
    for name in first:
        assert first[name].read_bytes() == second[name].read_bytes(), name
    assert (rich.output / "feeds/index.html").read_bytes() == (
        again.output / "feeds/index.html"
    ).read_bytes()


def test_site_feed_keeps_only_the_newest_articles(rich):
    doc = load_json_feed(rich.output / "feeds/all.json")
    assert len(doc["items"]) == 8  # all of them: fewer than FEEDS_MAX_ITEMS (25)
