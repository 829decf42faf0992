"""`invoke serve` previews a saved article from a warm build: the page it
rewrites is the page a full build writes, and the full build still follows."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import CORPUS12_ARTICLES, CORPUS12_TODAY

from pipeline.serve import Server
from pipeline.site import build_site

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "pelicanconf.py"
ARTICLES, TODAY = CORPUS12_ARTICLES, CORPUS12_TODAY


@pytest.fixture
def content(corpus12) -> Path:
    return corpus12


def _edit(path: Path, sentence: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"\n{sentence}\n")


def test_a_saved_article_is_rewritten_as_a_full_build_writes_it(content, tmp_path):
    server = Server(SETTINGS, tmp_path / "out", TODAY, content)
    try:
        assert server.rebuild()
        article = sorted(content.glob("*/*.md"))[3]
        _edit(article, "A sentence written while serving.")
        page = server.update(article)
    finally:
        server.close()
    assert page and page.endswith(".html")
    served = (tmp_path / "out" / page).read_bytes()
    assert b"A sentence written while serving." in served
    reference = build_site(SETTINGS, tmp_path / "ref", today=TODAY, content=content)
    assert reference.ok
    assert served == (tmp_path / "ref" / page).read_bytes()


def test_an_article_saved_during_a_full_build_is_previewed_at_once(content, tmp_path):
    server = Server(SETTINGS, tmp_path / "out", TODAY, content)
    try:
        assert server.rebuild()
        first = server.warm
        server.rebuild_soon()  # a full build starts in the background
        article = sorted(content.glob("*/*.md"))[4]
        _edit(article, "Saved while the site was rebuilding.")
        page = server.update(article)
        assert page, "the previous build's worker previews it"
        assert b"Saved while the site" in (tmp_path / "out" / page).read_bytes()
        server.rebuild_soon()  # changed during the build: one more follows
        server.wait()
        assert server.warm is not first and server.warm is not None
        assert b"Saved while the site" in (tmp_path / "out" / page).read_bytes()
    finally:
        server.close()


def test_a_changed_header_needs_the_full_build(content, tmp_path):
    server = Server(SETTINGS, tmp_path / "out", TODAY, content)
    try:
        assert server.rebuild()
        article = sorted(content.glob("*/*.md"))[2]
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("Title: ", "Title: New ", 1), "utf-8")
        assert server.update(article) is None
        unknown = content / "2008" / "99-not-built.md"
        unknown.write_text("Title: x\n\nbody\n", encoding="utf-8")
        assert server.update(unknown) is None
    finally:
        server.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_shows_an_edit_before_the_full_rebuild(content, tmp_path):
    port = _free_port()
    code = (
        "from pipeline.serve import serve; "
        f"serve({str(SETTINGS)!r}, {str(tmp_path / 'out')!r}, port={port}, "
        f"today={TODAY!r}, content={str(content)!r})"
    )
    log = open(tmp_path / "serve.log", "w+")
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 240
        while "serving http" not in (tmp_path / "serve.log").read_text():
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        time.sleep(1)  # the watcher starts after the first build
        article = sorted(content.glob("*/*.md"))[5]
        page = next(
            p for p in (tmp_path / "out").rglob("*.html") if article.stem[3:] in p.name
        )
        url = f"http://127.0.0.1:{port}/{page.relative_to(tmp_path / 'out').as_posix()}"
        _edit(article, "Seen in the preview.")
        while True:
            body = urllib.request.urlopen(url).read()
            if b"Seen in the preview." in body:
                break
            assert time.monotonic() < deadline
            time.sleep(0.05)
        # The worker writes the page before the server logs it: wait for the
        # line. The page came from the warm worker if it is logged before the
        # full build that follows the edit.
        while "updated " not in (text := (tmp_path / "serve.log").read_text()):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        first_build = text.index("rebuilt site")
        second_build = text.find("rebuilt site", first_build + 1)
        assert second_build == -1 or text.index("updated ") < second_build
    finally:
        process.terminate()
        process.wait(30)
        log.close()


def test_a_preview_page_is_replaced_whole_never_cut_short(tmp_path):
    # The warm worker's writer: a reader of the served folder (the HTTP
    # server, mid-response) sees the old page or the new one, whole.
    from pipeline.serve import _Replacing

    page = tmp_path / "day-1.html"
    page.write_text("old page " * 1000, encoding="utf-8")
    page.chmod(0o640)
    reading = open(page, encoding="utf-8")  # a response being sent
    with _Replacing(str(page), "utf-8") as handle:
        handle.write("new page " * 1000)
        assert page.read_text(encoding="utf-8") == "old page " * 1000
    assert reading.read() == "old page " * 1000
    reading.close()
    assert page.read_text(encoding="utf-8") == "new page " * 1000
    assert page.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["day-1.html"]
    # A failed render leaves the page as it was, and no temporary file.
    with pytest.raises(RuntimeError):
        with _Replacing(str(page), "utf-8") as handle:
            handle.write("half a pa")
            raise RuntimeError("template error")
    assert page.read_text(encoding="utf-8") == "new page " * 1000
    assert [p.name for p in tmp_path.iterdir()] == ["day-1.html"]
