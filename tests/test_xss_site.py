"""No author can run script on the site: every vector class of the corpus
(tests/xss_corpus.py), built with the production settings and the content
rules turned off (so the sanitizer and the templates alone must hold), leaves
nothing runnable in any output file: pages, feeds, search index, sitemap.

The control build turns the sanitizer and autoescaping off as well: there,
every class must show up as runnable, so the scan is known to see it.
"""

from __future__ import annotations

import textwrap

import pytest
from conftest import SiteFixture, article_text
from xss_corpus import PAGES, VECTORS, build_with_vectors, vector_file, write_vectors
from xss_scan import scan_html, scan_site

from plugins.contentrules.rules import check_text
from plugins.sharing.card import encode_card

CLASSES = [*VECTORS, "people-registry-pages", "page"]


def _site(tmp_path_factory, name):
    site = SiteFixture(tmp_path_factory.mktemp(name))
    write_vectors(site)
    return site


@pytest.fixture(scope="module")
def protected(tmp_path_factory):
    """Production settings without the content rules: the sanitizer holds."""
    site = _site(tmp_path_factory, "xss-protected")
    return build_with_vectors(site)


@pytest.fixture(scope="module")
def control(tmp_path_factory):
    """No content rules, no sanitizer, no autoescaping: the vectors run."""
    site = _site(tmp_path_factory, "xss-control")
    return build_with_vectors(site, sanitizer=False, autoescape=False)


def _pages_of(name, folder):
    """The output files where a class shows up."""
    if name in PAGES:
        slugs = {
            p.name.split("-", 2)[2][: -len(".html")]
            for p in (folder / "2017" / "12").glob("day-*.html")
        }
        found = []
        for pattern in PAGES[name]:
            if "{slug}" in pattern:
                day = pattern.split("day-")[1].split("-")[0]
                found += [
                    p.relative_to(folder).as_posix()
                    for p in (folder / "2017" / "12").glob(f"day-{day}-*.html")
                ]
            else:
                found.append(pattern)
        assert slugs
        return found
    day = VECTORS[name]["day"]
    return [
        p.relative_to(folder).as_posix()
        for p in (folder / "2017" / "12").glob(f"day-{day}-*.html")
    ]


def test_the_whole_protected_output_is_harmless(protected):
    assert scan_site(protected) == {}


@pytest.mark.parametrize("name", [*VECTORS, "page"])
def test_each_vector_class_is_published_and_harmless(name, protected, control):
    pages = _pages_of(name, protected)
    assert pages, f"{name}: its page was not built"
    for page in pages:
        assert (protected / page).is_file(), page
        assert scan_html((protected / page).read_text(encoding="utf-8"), page) == []


@pytest.mark.parametrize("name", [*VECTORS, "page"])
def test_each_vector_class_runs_without_the_protections(name, control):
    """The control: the scan must see every class when nothing protects."""
    found = []
    for page in _pages_of(name, control):
        found += scan_html((control / page).read_text(encoding="utf-8"), page)
    if name == "slug-in-sitemap":
        found += scan_site(control).get("sitemap.xml", [])
    assert found, f"{name}: no runnable markup found in the control build"


def test_feeds_of_the_control_build_carry_the_vectors(control):
    found = scan_site(control)
    assert any(path.startswith("feeds/") for path in found)


def test_people_values_are_escaped_everywhere_a_person_appears(protected):
    name = "Eve&#34; onmouseover=&#34;alert(5)"
    person = (protected / "people" / "eve-example" / "index.html").read_text()
    assert f"<h1>{name}</h1>" in person
    assert 'href="https://example.com/eve?a=1&amp;b=2"' in person
    article = next((protected / "2017" / "12").glob("day-2-*.html")).read_text()
    assert f">{name}</a>" in article  # byline
    assert f', by {name}">' in article  # the social image's alt text
    assert '"name": "Eve\\" onmouseover=\\"alert(5)"' in article  # JSON-LD
    feeds = (protected / "feeds" / "index.html").read_text()
    # The Feeds page names whose feed each format link is (visually hidden).
    assert f'<span class="visually-hidden"> feed of {name}</span>' in feeds
    atom = (protected / "feeds" / "people" / "eve-example.atom.xml").read_text()
    assert '<name>Eve" onmouseover="alert(5)</name>' in atom


def test_a_title_is_shown_as_the_text_it_is(protected):
    article = next((protected / "2017" / "12").glob("day-1-*.html")).read_text()
    title = "Hello &lt;details open ontoggle=alert(1)&gt; &#34;world&#34;"
    assert f'<h1 data-pagefind-meta="title">{title}</h1>' in article
    # A title is text everywhere, never HTML to strip: "< and > in bash"
    # must not become " in bash" in the tab, the link previews or the share.
    assert f"<title>Day 1: {title} · SysAdvent 2017</title>" in article
    for attribute in (
        f'property="og:title" content="{title}"',
        f'name="twitter:title" content="{title}"',
        f'data-share-title="{title}"',
        f'property="og:image:alt" content="Day 1 of SysAdvent 2017: {title}, by ',
    ):
        assert attribute in article
    subject = "subject=Hello%20%3Cdetails%20open%20ontoggle%3Dalert%281%29%3E%20"
    assert subject in article  # the e-mail share link
    page = (protected / "evil" / "index.html").read_text()
    assert "<title>Evil &lt;img src=x onerror=alert(1)&gt; page · " in page
    # The social image draws the same text.
    card = encode_card(
        sitename="SysAdvent",
        season=2017,
        day=1,
        title=VECTORS["header-fields"]["title"],
        byline="By Eric Sigler",
    )
    assert (protected / "social" / "2017" / "day-1.png").read_bytes() == card


def test_unsafe_slugs_are_made_plain(protected):
    names = sorted(p.name for p in (protected / "2017" / "12").glob("day-1[89]-*"))
    assert names == ["day-18-xonmouseoveralert1.html", "day-19-ab.html"]
    linking = (protected / "2017" / "12" / "day-18-xonmouseoveralert1.html").read_text()
    assert 'href="https://sysadvent.example.org/2017/12/day-19-ab.html"' in linking


def test_the_rules_report_every_class_to_its_author():
    """With the content rules on, each class is an error at path:line."""
    for name, fields in VECTORS.items():
        fields = dict(fields)
        day = fields.pop("day")
        if name == "people-registry":
            continue  # the registry is checked by the advent plugin
        text = article_text(
            date=f"2017-12-{day:02d}T00:00:00-05:00",
            day=str(day),
            body=textwrap.dedent(fields.pop("body")),
            **fields,
        )
        found = check_text(f"content/{vector_file(name)}", text)
        assert any(p.is_error and p.line for p in found), name


def test_text_outputs_of_templates_are_not_html_escaped(protected):
    """robots.txt is a template too: autoescaping must leave its text alone."""
    robots = (protected / "robots.txt").read_text()
    assert "Sitemap: https://sysadvent.example.org/sitemap.xml" in robots
    headers = (protected / "_headers").read_text()
    assert "script-src 'self' 'wasm-unsafe-eval'" in headers
