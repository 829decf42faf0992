"""GitHub's Markdown extras look in the site's theme the way the preview
showed them: alerts as a coloured, titled box, task items with a checkbox
in place of the bullet. The page is the renderer's and sanitizer's real
output, styled with the theme's real stylesheet, in Debian Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugins.gfm.html import markdown_to_html
from plugins.sanitize.html import sanitize_html

pytestmark = pytest.mark.browser

CSS = Path(__file__).parents[2] / "theme" / "static" / "css" / "site.css"
MARKDOWN = """\
Plain prose.

> [!NOTE]
> A note.

> [!WARNING]
> Do not run this on production.

> [!CAUTION]
> This deletes data.

- [x] done
- [ ] to do
- plain item
"""


def styled_page(tab, scheme):
    page = tab(scheme=scheme).page
    body = sanitize_html(markdown_to_html(MARKDOWN))
    page.set_content(f'<main class="content">{body}</main>')
    page.add_style_tag(content=CSS.read_text(encoding="utf-8"))
    return page


def style(page, selector, prop):
    return page.eval_on_selector(
        selector, f"e => getComputedStyle(e).getPropertyValue('{prop}')"
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_alert_is_a_coloured_titled_box_not_plain_prose(tab, scheme):
    page = styled_page(tab, scheme)
    text = style(page, "main > p", "color")
    colours = set()
    for kind in ("note", "warning", "caution"):
        box = f".markdown-alert-{kind}"
        assert float(style(page, box, "border-left-width").removesuffix("px")) >= 3
        title = f"{box} .markdown-alert-title"
        assert int(style(page, title, "font-weight")) >= 600
        colour = style(page, title, "color")
        assert colour != text
        assert style(page, box, "border-left-color") == colour
        colours.add(colour)
    assert len(colours) == 3  # each kind has its own colour, as on GitHub


def test_a_task_item_shows_its_checkbox_where_the_bullet_was(tab):
    page = styled_page(tab, "light")
    items = page.locator("li")
    assert style(page, "li.task-list-item", "list-style-type") == "none"
    assert style(page, "li:not(.task-list-item)", "list-style-type") == "disc"
    box = page.locator("li.task-list-item input").first.bounding_box()
    item = items.first.bounding_box()
    plain = items.nth(2).bounding_box()
    # the checkbox hangs in the gutter; the texts of all items line up
    assert box["x"] < item["x"]
    assert item["x"] == plain["x"]
