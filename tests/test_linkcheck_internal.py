"""Internal link checking on real builds of a fixture site, offline."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pelican.settings import read_settings
from site_builds import pipeline_build

import tasks
from pipeline.settings import load_settings
from plugins.linkcheck import check_internal, internal_findings
from plugins.linkcheck.settings import with_defaults

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "linkcheck" / "content"
BROKEN = "2017/02-broken-links.md"

# Every broken reference of the fixture: (line, words of the message). Not
# line 19 (a style= url()) nor 21 (a file: link): the sanitizer removes both
# from the page (the content rules tell authors).
EXPECTED = [
    (11, "a href '': empty link"),
    (11, "a href '': empty link"),
    (12, "Pelican could not resolve '{filename}03-missing.md'"),
    (13, "no file nope/ in the built site"),
    (14, "no file images/nope.png"),
    (15, "has no anchor id='no-such-id'"),
    (16, "day-1-good-links.html has no anchor id='no-such-heading'"),
    (17, "img srcset '../../images/nope-2x.png'"),
    (18, "video poster '../../images/nope-poster.png'"),
    (20, "points to the author's own machine (localhost)"),
    (22, "points to the author's own machine (127.0.0.1)"),
    (23, "goes above the site's root"),
    (24, "no file 2017/12/nope.html"),
]


# The fixture links images outside the article's folder on purpose (the link
# checker must resolve every shape); the content rules and the attachments
# policy forbid that for authors, so this site is built without them, with
# Pelican copying content/images/ as it is.
WITHOUT_CONTENT_RULES = [
    p
    for p in read_settings(str(tasks.PUBLISH_SETTINGS))["PLUGINS"]
    if p not in ("plugins.contentrules", "plugins.attachments")
]


def build(content, output, settings=tasks.PUBLISH_SETTINGS, **overrides):
    """The pipeline's build; returns (result, settings) for the source map."""
    overrides = {
        "PATH": str(content),
        "PLUGINS": WITHOUT_CONTENT_RULES,
        "STATIC_PATHS": ["images"],
        "LINKCHECK_INTERNAL_ON_BUILD": False,
        **overrides,
    }
    result = pipeline_build(settings, output, today="2017-12-31", **overrides)
    return result, load_settings(settings, overrides=overrides)


@pytest.fixture(scope="module")
def fixture_build(tmp_path_factory):
    output = tmp_path_factory.mktemp("linkcheck") / "output"
    result, settings = build(FIXTURE, output)
    return output, settings, result.source_map


def test_every_broken_reference_is_found_at_its_markdown_line(fixture_build):
    output, settings, source_map = fixture_build
    findings = internal_findings(output, source_map, with_defaults(settings))
    found = sorted((f.line, f.message) for f in findings)
    assert len(found) == len(EXPECTED), "\n".join(m for _, m in found)
    for (line, message), (want_line, words) in zip(found, EXPECTED, strict=True):
        assert line == want_line
        assert words in message
    # Every finding names the Markdown source, none the output page.
    assert {Path(f.path).as_posix().endswith(BROKEN) for f in findings} == {True}
    assert {f.page for f in findings} == {"2017/12/day-2-broken-links.html"}


def test_the_valid_article_and_pages_raise_no_false_alarm(fixture_build):
    output, settings, source_map = fixture_build
    pages = [page for page, source in source_map.items() if not source.endswith(BROKEN)]
    assert "2017/12/day-1-good-links.html" in pages and "about/index.html" in pages
    assert check_internal(output, source_map, with_defaults(settings), pages) == []


def test_column_points_at_the_link(fixture_build):
    output, settings, source_map = fixture_build
    findings = internal_findings(output, source_map, with_defaults(settings))
    text = (FIXTURE / BROKEN).read_text().splitlines()
    image = next(f for f in findings if "images/nope.png" in f.message)
    assert text[image.line - 1][image.column - 1 :].startswith("../../images/nope.png")


def test_relative_urls_of_the_development_settings_check_the_same(tmp_path):
    output = tmp_path / "output"
    result, settings = build(FIXTURE, output, settings=tasks.DEV_SETTINGS)
    problems = check_internal(output, result.source_map, with_defaults(settings))
    # Same broken links; the absolute link to the production site is external
    # in development builds and is not checked offline.
    assert sorted(p.line for p in problems) == [
        line for line, _ in EXPECTED if line != 24
    ]


def test_a_production_build_fails_on_broken_links(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    result, _ = build(content, tmp_path / "output", LINKCHECK_INTERNAL_ON_BUILD=True)
    assert not result.ok
    assert len([p for p in result.problems if p.is_error]) == len(EXPECTED)
    # Without the broken article, the same build passes.
    (content / BROKEN).unlink()
    good = (FIXTURE / "2017/01-good-links.md").read_text()
    good = good.replace("02-broken-links.md#a-broken-section", "/pages/about.md")
    (content / "2017/01-good-links.md").write_text(
        good.replace("02-broken-links.md", "/pages/about.md")
    )
    shutil.rmtree(tmp_path / "output")
    result, _ = build(content, tmp_path / "output", LINKCHECK_INTERNAL_ON_BUILD=True)
    assert result.ok, result.problems


def test_invoke_build_publish_reports_the_line_and_exits_non_zero(site):
    site.write("2017/16-broken.md", BROKEN_ARTICLE)
    result = site.build(today="2017-12-31", settings="publishconf.py")
    assert result.returncode == 1
    assert "2017/16-broken.md:10:" in result.stderr
    assert "empty link" in result.stderr
    # The development build does not check.
    assert site.build(today="2017-12-31").returncode == 0


BROKEN_ARTICLE = """\
Title: One broken link
Date: 2017-12-16T00:00:00-05:00
Day: 16
Authors: eric-sigler
Editors: michelle-carroll
Tags: testing
Summary: A summary.

Some words.
Then [a link with no target]() in the middle.
"""


def test_the_real_content_passes():
    """`invoke linkcheck` on content/: every internal link resolves."""
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "linkcheck"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken link(s)" in result.stderr


def _many_pages(root: Path, count: int) -> None:
    """`count` pages linking to each other, with anchors, and one broken link each."""
    for i in range(count):
        following = (i + 1) % count
        (root / f"p{i}.html").write_text(
            f'<!doctype html><html><body><h2 id="s{i}">Part {i}</h2>'
            f'<a href="p{following}.html#s{following}">next</a>'
            f'<a href="p{following}.html#gone">gone</a>'
            f'<img src="img/{i}.png"></body></html>',
            encoding="utf-8",
        )


def test_pages_parsed_in_the_pool_equal_pages_parsed_in_one_process(
    tmp_path, monkeypatch
):
    from plugins.core import pool
    from plugins.linkcheck import internal

    site = tmp_path / "site"
    site.mkdir()
    _many_pages(site, internal.POOL_AT_LEAST + 7)
    pooled = []
    real_map = pool.parallel_map

    def counting_map(function, items, settings=None):
        pooled.append(len(items))
        return real_map(function, items, settings)

    monkeypatch.setattr(pool, "parallel_map", counting_map)
    scans = {}
    for workers in ("1", "2"):
        monkeypatch.setenv("SYSADVENT_WORKERS", workers)
        cache = tmp_path / f"cache-{workers}"
        cold = internal.Site.scan(site, cache)
        warm = internal.Site.scan(site, cache)  # every page from the cache
        assert warm.pages == cold.pages
        scans[workers] = cold
    # Each cold scan handed every page to the pool (one process or two).
    assert pooled == [internal.POOL_AT_LEAST + 7] * 2
    assert scans["1"].pages == scans["2"].pages
    found = [
        f.message for f in internal_findings(site, {}, {"SITEURL": ""}, site=scans["2"])
    ]
    # Every page: one link to a missing anchor, one to a missing image.
    assert len(found) == 2 * (internal.POOL_AT_LEAST + 7)
    assert all("has no anchor id='gone'" in m or "no file img/" in m for m in found)
