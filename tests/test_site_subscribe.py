"""A visible Subscribe link on the home, season, person and topic pages,
pointing at the page's own feed; the Feeds page in the site's layout."""

from __future__ import annotations

from site_builds import soup

PAGES = {
    "index.html": ("all.atom.xml", "Subscribe to every new article"),
    "2017/index.html": ("2017.atom.xml", "Subscribe to the 2017 season"),
    "people/emily-freeman/index.html": (
        "people/emily-freeman.atom.xml",
        "Subscribe to what Emily Freeman writes",
    ),
    "tags/kubernetes/index.html": (
        "tags/kubernetes.atom.xml",
        "Subscribe to articles about kubernetes",
    ),
}


def test_each_followable_page_shows_its_own_subscribe_link(built_site):
    for page, (feed, label) in PAGES.items():
        found = soup(built_site, page).select_one("main .subscribe")
        assert found is not None, page
        link = found.select_one("a.subscribe-link")
        assert link.get_text(" ", strip=True) == label
        assert link["href"].endswith(f"feeds/{feed}"), (page, link["href"])
        assert link["type"] == "application/atom+xml"
        target = (built_site / page).parent / link["href"]
        assert target.resolve().is_file(), target
        assert found.find("a", string="every feed")["href"].endswith("feeds/")


def test_an_editor_without_a_feed_gets_no_subscribe_link(built_site):
    page = soup(built_site, "people/michelle-carroll/index.html")
    assert page.select_one(".subscribe") is None


def test_the_feeds_page_is_laid_out_like_the_site(built_site):
    page = soup(built_site, "feeds/index.html")
    main = page.main
    assert main.select_one(".wrap-narrow > header.hero h1").get_text() == "Feeds"
    for field in main.select("input.feed-url"):
        label = main.find("label", attrs={"for": field["id"]})
        assert label.get_text() in ("Atom", "RSS", "JSON Feed")
        assert field.has_attr("readonly")
        button = main.select_one(f'button[data-copy="{field["id"]}"]')
        assert button.has_attr("hidden")  # shown by the site's script
    # Every format link's name starts with what it shows (axe's
    # label-content-name-mismatch) and says whose feed it is.
    for link in main.select("ul.feeds a[type]"):
        visible = "".join(link.find_all(string=True, recursive=False))
        assert visible in ("Atom", "RSS", "JSON Feed")
        assert link.get_text().startswith(f"{visible} feed of ")
        assert not link.has_attr("aria-label")
