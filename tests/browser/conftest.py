"""Browser fixtures: the built site served over real HTTP on 127.0.0.1 and
Debian's Chromium driven by Playwright (never `playwright install`)."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# On a closed network and as root, Chromium needs these or floods the log.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "Chromium not found: install it with `apt-get install chromium` "
    "(or set CHROMIUM=/path/to/chromium); browser tests need it"
)


def build(output: Path, today: str) -> Path:
    """Build the real content as of `today` with `invoke build` (Pagefind included)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "invoke",
            "build",
            "--today",
            today,
            "--output",
            str(output),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return output


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Server:
    """A static HTTP server for one folder, like any plain web host."""

    def __init__(self, folder: Path):
        handler = functools.partial(QuietHandler, directory=str(folder))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def server(built_site):
    """The real content as of 31 December 2017 (every door open), served."""
    srv = Server(built_site)
    yield srv
    srv.close()


@pytest.fixture(scope="session")
def midseason_server(tmp_path_factory):
    """The real content as of 13 December 2017: open, empty, today and closed doors."""
    srv = Server(build(tmp_path_factory.mktemp("midseason") / "output", "2017-12-13"))
    yield srv
    srv.close()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium; skips with an install hint only outside CI."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(INSTALL_HINT)
        pytest.skip(INSTALL_HINT)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


class Tab:
    """A browser page that records every request leaving the site under test."""

    def __init__(self, browser, scheme="light", width=1280, height=900):
        self.context = browser.new_context(
            color_scheme=scheme, viewport={"width": width, "height": height}
        )
        self.page = self.context.new_page()
        self.outside = []
        self.errors = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.context.route("**/*", self._route)

    def _route(self, route):
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def close(self):
        self.context.close()


@pytest.fixture
def tab(browser):
    """A fresh light-mode desktop tab; fails the test if a request left the site
    or a script raised."""
    tabs = []

    def make(**kwargs):
        t = Tab(browser, **kwargs)
        tabs.append(t)
        return t

    yield make
    for t in tabs:
        t.close()
    for t in tabs:
        assert t.outside == [], f"requests left the site: {t.outside}"
        assert t.errors == [], f"script errors: {t.errors}"


@pytest.fixture(scope="session")
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
