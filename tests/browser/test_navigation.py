"""Doors open the right article, the keyboard reaches every door and link,
and no page scrolls sideways at 320 px."""

import pytest

pytestmark = pytest.mark.browser


def test_each_open_door_opens_its_article(tab, midseason_server):
    t = tab()
    page = t.page
    page.goto(midseason_server.url)
    doors = page.locator(".calendar > li")
    assert doors.count() == 1 + 17  # 1 to 8 December folded into one item
    for day in (9, 10, 11, 12, 13):
        page.goto(midseason_server.url)
        page.locator(".calendar > li").nth(day - 8).locator("a").click()
        page.wait_for_load_state()
        assert f"/2017/12/day-{day}-" in page.url
        assert page.locator(".day-badge").inner_text().strip().lower() == f"day {day}"


def test_closed_and_empty_doors_have_no_link(tab, midseason_server):
    t = tab()
    t.page.goto(midseason_server.url)
    doors = t.page.locator(".calendar > li")
    assert doors.nth(6).locator("a").count() == 0  # 14 December: not yet
    assert "Opens 14 December" in doors.nth(6).inner_text()
    assert doors.nth(0).locator("a").count() == 0  # 1 to 8 December: no article
    assert "No article these 8 days" in doors.nth(0).inner_text()
    assert doors.nth(5).get_attribute("class").split().count("door-today") == 1


def test_keyboard_reaches_every_link_and_door(tab, midseason_server):
    t = tab()
    page = t.page
    page.goto(midseason_server.url)
    # Number every focusable element, then Tab through the page once.
    focusable = page.eval_on_selector_all(
        "a[href], button, input",
        "els => els.map((e, i) => { e.dataset.n = i; return e.outerHTML; })",
    )
    reached = []
    for _ in range(len(focusable) + 5):
        page.keyboard.press("Tab")
        n = page.evaluate("document.activeElement.dataset.n")
        if n is None or int(n) in reached:
            break
        reached.append(int(n))
    missing = [html for i, html in enumerate(focusable) if i not in reached]
    assert missing == []
    doors = [focusable[i] for i in reached if "/2017/12/day-" in focusable[i]]
    assert len(doors) == 5  # the five open doors, in order
    assert all(f"day-{d}-" in html for d, html in zip(range(9, 14), doors, strict=True))


def test_skip_link_moves_focus_to_main(tab, server):
    t = tab()
    t.page.goto(server.url + "2017/12/day-12-monitoring-postgres-replication-lag.html")
    t.page.keyboard.press("Tab")
    assert t.page.evaluate("document.activeElement.textContent") == "Skip to content"
    t.page.keyboard.press("Enter")
    assert t.page.evaluate("document.activeElement.id") == "main"


PATHS = [
    "",
    "2017/",
    "2017/12/day-9-using-kubernetes-for-multi-provider-multi-region-batch-jobs.html",
    "2017/12/day-12-monitoring-postgres-replication-lag.html",
    "people/",
    "people/alejandro-brito-monedero/",
    "archive/",
    "tags/",
    "tags/kubernetes/",
    "search/?q=replication",
    "write/",
    "404.html",
]


@pytest.mark.parametrize("path", PATHS)
def test_no_horizontal_scroll_at_320px(tab, server, path):
    t = tab(width=320, height=640)
    t.page.goto(server.url + path)
    if path.startswith("search"):
        t.page.wait_for_selector("#search-results li")
    width = t.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
