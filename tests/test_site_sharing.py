"""What a shared link shows, on the production build: canonical URL, Open
Graph and Twitter tags, JSON-LD, a social image per article, sitemap, robots.txt."""

import json

import pytest
from PIL import Image
from site_builds import build_as_of, soup

SITEURL = "https://sysadvent.example.org"
ARTICLE = "2017/12/day-15-a-devops-christmas-carol.html"


@pytest.fixture(scope="module")
def published(tmp_path_factory, monkeypatch_module):
    monkeypatch_module.setenv("SYSADVENT_SITEURL", SITEURL)
    return build_as_of(
        tmp_path_factory.mktemp("pub") / "output", "2017-12-14", publish=True
    )


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def meta(page, key):
    tag = page.find("meta", attrs={"property": key}) or page.find(
        "meta", attrs={"name": key}
    )
    return tag["content"] if tag else None


def test_article_has_canonical_open_graph_and_twitter(published):
    url = (
        f"{SITEURL}/2017/12/day-14-pets-vs-cattle-prods-the-silence-of-the-lambdas.html"
    )
    page = soup(published, url.removeprefix(SITEURL + "/"))
    assert page.find("link", rel="canonical")["href"] == url
    assert meta(page, "og:url") == url
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:title") == "Pets vs. Cattle Prods: The Silence of the Lambdas"
    assert meta(page, "og:image") == f"{SITEURL}/social/2017/day-14.png"
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "og:description") == meta(page, "description")


def test_json_ld_names_author_and_editor(published):
    page = soup(
        published, "2017/12/day-14-pets-vs-cattle-prods-the-silence-of-the-lambdas.html"
    )
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "BlogPosting"
    assert data["datePublished"] == "2017-12-14T00:00:00-05:00"
    assert [a["name"] for a in data["author"]] == ["Corey Quinn"]
    assert data["author"][0]["url"] == f"{SITEURL}/people/corey-quinn/"
    assert [e["name"] for e in data["editor"]] == ["Scott Murphy"]
    assert data["image"] == f"{SITEURL}/social/2017/day-14.png"


def test_social_image_per_public_article(published):
    images = sorted(p.name for p in (published / "social" / "2017").iterdir())
    assert images == [f"day-{d}.png" for d in (10, 11, 12, 13, 14, 9)]
    with Image.open(published / "social" / "2017" / "day-14.png") as image:
        assert image.size == (1200, 630) and image.format == "PNG"


def test_sitemap_lists_seasons_people_and_articles_but_not_404_or_future(published):
    sitemap = (published / "sitemap.xml").read_text(encoding="utf-8")
    for path in (
        "2017/",
        "people/",
        "people/scott-murphy/",
        "archive/",
        "tags/tcp/",
        "about/",
    ):
        assert f"<loc>{SITEURL}/{path}</loc>" in sitemap
    assert f"<loc>{SITEURL}/2017/12/day-14-" in sitemap
    assert "day-15-" not in sitemap
    assert "404" not in sitemap and "search/" not in sitemap and "robots" not in sitemap


def test_robots_txt_points_to_the_sitemap(published):
    robots = (published / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots
    assert f"Sitemap: {SITEURL}/sitemap.xml" in robots


def test_favicon_is_linked_and_present(published):
    page = soup(published, "index.html")
    icon = page.find("link", rel="icon")["href"]
    assert icon == f"{SITEURL}/theme/favicon.svg"
    assert (published / "theme" / "favicon.svg").exists()


def test_non_article_pages_have_canonical_and_open_graph(published):
    page = soup(published, "people/index.html")
    assert page.find("link", rel="canonical")["href"] == f"{SITEURL}/people/"
    assert meta(page, "og:title") == "People · SysAdvent"
    assert soup(published, "404.html").find("link", rel="canonical") is None
