"""Screenshots of every page type, desktop and phone (375 px), light and
dark, saved under tests/screenshots/ (git-ignored) for a person to look at."""

import pytest

pytestmark = pytest.mark.browser

PAGES = {
    "home": "",
    "home-in-season": "",  # served from the build as of 13 December 2017
    "season": "2016/",
    "article": "2017/12/day-9-using-kubernetes-for-multi-provider-multi-region-batch-jobs.html",
    "article-fixture": "2016/12/day-16-kernel-parameters-worth-knowing.html",
    "person": "people/lee-marsh/",
    "people": "people/",
    "archive": "archive/",
    "topics": "tags/",
    "topic": "tags/networking/",
    "search": "search/?q=backups",
    "feeds": "feeds/",
    "about": "about/",
    "write": "write/",
    "404": "404.html",
}
WIDTHS = {"phone": (375, 812), "desktop": (1280, 900)}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", sorted(WIDTHS))
@pytest.mark.parametrize("name", sorted(PAGES))
def test_screenshot(
    tab, full_server, midseason_server, screenshots, name, device, scheme
):
    width, height = WIDTHS[device]
    t = tab(scheme=scheme, width=width, height=height)
    base = midseason_server.url if name == "home-in-season" else full_server.url
    t.page.goto(base + PAGES[name])
    if name == "search":
        t.page.wait_for_selector("#search-results li")
    t.page.evaluate("document.fonts.ready")
    target = screenshots / f"{name}-{device}-{scheme}.png"
    t.page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
