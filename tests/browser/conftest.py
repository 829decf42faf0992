"""Browser fixtures: the built site served over real HTTP on 127.0.0.1 and
Debian's Chromium driven by Playwright (never `playwright install`)."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

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
    from site_builds import build_as_of

    return build_as_of(output, today)


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


# Production builds served under their public address: a tab answers
# requests for these hosts from the folder (Playwright fulfils them; no DNS,
# no network), so absolute URLs and the production checks stay as they are.
SITES: dict[str, Path] = {}
PUBLIC_HOST = "sysadvent.example.org"


class Site:
    """A built folder served at its public URL by every tab."""

    def __init__(self, folder: Path, host: str = PUBLIC_HOST):
        self.folder = folder
        self.url = f"https://{host}/"
        SITES[host] = folder


@pytest.fixture(scope="session")
def full_server(tmp_path_factory):
    """The production build (`--publish`) of the real content and the fixture
    season of 25 articles as of 31 December 2017, served at its public URL."""
    from site_builds import build_as_of, with_season25

    root = tmp_path_factory.mktemp("full")
    output = build_as_of(
        root / "output", "2017-12-31", publish=True, content=with_season25(root)
    )
    yield Site(output)
    SITES.pop(PUBLIC_HOST, None)


def serve_from_folder(route, folder: Path) -> None:
    """Answer a request from a built folder as a static host would."""
    path = unquote(urlsplit(route.request.url).path).lstrip("/")
    target = (folder / path).resolve()
    if target.is_dir():
        target = target / "index.html"
    if not target.is_relative_to(folder.resolve()) or not target.is_file():
        route.fulfill(status=404, path=str(folder / "404.html"))
        return
    route.fulfill(path=str(target))


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

    def __init__(
        self, browser, scheme="light", width=1280, height=900, javascript=True
    ):
        self.context = browser.new_context(
            color_scheme=scheme,
            viewport={"width": width, "height": height},
            java_script_enabled=javascript,
        )
        self.page = self.context.new_page()
        self.outside = []
        self.errors = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.context.route("**/*", self._route)

    def _route(self, route):
        host = urlsplit(route.request.url).hostname
        if host in SITES:
            serve_from_folder(route, SITES[host])
        elif route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
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
