"""Importing both Blogger export formats into a copy of the site, end to end.

Real exports written from the documented formats (tests/fixtures/blogger/),
images from a real HTTP server on 127.0.0.2, a real people registry, and
afterwards a real build and `invoke check` of the imported site. Articles,
people, aliases, redirects and the review reports are compared exactly with
the golden files in tests/fixtures/blogger/expected/ (UPDATE_GOLDEN=1
rewrites them; review the diff).
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from importer_helpers import (
    ALLOW_LOOPBACK,
    IMAGES,
    ROOT,
    SETTINGS,
    ImageServer,
    check_golden,
    export_copy,
    scratch_site,
    tree,
)

from pipeline.importer.command import run

IMPORTED = [
    "2008/03-babysitting.md",
    "2009/15-replacing-init-scripts-with-supervisord.md",
    "2011/05-tracking-requests-with-request-tracker.md",
    "2010/07-monitoring-with-nagios-the-hard-way.md",
    "2010/13-dont-be-a-human-keyboard.md",
    "pages/contact.md",
]


def _import(kind, path, site, capsys, **flags):
    code = run(
        kind,
        str(path),
        settings_file=SETTINGS,
        content=str(site / "content"),
        overrides=ALLOW_LOOPBACK,
        **flags,
    )
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def server():
    started = ImageServer("127.0.0.2")
    yield started
    started.close()


@pytest.fixture
def imported(tmp_path, monkeypatch, server, capsys):
    """Both exports imported into a scratch copy of the site, from inside it."""
    site = scratch_site(tmp_path)
    monkeypatch.chdir(site)
    classic = export_copy("classic.xml", site, server.base)
    newer = export_copy("blogger2018.xml", site)
    first = _import(
        "blogger", classic.name, site, capsys, report_file="classic-review.md"
    )
    second = _import("blogger", newer.name, site, capsys, offline=True, pages=True)
    return site, first, second


def test_articles_people_and_reports_are_exactly_the_expected_ones(imported):
    site, (code1, text1, _), (code2, text2, _) = imported
    assert (code1, code2) == (0, 0)
    for name in IMPORTED:
        check_golden(f"content/{name}", (site / "content" / name).read_text())
    people = (site / "content/people.toml").read_text()
    original = (ROOT / "content/people.toml").read_text()
    assert people.startswith(original)
    check_golden("people-added.toml", people[len(original) :])
    check_golden("classic-report.txt", text1)
    check_golden("classic-review.md", (site / "classic-review.md").read_text())
    check_golden("blogger2018-report.txt", text2)


def test_images_are_stored_beside_the_article_with_the_served_bytes(imported, server):
    site = imported[0]
    images = site / "content/2011/images"
    assert sorted(p.name for p in images.iterdir()) == [
        "05-rt-queue.png",
        "05-rt-ticket.png",
    ]
    assert (images / "05-rt-queue.png").read_bytes() == IMAGES["/s320/rt-queue.png"]
    assert (images / "05-rt-ticket.png").read_bytes() == IMAGES["/s320/rt-ticket.png"]
    # The thumbnail is stored; its link to the full-size copy is not followed.
    assert "/full/rt-queue.png" not in server.requests


def test_existing_articles_are_never_overwritten_without_force(imported, capsys):
    site = imported[0]
    day9 = (
        site
        / "content/2017/09-using-kubernetes-for-multi-provider-multi-region-batch-jobs.md"
    )
    assert (
        day9.read_bytes()
        == (ROOT / "content" / day9.relative_to(site / "content")).read_bytes()
    )
    assert "exists and differs: kept (use --force to overwrite)" in imported[2][1]


def test_importing_again_changes_nothing(imported, capsys, server):
    site = imported[0]
    before = tree(site / "content")
    code1, text1, _ = _import("blogger", "classic.xml", site, capsys)
    code2, text2, _ = _import(
        "blogger", "blogger2018.xml", site, capsys, offline=True, pages=True
    )
    assert (code1, code2) == (0, 0)
    assert tree(site / "content") == before
    assert "3 unchanged" in text1 and "written" not in text1.split("\n")[0]
    assert text2.split("\n")[0].endswith(
        "3 unchanged, 1 exists and differs: kept (use --force to overwrite), 2 to review, 2 skipped"
    )


def test_force_overwrites_and_dry_run_writes_nothing(imported, capsys):
    site = imported[0]
    day9 = (
        site
        / "content/2017/09-using-kubernetes-for-multi-provider-multi-region-batch-jobs.md"
    )
    before = tree(site / "content")
    code, text, _ = _import(
        "blogger",
        "blogger2018.xml",
        site,
        capsys,
        offline=True,
        force=True,
        dry_run=True,
    )
    assert code == 0
    assert tree(site / "content") == before
    assert f"{day9.relative_to(site)}: would be overwritten (dry run)" in text
    code, text, _ = _import(
        "blogger", "blogger2018.xml", site, capsys, offline=True, force=True
    )
    assert code == 0
    assert f"{day9.relative_to(site)}: overwritten (--force)" in text
    rewritten = day9.read_text()
    assert "Guid: tag:blogger.com,1999:blog-4244339470935734313.post-3002" in rewritten
    assert "Authors: eric-sigler\nEditors: michelle-carroll\n" in rewritten


def test_the_imported_site_builds_and_passes_invoke_check(imported):
    site = imported[0]
    output = site / "output"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "invoke",
            "build",
            "--content",
            str(site / "content"),
            "--output",
            str(output),
            "--today",
            "2018-01-01",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    check = subprocess.run(
        [
            sys.executable,
            "-m",
            "invoke",
            "check",
            "--content",
            str(site / "content"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "0 error(s)" in check.stderr
    # Old Blogger addresses lead to the new articles.
    check_golden("redirects.txt", (output / "_redirects").read_text())
    check_golden("redirects.map", (output / "redirects.map").read_text())
    check_golden(
        "redirect-page.html",
        (output / "2009/12/day-15-replacing-init-scripts-with.html").read_text(),
    )
    # The imported articles link to each other inside the site.
    keyboard = (output / "2010/12/day-13-dont-be-a-human-keyboard.html").read_text()
    assert (
        'href="../../2009/12/day-15-replacing-init-scripts-with-supervisord.html"'
        in keyboard
    )
    # Not in the sitemap: redirect pages are not pages to index.
    sitemap = (output / "sitemap.xml").read_text()
    assert "day-15-replacing-init-scripts-with.html" not in sitemap
    assert "search/label" not in sitemap


def test_offline_import_lists_every_image_and_still_builds(
    tmp_path, monkeypatch, capsys
):
    site = scratch_site(tmp_path)
    monkeypatch.chdir(site)
    export_copy("classic.xml", site)
    code, text, _ = _import("blogger", "classic.xml", site, capsys, offline=True)
    assert code == 0
    assert (
        "    - images not stored: image http://images.test/s320/rt-queue.png "
        "not stored (--offline): written as a link\n"
    ) in text
    article = (
        site / "content/2011/05-tracking-requests-with-request-tracker.md"
    ).read_text()
    assert "[Image: RT queue view](http://images.test/s320/rt-queue.png)" in article
    assert "[Image (no description)](http://images.test/s320/rt-ticket.png)" in article
    assert not (site / "content/2011/images").exists()
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "invoke",
            "build",
            "--content",
            str(site / "content"),
            "--output",
            str(site / "output"),
            "--today",
            "2018-01-01",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr


def test_loopback_images_are_refused_unless_allowed(
    tmp_path, monkeypatch, capsys, server
):
    """The SSRF guard: without the test's allowance, 127.0.0.2 is never fetched."""
    site = scratch_site(tmp_path)
    monkeypatch.chdir(site)
    export_copy("classic.xml", site, server.base)
    seen = len(server.requests)
    code = run(
        "blogger",
        "classic.xml",
        settings_file=SETTINGS,
        content=str(site / "content"),
        years=["2011"],
    )
    text = capsys.readouterr().out
    assert code == 0
    assert len(server.requests) == seen
    assert "resolves to 127.0.0.2 (loopback): not checked): written as a link" in text
    assert "content/2008" not in text  # --year 2011 only
