"""The pages stay light and self-contained: no resource from another host,
and the home page and an article each under 100 KB before images."""

import re

import pytest
from site_builds import soup

BUDGET = 100 * 1024
PAGES = ["index.html", "2017/12/day-15-a-devops-christmas-carol.html"]


def local_resources(site, relpath):
    """The files a page loads (stylesheets, scripts, icons), resolved in the output."""
    page = soup(site, relpath)
    base = (site / relpath).parent
    urls = [s["src"] for s in page.find_all("script", src=True)]
    urls += [link["href"] for link in page.find_all("link", rel=["stylesheet", "icon"])]
    return [(base / url).resolve() for url in urls]


@pytest.mark.parametrize("relpath", PAGES)
def test_page_weight_before_images_is_under_budget(built_site, relpath):
    files = [built_site / relpath, *local_resources(built_site, relpath)]
    total = sum(f.stat().st_size for f in files)  # uncompressed: stricter than transfer
    assert total < BUDGET, f"{relpath}: {total} bytes"


def test_no_page_loads_anything_from_another_host(built_site):
    loading = re.compile(
        r'<(?:script|img|iframe|source|video|audio)\b[^>]*\bsrc="(?:https?:)?//'
    )
    stylesheet = re.compile(r'<link\b[^>]*\bhref="(?:https?:)?//')
    for path in built_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not loading.search(text), path
        for tag in stylesheet.findall(text):
            assert 'rel="canonical"' in tag, path
    css = (built_site / "theme" / "css" / "site.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css
