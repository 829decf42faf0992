"""Reading aids on article pages: the standfirst only when it adds something,
a table of contents for long articles, share and discuss links, the author
box."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from conftest import ROOT, SiteFixture
from site_builds import pipeline_build, soup

from plugins.reading.share import discuss_url, share_links
from plugins.reading.standfirst import adds_something, overlap
from plugins.reading.toc import table_of_contents

DAY9 = "2017/12/day-9-using-kubernetes-for-multi-provider-multi-region-batch-jobs.html"
DAY12 = "2017/12/day-12-monitoring-postgres-replication-lag.html"
DAY13 = "2017/12/day-13-half-dead-tcp-connections-and-why-heartbeats-matter.html"
ALL_DAYS = {
    9: DAY9,
    10: "2017/12/day-10-from-product-eng-to-systems-eng.html",
    11: "2017/12/day-11-scaling-your-on-duty-team.html",
    12: DAY12,
    13: DAY13,
    14: "2017/12/day-14-pets-vs-cattle-prods-the-silence-of-the-lambdas.html",
    15: "2017/12/day-15-a-devops-christmas-carol.html",
}

# --- the standfirst ---------------------------------------------------------------


def test_a_summary_copied_from_the_opening_adds_nothing():
    opening = (
        "<p>Lambda is Amazon’s take on functions as a service. The premise is "
        "to abstract away the infrastructure around your code.</p><p>More.</p>"
    )
    assert overlap("Lambda is Amazon’s take on functions as a service.", opening) == 1
    assert not adds_something(
        "Lambda is Amazon’s take on functions as a service.", opening
    )


def test_a_summary_that_says_something_else_is_kept():
    opening = "<p>We are living interesting times in the tech world.</p>"
    summary = "A consumer stayed blocked on a half-open TCP connection; why heartbeats matter."
    assert overlap(summary, opening) < 0.3
    assert adds_something(summary, opening)


def test_only_the_opening_counts_not_the_whole_article():
    summary = "Heartbeats find dead connections before your pager does."
    body = "<p>Once upon a time.</p>" + "<p>Filler words here.</p>" * 10
    assert adds_something(summary, body + f"<p>{summary}</p>")


def test_the_real_articles_print_only_the_standfirst_that_adds(built_site):
    shown = {
        day: soup(built_site, path).select_one(".article-header .summary") is not None
        for day, path in ALL_DAYS.items()
    }
    # Six summaries repeat their opening paragraph; Day 13's is a real standfirst.
    assert shown == {
        9: False,
        10: False,
        11: False,
        12: False,
        13: True,
        14: False,
        15: False,
    }
    for path in ALL_DAYS.values():
        page = soup(built_site, path)
        assert page.find("meta", attrs={"name": "description"})["content"]
        assert page.find("meta", property="og:description")["content"]


# --- the table of contents ----------------------------------------------------------

HEADINGS = """
<h2 id="one">One<a class="headerlink" href="#one" title="Link">#</a></h2><p>x</p>
<h3 id="one-a">One &amp; a</h3>
<h2 id="two"><a href="#two">Two</a></h2>
<h4 id="deep">Too deep for the table</h4>
<h2 id="three">Three <code>&lt;x&gt;</code></h2>
<h2>No id</h2>
<h2 id="four">Four</h2>
"""


def test_table_of_contents_lists_sections_and_their_subsections():
    sections = table_of_contents(HEADINGS, min_sections=4)
    assert [(s.id, s.text) for s in sections] == [
        ("one", "One"),
        ("two", "Two"),
        ("three", "Three <x>"),
        ("four", "Four"),
    ]
    assert [(c.id, c.text) for c in sections[0].children] == [("one-a", "One & a")]
    assert table_of_contents(HEADINGS, min_sections=5) == []


def test_an_article_of_h3_sections_gets_them_as_its_sections():
    html = "".join(f'<h3 id="s{n}">S{n}</h3><h4 id="t{n}">T{n}</h4>' for n in range(4))
    sections = table_of_contents(html)
    assert [s.id for s in sections] == ["s0", "s1", "s2", "s3"]
    assert [c.id for c in sections[0].children] == ["t0"]


def test_a_long_article_has_a_table_of_contents_that_points_at_its_headings(
    built_site,
):
    page = soup(built_site, DAY9)
    toc = page.select_one("nav.toc")
    assert toc["aria-label"] == "Contents"
    assert toc.details.has_attr("open")  # open without JavaScript
    links = toc.select("a")
    assert len(toc.select(":scope > details > ol > li")) >= 4
    for link in links:
        target = page.find(id=link["href"][1:])
        assert target is not None and target.name in ("h2", "h3"), link
        assert not link.get_text().endswith("#")
    assert links[0].get_text() == target_text(page, links[0]["href"][1:])
    # Short articles do without.
    assert soup(built_site, DAY13).select_one("nav.toc") is None


def target_text(page, ident):
    heading = page.find(id=ident)
    for anchor in heading.select("a.headerlink"):
        anchor.decompose()
    return heading.get_text(" ", strip=True)


# --- share and discuss ------------------------------------------------------------


def test_share_links_are_plain_urls_with_the_article_encoded():
    templates = (
        ("E-mail", "mailto:?subject={title}&body={url}"),
        ("Bluesky", "https://bsky.app/intent/compose?text={text}"),
    )
    links = share_links(
        "https://s.example/2017/12/day-1-x.html", "Tabs & spaces", templates
    )
    assert links[0].url == (
        "mailto:?subject=Tabs%20%26%20spaces&body=https%3A%2F%2Fs.example%2F2017%2F12%2Fday-1-x.html"
    )
    query = parse_qs(urlsplit(links[1].url).query)
    assert query["text"] == ["Tabs & spaces https://s.example/2017/12/day-1-x.html"]
    assert discuss_url(None, "u", "t", 2017, 1, "x") == ""
    assert discuss_url(
        "https://forum.example/t/{year}-{day}-{slug}", "u", "t", 2017, 1, "x"
    ) == ("https://forum.example/t/2017-1-x")


def test_articles_have_share_links_and_no_third_party_script(built_site):
    page = soup(built_site, DAY12)
    share = page.select_one(".article-footer .share")
    labels = [a.get_text() for a in share.select("a")]
    assert labels == ["E-mail", "Bluesky", "Mastodon"]
    url = "http://127.0.0.1:8000/" + DAY12
    assert share.select_one("[data-copy-link]")["data-copy-link"] == url
    assert share.select_one("[data-share-url]")["data-share-url"] == url
    # The buttons need the site's script: hidden until it shows them.
    assert all(li.has_attr("hidden") for li in share.select("li:has(button)"))
    for script in page.find_all("script", src=True):
        assert script["src"].startswith("../../theme/js/")
    assert page.select_one(".discuss") is None  # SHARE_DISCUSS_URL is None


def test_a_discuss_setting_adds_the_article_s_discussion_link(tmp_path):
    site = SiteFixture(tmp_path)
    site.only("2017/12-monitoring-postgres-replication-lag.md")
    template = "https://forum.example/new?title={title}&url={url}"
    result = pipeline_build(
        ROOT / "pelicanconf.py",
        site.output,
        today="2017-12-31",
        PATH=str(site.content),
        SHARE_DISCUSS_URL=template,
    )
    assert result.ok, result.problems
    link = soup(site.output, DAY12).select_one(".discuss a")
    assert link.get_text() == "Discuss this article"
    query = parse_qs(urlsplit(link["href"]).query)
    assert query == {
        "title": ["Monitoring Postgres Replication Lag"],
        "url": ["http://127.0.0.1:8000/" + DAY12],
    }


# --- the author box -----------------------------------------------------------------


def test_every_article_ends_with_its_authors(built_site):
    page = soup(built_site, DAY12)
    box = page.select_one("section.authors")
    assert box.h2.get_text() == "About the author"
    (author,) = box.select(".author")
    name = author.select_one(".author-name")
    assert name.a.get_text() == "Kathryn Exline"
    assert name.a["href"] == "../../people/kathryn-exline/"
    assert name.select_one(".handle").get_text() == "@kathryn_ex"
    # No picture in the registry: initials, hidden from screen readers.
    avatar = author.select_one(".avatar")
    assert avatar.name == "span" and avatar.get_text() == "KE"
    assert avatar["aria-hidden"] == "true"
    assert "Wrote 1 article for SysAdvent" in author.get_text(" ", strip=True)


def test_a_person_with_bio_picture_and_links_gets_them_all(tmp_path):
    from PIL import Image

    site = SiteFixture(tmp_path)
    site.only("2017/12-monitoring-postgres-replication-lag.md")
    Image.new("RGB", (640, 480), (200, 30, 40)).save(site.content / "kathryn.jpg")
    registry = site.content / "people.toml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace(
            'handle = "kathryn_ex"\n',
            'handle = "kathryn_ex"\nbio = "Runs databases & replicas (lag < 1 s)."\n'
            'picture = "kathryn.jpg"\nlinks = ["https://example.org/kathryn/"]\n',
        ),
        encoding="utf-8",
    )
    result = site.build(today="2017-12-31")
    assert result.returncode == 0, result.stderr
    # The registry names the picture: it is published, not "unreferenced".
    assert "kathryn.jpg" not in result.stderr
    author = soup(site.output, DAY12).select_one("section.authors .author")
    bio = author.select_one(".author-bio")
    assert bio.get_text() == "Runs databases & replicas (lag < 1 s)."
    assert "Runs databases &amp; replicas (lag &lt; 1 s)." in site.page(DAY12)
    img = author.select_one("img.avatar")
    assert img["src"] == "../../people/kathryn-exline/picture.webp"
    assert img["alt"] == ""
    assert author.select_one(".links a")["href"] == "https://example.org/kathryn/"
    written = site.output / "people/kathryn-exline/picture.webp"
    with Image.open(written) as picture:
        assert picture.format == "WEBP" and picture.size == (192, 192)
    # The person page and the people list show the same picture.
    person = soup(site.output, "people/kathryn-exline/index.html")
    assert person.select_one("img.avatar")["src"] == img["src"]
    assert soup(site.output, "people/index.html").select_one("img.avatar")


# --- the reading time ---------------------------------------------------------------


def test_word_count_is_striptags_then_wordcount_on_every_article():
    from jinja2.filters import do_wordcount
    from markupsafe import Markup

    from plugins.core.source import read_source
    from plugins.gfm.reader import render_source
    from plugins.reading.reading_time import word_count
    from plugins.sanitize.html import sanitize_html

    bodies = []
    for path in sorted((ROOT / "content" / "2017").glob("*.md")):
        rendered = render_source(read_source(path), {}, ["summary"])["content"]
        bodies.append(sanitize_html(rendered))
    bodies += [
        "<p>It&rsquo;s <b>bold</b>ly&nbsp;done &amp; dusted</p>",
        "<p>one<br>two</p><pre><code>a&lt;b</code></pre>",
        "",
    ]
    assert len(bodies) >= 10
    for body in bodies:
        assert word_count(body) == do_wordcount(Markup(body).striptags())
