"""One parse for both: the code blocks codecheck sees are exactly the `<pre>`
blocks of the built page, in order, for every article and page of content/
and for fixtures written the ways real articles are (`1)` lists, sub-items
indented by 1–2 spaces, indented code inside lists, raw HTML blocks, tabs).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import article_text

from plugins.codecheck.blocks import INDENTED, RAW_HTML, read_blocks
from plugins.core.source import read_source

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
FIXTURE_DAYS = {  # fixture -> the day it is published on in the test site
    "paren-lists.md": 20,
    "nested-lists.md": 21,
    "indented-in-lists.md": 22,
    "html-blocks.md": 23,
    "tabs.md": 24,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The real content plus the fixtures as articles, built by `invoke build`."""
    from conftest import SiteFixture

    site = SiteFixture(tmp_path_factory.mktemp("blocks"))
    for name, day in FIXTURE_DAYS.items():
        body = (FIXTURES / name).read_text(encoding="utf-8")
        site.write(
            f"2017/{day}-{name}",
            article_text(
                title=f"Fixture {name}",
                date=f"2017-12-{day}T00:00:00-05:00",
                day=str(day),
                slug=f"fixture-{day}",
                body=body,
            ),
        )
    result = site.build(today="2017-12-31")
    assert result.returncode == 0, result.stderr
    return site


def page_of(site, path: Path) -> Path:
    """The built page of an article (by its day) or a page (by its slug)."""
    source = read_source(path)
    day = source.header.value("day")
    if day:
        # Redirect pages (old Blogger paths) share the day; the article has content.
        (found,) = [
            page
            for page in (site.output / "2017" / "12").glob(f"day-{day}-*.html")
            if 'class="content' in page.read_text(encoding="utf-8")
        ]
        return found
    slug = source.header.value("slug") or path.stem.lower()
    return site.output / slug / "index.html"


def pre_texts(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    content = soup.select_one(".content")
    return [pre.get_text().strip("\n") for pre in content.find_all("pre")]


def sources(site) -> list[Path]:
    return sorted(site.content.rglob("*.md"))


def test_every_code_block_codecheck_sees_is_a_pre_of_the_page(built):
    checked = 0
    for path in sources(built):
        blocks = read_blocks(read_source(path)).blocks
        seen = [block.text.strip("\n") for block in blocks]
        assert seen == pre_texts(page_of(built, path)), path
        checked += len(seen)
    assert checked >= 40  # the real articles have 33 blocks; the fixtures more


def test_the_fixtures_hold_the_hard_cases(built):
    forms = {}
    for name, day in FIXTURE_DAYS.items():
        blocks = read_blocks(
            read_source(built.content / "2017" / f"{day}-{name}")
        ).blocks
        forms[name] = [block.form for block in blocks]
    assert INDENTED in forms["paren-lists.md"]
    assert forms["indented-in-lists.md"].count(INDENTED) == 3
    assert RAW_HTML in forms["html-blocks.md"]
    assert INDENTED in forms["tabs.md"]
    assert len(forms["nested-lists.md"]) == 2  # the six-space line is prose


def test_paren_lists_are_lists(built):
    page = page_of(built, built.content / "2017" / "20-paren-lists.md")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    items = soup.select(".content > ol > li")
    assert len(items) == 4
    assert items[1].select("ul > li a[href='https://example.com/']")


def test_one_and_two_space_sub_items_nest(built):
    page = page_of(built, built.content / "2017" / "21-nested-lists.md")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    steps = soup.select(".content > ol > li")
    assert [next(s.strip() for s in li.strings if s.strip()) for li in steps] == [
        "First step",
        "Second step",
        "Third step",
    ]
