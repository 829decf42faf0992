"""Screenshots of the home page and an article, phone and desktop, light and
dark, saved under tests/screenshots/ (git-ignored) for a person to look at."""

import pytest

pytestmark = pytest.mark.browser

ARTICLE = "2017/12/day-12-monitoring-postgres-replication-lag.html"
WIDTHS = {"phone": (375, 812), "desktop": (1280, 900)}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", sorted(WIDTHS))
@pytest.mark.parametrize("name,path", [("home", ""), ("article", ARTICLE)])
def test_screenshot(
    tab, midseason_server, server, screenshots, name, path, device, scheme
):
    width, height = WIDTHS[device]
    t = tab(scheme=scheme, width=width, height=height)
    base = midseason_server.url if name == "home" else server.url
    t.page.goto(base + path)
    target = screenshots / f"{name}-{device}-{scheme}.png"
    t.page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
