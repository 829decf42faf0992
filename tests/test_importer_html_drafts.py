"""`invoke import html PATH`: drafts kept as HTML or Markdown in YYYY/DD/ folders."""

from __future__ import annotations

import subprocess
import sys

from importer_helpers import FIXTURES, ROOT, SETTINGS, check_golden, scratch_site, tree

from pipeline.importer.command import run

DRAFTS = FIXTURES / "drafts"


def test_drafts_become_articles_with_their_images(tmp_path, monkeypatch, capsys):
    site = scratch_site(tmp_path)
    monkeypatch.chdir(site)
    code = run("html", str(DRAFTS), settings_file=SETTINGS, content="content")
    text = capsys.readouterr().out
    assert code == 0
    check_golden(
        "content/2012/04-logging-with-rsyslog.md",
        (site / "content/2012/04-logging-with-rsyslog.md").read_text(),
    )
    check_golden(
        "content/2012/06-config-management-without-tears.md",
        (site / "content/2012/06-config-management-without-tears.md").read_text(),
    )
    check_golden("drafts-report.txt", text.replace(str(DRAFTS), "DRAFTS"))
    stored = site / "content/2012/images/04-diagram.png"
    assert stored.read_bytes() == (DRAFTS / "2012/04/diagram.png").read_bytes()
    # Nothing outside the draft's folder is ever read.
    assert (
        "image ../../../../secret.png not stored (outside the draft's folder: not read)"
    ) in text
    # The same drafts again: nothing changes.
    before = tree(site / "content")
    assert run("html", str(DRAFTS), settings_file=SETTINGS, content="content") == 0
    assert tree(site / "content") == before
    build = subprocess.run(
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
    assert build.returncode == 0, build.stdout + build.stderr


def test_a_very_long_title_gives_a_slug_the_site_accepts(tmp_path, monkeypatch):
    """A title of 80 words made a 400-character file name (OSError: File
    name too long) and a slug the article rules refuse."""
    site = scratch_site(tmp_path)
    monkeypatch.chdir(site)
    title = "word " * 80
    draft = tmp_path / "drafts" / "2018" / "05" / "draft.html"
    draft.parent.mkdir(parents=True)
    draft.write_text(
        f"<html><head><title>{title}</title></head>"
        f"<body><h1>{title}</h1><p>Hello.</p></body></html>",
        encoding="utf-8",
    )
    assert run("html", str(draft), settings_file=SETTINGS, content="content") == 0
    slug = "-".join(["word"] * 16)  # 79 characters: cut at a word
    written = site / "content" / "2018" / f"05-{slug}.md"
    assert f"\nSlug: {slug}\n" in written.read_text(encoding="utf-8")
