"""Reading aids in a real browser: the table of contents (beside the text and
sticky on wide screens, folded on phones), the print stylesheet, the author
box, share and copy buttons, the countdown with a frozen clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.browser

DAY9 = "2017/12/day-9-using-kubernetes-for-multi-provider-multi-region-batch-jobs.html"
# Fixture season: day 16 has 5 sections, a table, an author with a picture.
DAY16 = "2016/12/day-16-kernel-parameters-worth-knowing.html"
NEW_YORK = ZoneInfo("America/New_York")


def box(page, selector):
    return page.locator(selector).first.bounding_box()


# --- table of contents ------------------------------------------------------------------


def test_contents_sit_beside_the_text_and_stay_in_view(tab, full_server):
    t = tab(width=1440, height=900)
    page = t.page
    page.goto(full_server.url + DAY9)
    toc, content = box(page, "nav.toc"), box(page, ".content")
    assert toc["x"] >= content["x"] + content["width"]  # beside, not above
    assert page.locator("nav.toc details").get_attribute("open") is not None
    # Deep into the article, the contents are still on screen.
    page.locator("#part-6-set-up-the-batch-job-api").scroll_into_view_if_needed()
    page.mouse.wheel(0, 400)
    page.wait_for_timeout(200)
    toc = box(page, "nav.toc")
    assert 0 <= toc["y"] < 900
    # A link jumps to its section; the contents say where the reader is.
    link = page.locator("nav.toc a", has_text="Cleaning up")
    link.click()
    page.wait_for_function(
        "document.querySelector('nav.toc a[aria-current]')?.textContent === 'Cleaning up'"
    )
    heading = box(page, "#cleaning-up")
    assert 0 <= heading["y"] < 300
    assert page.evaluate("location.hash") == "#cleaning-up"


def test_contents_are_folded_on_a_phone_and_open_on_a_tap(tab, full_server):
    t = tab(width=375, height=812)
    page = t.page
    page.goto(full_server.url + DAY9)
    details = page.locator("nav.toc details")
    assert details.get_attribute("open") is None
    toc, content = box(page, "nav.toc"), box(page, ".content")
    assert toc["y"] + toc["height"] <= content["y"]  # above the text
    assert toc["height"] < 80  # one line: "Contents"
    page.locator("nav.toc summary").click()
    assert details.get_attribute("open") is not None
    assert page.locator("nav.toc a").first.is_visible()


def test_without_javascript_the_contents_are_open(tab, full_server):
    t = tab(width=375, height=812, javascript=False)
    t.page.goto(full_server.url + DAY9)
    assert t.page.locator("nav.toc a").first.is_visible()


# --- print --------------------------------------------------------------------------------


def test_print_shows_the_article_its_code_and_its_link_urls(tab, full_server):
    t = tab(width=800, height=1000)
    page = t.page
    page.goto(full_server.url + DAY16)
    page.emulate_media(media="print")
    for hidden in (
        ".site-header nav",
        ".site-footer",
        "nav.toc",
        ".share",
        "button.copy",
        "nav.day-nav",
        ".skip",
    ):
        shown = page.eval_on_selector_all(
            hidden,
            "els => els.filter(e => getComputedStyle(e).display !== 'none').length",
        )
        assert shown == 0, hidden
    # Every code block wraps: nothing is cut off at the right edge.
    clipped = page.eval_on_selector_all(
        ".content pre",
        "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).length",
    )
    assert clipped == 0
    assert page.locator(".content pre").count() >= 5
    # A link prints its address after its text; links within the page do not.
    after = page.eval_on_selector_all(
        ".content a[href^='http']",
        "els => els.map(e => getComputedStyle(e, '::after').content)",
    )
    assert after == [
        '" (https://sysadvent.example.org/2016/12/day-15-chaos-experiments-on-a-tuesday.html)"',
        '" (https://example.org/docs/)"',
    ]
    anchor = page.evaluate(
        "getComputedStyle(document.querySelector('.content a[href^=\"#\"]') "
        "|| document.body, '::after').content"
    )
    assert anchor in ("none", "normal")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    page.emulate_media(media="screen")
    assert (
        page.locator(".content pre").first.evaluate(
            "e => getComputedStyle(e).whiteSpace"
        )
        == "pre"
    )


# --- the author box, share, copy ------------------------------------------------------


def test_the_author_box_shows_picture_bio_and_links(tab, full_server):
    t = tab()
    page = t.page
    page.goto(full_server.url + DAY16)
    author = page.locator("section.authors .author").first
    author.scroll_into_view_if_needed()
    picture = author.locator("img.avatar")
    picture.evaluate("img => img.decode()")
    assert picture.evaluate("img => img.naturalWidth") == 192
    size = picture.bounding_box()
    assert size["width"] == size["height"] and size["width"] >= 64
    assert author.locator(".author-bio").inner_text().startswith("Network engineer")
    assert author.locator(".links a").get_attribute("href") == (
        "https://example.org/lee-marsh/"
    )
    assert author.locator(".author-name a").inner_text() == "Lee Marsh"
    # Someone without a picture gets initials.
    page.goto(full_server.url + DAY9)
    initials = page.locator("section.authors .avatar").first
    assert initials.inner_text() == "ES"


def test_copy_link_copies_the_article_address(tab, full_server):
    t = tab()
    t.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = t.page
    page.goto(full_server.url + DAY9)
    button = page.locator("button[data-copy-link]")
    assert button.is_visible()
    button.click()
    page.wait_for_function(
        "document.querySelector('button[data-copy-link]').textContent === 'Copied'"
    )
    assert page.evaluate("navigator.clipboard.readText()") == full_server.url + DAY9
    assert page.locator(".share-status").inner_text() == "Copied to the clipboard"
    # The share sheet button shows only where the browser has one.
    has_share = page.evaluate("typeof navigator.share === 'function'")
    assert page.locator("button[data-share-url]").is_visible() == has_share
    share = {
        a.inner_text(): a.get_attribute("href")
        for a in page.locator(".share-links a").all()
    }
    assert share["Bluesky"].startswith("https://bsky.app/intent/compose?text=")
    assert share["E-mail"].startswith("mailto:?subject=")


def test_the_feeds_page_copies_a_feed_address(tab, full_server):
    t = tab()
    t.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = t.page
    page.goto(full_server.url + "feeds/")
    page.locator("button[data-copy='feed-atom']").click()
    page.wait_for_function("document.querySelector('.copy-status').textContent !== ''")
    assert page.evaluate("navigator.clipboard.readText()") == (
        full_server.url + "feeds/all.atom.xml"
    )


# --- the countdown ------------------------------------------------------------------------


def test_countdown_to_the_next_door_with_a_frozen_clock(tab, midseason_server):
    t = tab()
    page = t.page
    evening = dt.datetime(2017, 12, 13, 21, 30, tzinfo=NEW_YORK)
    page.clock.install(time=evening)
    page.goto(midseason_server.url)
    left = page.locator(".countdown .countdown-left")
    assert left.inner_text() == ": in 2 h 30 min"
    countdown = page.locator(".countdown").inner_text()
    assert countdown.startswith("Next door: Day 14 opens on 14 December at midnight")
    page.clock.run_for(3600 * 1000)
    assert left.inner_text() == ": in 1 h 30 min"
    page.clock.run_for(90 * 60 * 1000 + 15_000)
    assert left.inner_text() == ": it is open now, reload the page"


def test_countdown_days_ahead_and_without_javascript(tab, midseason_server):
    t = tab()
    t.page.clock.install(time=dt.datetime(2017, 12, 11, 18, 0, tzinfo=NEW_YORK))
    t.page.goto(midseason_server.url + "2017/")
    assert t.page.locator(".countdown-left").inner_text() == ": in 2 days 6 h"
    page = tab(javascript=False).page
    page.goto(midseason_server.url)
    assert not page.locator(".countdown-left").is_visible()
    assert page.locator(".countdown time").inner_text() == "14 December at midnight"


# --- narrow screens ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", [DAY16, DAY9, "feeds/", "2016/", "write/", "people/rowan-quill/"]
)
def test_no_horizontal_scroll_at_320px(tab, full_server, path):
    t = tab(width=320, height=640)
    t.page.goto(full_server.url + path)
    assert t.page.evaluate("document.documentElement.scrollWidth") <= 320
