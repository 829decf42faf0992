"""The copy button on a code block puts the code on the clipboard."""

import pytest

pytestmark = pytest.mark.browser


def test_copy_button_copies_the_code(tab, server):
    t = tab()
    t.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = t.page
    page.goto(server.url + "2017/12/day-12-monitoring-postgres-replication-lag.html")
    block = page.locator(".content .highlight").first
    code = block.locator("pre").inner_text().rstrip("\n")
    block.locator("button.copy").click()
    page.wait_for_function(
        "document.querySelector('button.copy').textContent === 'Copied'"
    )
    assert page.evaluate("navigator.clipboard.readText()") == code
    assert "pg_current_xlog_location" in code
