"""The site works under its own Content-Security-Policy, and no vector of the
XSS corpus runs in a real browser.

A production build is served by a plain static server that sends the headers
of the `_headers` file the build wrote (as Netlify or Cloudflare Pages do);
every page type is loaded in Chromium, which reports any violation of the
policy as a `securitypolicyviolation` event.
"""

from __future__ import annotations

import fnmatch
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import SiteFixture
from xss_corpus import VECTORS, build_with_vectors, write_vectors

from plugins.sanitize.csp import parse_headers_file

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


class HeadersHandler(SimpleHTTPRequestHandler):
    """Static files, with the headers `_headers` gives each path."""

    def end_headers(self):
        rules = self.server.rules()
        for pattern, headers in rules:
            if fnmatch.fnmatch(self.path.split("?")[0], pattern):
                for name, value in headers.items():
                    self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args):
        pass


class HeadersServer:
    """A server started before the build (the site's URL needs its port)."""

    def __init__(self, folder: Path):
        self.folder = folder
        handler = functools.partial(HeadersHandler, directory=str(folder))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.rules = self._rules
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def _rules(self):
        path = self.folder / "_headers"
        return parse_headers_file(path.read_text()) if path.exists() else []

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _served_build(tmp_path_factory, name, **options):
    site = SiteFixture(tmp_path_factory.mktemp(name))
    write_vectors(site)
    server = HeadersServer(site.output)
    build_with_vectors(site, siteurl=server.url, **options)
    return server


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """The real content plus the corpus, content rules off, served with _headers."""
    server = _served_build(tmp_path_factory, "csp-site")
    yield server
    server.close()


@pytest.fixture(scope="module")
def unprotected(tmp_path_factory):
    """The control: no sanitizer, no autoescaping, no content rules."""
    server = _served_build(
        tmp_path_factory, "csp-control", sanitizer=False, autoescape=False
    )
    yield server
    server.close()


PAGE_TYPES = [
    "/",
    "/2017/",
    "/2017/12/day-12-monitoring-postgres-replication-lag.html",
    "/people/",
    "/people/emily-freeman/",
    "/archive/",
    "/tags/",
    "/tags/postgresql/",
    "/about/",
    "/feeds/",
    "/404.html",
]


def _open(tab, url):
    t = tab()
    t.page.add_init_script(RECORD_VIOLATIONS)
    dialogs = []
    t.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    response = t.page.goto(url)
    t.page.wait_for_load_state("load")
    return t, response, dialogs


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_every_page_type_works_under_the_policy(tab, production, path):
    t, response, _ = _open(tab, production.url + path)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    t.page.wait_for_timeout(200)
    assert t.page.evaluate("window.__violations") == []


def test_search_runs_its_webassembly_under_the_policy(tab, production):
    t, _, _ = _open(tab, production.url + "/search/?q=replication")
    t.page.wait_for_selector("#search-results li", timeout=15000)
    assert "replication" in t.page.inner_text("#search-results").lower()
    assert t.page.evaluate("window.__violations") == []


def _vector_pages(folder: Path) -> list[str]:
    pages = ["/index.html", "/evil/", "/people/eve-example/"]
    for fields in VECTORS.values():
        pages += [
            "/" + p.relative_to(folder).as_posix()
            for p in (folder / "2017" / "12").glob(f"day-{fields['day']}-*.html")
        ]
    return pages


def _local_only(route):
    # The allowed embed (youtube-nocookie) is kept in the page; this machine
    # is offline, so every request that leaves 127.0.0.1 is refused.
    if route.request.url.startswith("http://127.0.0.1:"):
        route.continue_()
    else:
        route.abort()


def test_no_vector_runs_in_the_browser(browser, production):
    context = browser.new_context()
    context.route("**/*", _local_only)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        for path in _vector_pages(production.folder):
            page.goto(production.url + path)
            page.mouse.move(200, 200)
            page.wait_for_timeout(100)
            assert dialogs == [], path
            assert page.evaluate("window.__violations") == [], path
    finally:
        context.close()
    assert errors == []


def test_the_vectors_run_when_nothing_protects(browser, unprotected):
    """The control: the same pages, unprotected and without the policy, do
    run script (so the test above can fail)."""
    fired = []
    context = browser.new_context()
    context.route("**/*", _local_only)
    page = context.new_page()
    page.on("dialog", lambda d: (fired.append(d.message), d.dismiss()))
    for path in _vector_pages(unprotected.folder):
        page.goto(unprotected.url + path)
        page.wait_for_timeout(100)
    context.close()
    assert fired
