"""Zero axe-core violations on every kind of page, light and dark
(npm `axe-core`, injected into the page)."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "home": "",
    "season": "2017/",
    "article": "2017/12/day-12-monitoring-postgres-replication-lag.html",
    "person": "people/emily-freeman/",
    "people": "people/",
    "archive": "archive/",
    "tags": "tags/",
    "tag": "tags/kubernetes/",
    "search": "search/?q=heartbeat",
    "about": "about/",
    "404": "404.html",
}


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


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_axe_violations(tab, server, midseason_server, axe_source, name, scheme):
    t = tab(scheme=scheme)
    base = midseason_server.url if name == "home" else server.url
    t.page.goto(base + PAGES[name])
    if name == "search":
        t.page.wait_for_selector("#search-results li")
    assert violations(t.page, axe_source) == []
