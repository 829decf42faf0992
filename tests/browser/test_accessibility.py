"""Zero axe-core violations on every page the production build writes (the
real articles and a fixture season of 25), search with results and the
calendar in season, light and dark (npm `axe-core`, injected into the page).
"""

from pathlib import Path

import pytest
from site_builds import html_pages

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        pytest.fail("axe-core missing: run `npm ci`")
    return AXE.read_text(encoding="utf-8")


def violations(page, axe_source):
    page.add_script_tag(content=axe_source)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in result["violations"]
    ]


def page_list(folder):
    """Every page of the site; pages are served by folder (`x/`), as linked.
    Redirect stubs for old addresses (plugins/aliases) are left out: the
    browser leaves them at once for a page that is on the list."""
    return [
        p.removesuffix("index.html")
        for p in html_pages(folder)
        if 'http-equiv="refresh"' not in (folder / p).read_text(encoding="utf-8")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_on_any_page(tab, full_server, axe_source, scheme):
    pages = page_list(full_server.folder)
    assert len(pages) > 90
    # Every kind of page is among them.
    for expected in ("", "2016/", "2017/", "feeds/", "write/", "404.html", "tags/"):
        assert expected in pages
    t = tab(scheme=scheme)
    found = {}
    for path in pages:
        t.page.goto(full_server.url + path)
        problems = violations(t.page, axe_source)
        if problems:
            found[path] = problems
    assert found == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_with_search_results_or_in_season(
    tab, full_server, midseason_server, axe_source, scheme
):
    t = tab(scheme=scheme)
    found = {}
    t.page.goto(full_server.url + "search/?q=backups")
    t.page.wait_for_selector("#search-results li")
    found["search"] = violations(t.page, axe_source)
    # The running season: today's door, closed doors, the countdown.
    t.page.goto(midseason_server.url)
    t.page.wait_for_selector(".countdown-left:not([hidden])")
    found["home on 13 December"] = violations(t.page, axe_source)
    # A phone: the table of contents folded, the calendar in three columns.
    phone = tab(scheme=scheme, width=375, height=812)
    phone.page.goto(
        full_server.url + "2017/12/day-9-using-kubernetes-for-multi-provider-"
        "multi-region-batch-jobs.html"
    )
    found["article on a phone"] = violations(phone.page, axe_source)
    assert {k: v for k, v in found.items() if v} == {}
