"""The Copy button copies what a reader would type, and never covers code."""

import pytest

pytestmark = pytest.mark.browser

DAY_9 = "2017/12/day-9-using-kubernetes-for-multi-provider-multi-region-batch-jobs.html"
DAY_12 = "2017/12/day-12-monitoring-postgres-replication-lag.html"
DAY_13 = "2017/12/day-13-half-dead-tcp-connections-and-why-heartbeats-matter.html"


def copied(tab, server, page_path, index=0):
    """What the Copy button of the index-th code block puts on the clipboard."""
    t = tab()
    t.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = t.page
    page.goto(server.url + page_path)
    block = page.locator(".content .highlight").nth(index)
    code = block.locator("pre code").inner_text()
    block.locator("button.copy").click()
    page.wait_for_function(
        "i => document.querySelectorAll('button.copy')[i].textContent === 'Copied'",
        arg=index,
    )
    return page.evaluate("navigator.clipboard.readText()"), code


def test_a_psql_session_copies_the_sql_without_prompts_or_output(tab, server):
    clipboard, code = copied(tab, server, DAY_12)
    assert code.startswith("=# select pg_current_xlog_location();")
    assert clipboard == "select pg_current_xlog_location();"


def test_a_root_console_session_copies_the_command_only(tab, server):
    clipboard, code = copied(tab, server, DAY_13)
    assert "ESTAB" in code
    assert clipboard == "ss -tpno"


def test_a_script_copies_the_code_as_shown(tab, server):
    clipboard, code = copied(tab, server, DAY_9)
    assert clipboard == code.rstrip("\n")
    assert clipboard.startswith("export S3_BUCKET_NAME=")


# Every text line box of every code block, scrolled to its start and to its
# end, against the block's Copy button.
OVERLAPS = """() => {
  const hits = [];
  const cross = (a, b) => a.left < b.right && b.left < a.right &&
                          a.top < b.bottom && b.top < a.bottom;
  for (const block of document.querySelectorAll('.content .highlight')) {
    const pre = block.querySelector('pre');
    const button = block.querySelector('button.copy').getBoundingClientRect();
    for (const end of [0, pre.scrollWidth]) {
      pre.scrollLeft = end;
      const view = pre.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(pre.querySelector('code'));
      for (const line of range.getClientRects()) {
        const visible = {left: Math.max(line.left, view.left),
                         right: Math.min(line.right, view.right),
                         top: Math.max(line.top, view.top),
                         bottom: Math.min(line.bottom, view.bottom)};
        if (visible.left < visible.right && cross(visible, button)) {
          hits.push(pre.textContent.slice(0, 40));
        }
      }
    }
  }
  return hits;
}"""


@pytest.mark.parametrize("width", [1280, 375])
def test_the_button_never_covers_code(tab, server, width):
    page = tab(width=width, height=800).page
    page.goto(server.url + DAY_9)
    assert page.locator(".content .highlight button.copy").count() == 23
    assert page.evaluate(OVERLAPS) == []


def test_code_blocks_scroll_with_the_keyboard(tab, server):
    page = tab(width=375, height=800).page
    page.goto(server.url + DAY_9)
    pre = page.locator(".content .highlight pre").first
    assert pre.get_attribute("tabindex") == "0"
    assert pre.get_attribute("aria-label") == "Bash code"
    assert page.evaluate(
        "document.querySelector('.content .highlight pre').scrollWidth > "
        "document.querySelector('.content .highlight pre').clientWidth"
    )
    pre.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    # Scrolling may be smooth: wait for it.
    page.wait_for_function(
        "document.activeElement.tagName === 'PRE' && document.activeElement.scrollLeft > 0"
    )
