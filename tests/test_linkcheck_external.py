"""External link checking against real HTTP servers on 127.0.0.x (one per "site")."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from plugins.linkcheck.cache import Cache
from plugins.linkcheck.external import check_urls
from plugins.linkcheck.settings import with_defaults

HUGE = 50 * 1024 * 1024


def fast_settings(**overrides):
    """Tiny waits so the suite stays fast; loopback allowed for the test servers."""
    settings = {
        "SITENAME": "SysAdvent",
        "SITEURL": "https://sysadvent.example.org",
        "LINKCHECK_ALLOW_NETWORKS": ["127.0.0.0/8"],
        "LINKCHECK_TIMEOUT": 0.5,
        "LINKCHECK_RETRIES": 2,
        "LINKCHECK_BACKOFF_BASE": 0.01,
        "LINKCHECK_BACKOFF_MAX": 0.05,
        "LINKCHECK_HOST_MIN_GAP": 0.0,
        "LINKCHECK_RETRY_AFTER_MAX": 2.0,
        "LINKCHECK_SLOW_LANE_GAP": 0.01,
        "LINKCHECK_MAX_BODY": 64 * 1024,
        "LINKCHECK_CACHE_PATH": None,
    }
    settings.update(overrides)
    return with_defaults(settings)


class Concurrency:
    """Requests in flight, across every server that shares it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.active = 0
        self.most = 0

    def __enter__(self):
        with self.lock:
            self.active += 1
            self.most = max(self.most, self.active)

    def __exit__(self, *exc):
        with self.lock:
            self.active -= 1


class Server:
    """A real HTTP server on one loopback address, answering by path."""

    def __init__(self, host, concurrency=None):
        self.host = host
        self.hits = Counter()
        self.methods = []
        self.agents = set()
        self.starts = []  # (path, monotonic time) of each request
        self.sent = {}  # bytes written by the huge-body routes
        self.queries = []
        self.concurrency = concurrency or Concurrency()
        self.lock = threading.Lock()
        self.redirects = {}  # path -> (status, location) set by tests
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_HEAD(self):
                self.do_GET()

            def do_GET(self):
                path = urlsplit(self.path).path
                with server.lock:
                    server.hits[path] += 1
                    count = server.hits[path]
                    server.methods.append(self.command)
                    server.agents.add(self.headers.get("User-Agent"))
                    server.starts.append((path, time.monotonic()))
                    server.queries.append(parse_qs(urlsplit(self.path).query))
                server.answer(self, path, count)

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, args=(0.02,), daemon=True
        )
        self.thread.start()

    def url(self, path):
        return f"http://{self.host}:{self.port}{path}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def answer(self, h, path, count):
        if path in self.redirects:
            status, location = self.redirects[path]
            return send(h, status, headers={"Location": location})
        if path.startswith("/ok") or path.startswith("/page"):
            return send(h, 200, b"<html><body>fine</body></html>")
        if path.startswith("/status/"):
            return send(h, int(path.rsplit("/", 1)[1]))
        if path == "/flaky":  # 503 twice, then fine
            return send(h, 503 if count <= 2 else 200)
        if path == "/busy-then-ok":  # 429 with Retry-After: 1, then fine
            if count == 1:
                return send(h, 429, headers={"Retry-After": "1"})
            return send(h, 200)
        if path == "/always-429":
            return send(h, 429, headers={"Retry-After": "0"})
        if path == "/slow":
            time.sleep(1.5)
            return send(h, 200)
        if path == "/sleep":
            # Counted while working, not while the answer is written: once the
            # client has read it, its next request may start before this
            # thread gets to leave the meter.
            with self.concurrency:
                time.sleep(0.05)
            return send(h, 200)
        if path == "/head-only":
            return send(h, 200 if h.command == "HEAD" else 405)
        if path == "/no-head":
            return send(h, 405 if h.command == "HEAD" else 200)
        if path == "/loop":
            return send(h, 302, headers={"Location": "/loop"})
        if path in ("/huge", "/huge-unsized"):
            return self.stream(h, path, sized=path == "/huge")
        if path == "/wayback/available":
            url = parse_qs(urlsplit(h.path).query)["url"][0]
            body = {
                "archived_snapshots": {
                    "closest": {
                        "available": True,
                        "url": f"http://web.archive.example/2017/{url}",
                        "status": "200",
                    }
                }
            }
            return send(
                h, 200, json.dumps(body).encode(), {"Content-Type": "application/json"}
            )
        return send(h, 404)

    def stream(self, h, path, sized):
        h.send_response(200)
        if sized:
            h.send_header("Content-Length", str(HUGE))
        else:
            h.close_connection = True
        h.end_headers()
        chunk = b"x" * 65536
        sent = 0
        try:
            while sent < HUGE:
                h.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass  # the checker hung up: what we want
        self.sent[path] = sent


def send(h, status, body=b"", headers=None):
    h.send_response(status)
    for key, value in (headers or {}).items():
        h.send_header(key, value)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    if h.command != "HEAD":
        h.wfile.write(body)


@pytest.fixture
def servers():
    """Three "sites" (127.0.0.1, .2 and .3) sharing one concurrency meter."""
    shared = Concurrency()
    started = [Server(f"127.0.0.{n}", shared) for n in (1, 2, 3)]
    yield started
    for server in started:
        server.close()


def check(url_list, settings=None, cache=None):
    results, checker = asyncio.run(
        check_urls(url_list, settings or fast_settings(), cache)
    )
    return results, checker


def test_outcomes_by_status(servers):
    a, b, _ = servers
    urls = {
        "ok": a.url("/ok"),
        "404": a.url("/status/404"),
        "410": b.url("/status/410"),
        "403": b.url("/status/403"),
        "999": a.url("/status/999"),
        "400": a.url("/status/400"),
    }
    results, _ = check(list(urls.values()))
    outcome = {k: (results[u].outcome, results[u].status) for k, u in urls.items()}
    assert outcome == {
        "ok": ("ok", 200),
        "404": ("broken", 404),
        "410": ("broken", 410),
        "403": ("unknown", 403),
        "999": ("unknown", 999),
        "400": ("broken", 400),
    }
    # No retry on a plain answer, and an honest User-Agent.
    assert a.hits["/status/404"] == 1
    assert a.agents == {"SysAdvent-linkcheck/1.0 (+https://sysadvent.example.org)"}


def test_accepted_statuses_are_configurable(servers):
    a = servers[0]
    results, _ = check([a.url("/status/403")], fast_settings(LINKCHECK_ACCEPT=[403]))
    assert results[a.url("/status/403")].outcome == "ok"


def test_5xx_is_retried_until_it_clears(servers):
    a = servers[0]
    results, _ = check([a.url("/flaky"), a.url("/status/502")])
    flaky = results[a.url("/flaky")]
    assert (flaky.outcome, flaky.status, flaky.attempts) == ("ok", 200, 3)
    assert a.hits["/flaky"] == 3
    failing = results[a.url("/status/502")]
    assert (failing.outcome, failing.status) == ("unknown", 502)
    assert a.hits["/status/502"] == 3  # one try and two retries


def test_retry_after_is_obeyed(servers):
    a = servers[0]
    results, _ = check([a.url("/busy-then-ok")])
    assert results[a.url("/busy-then-ok")].outcome == "ok"
    times = [t for path, t in a.starts if path == "/busy-then-ok"]
    assert len(times) == 2
    assert times[1] - times[0] >= 0.9  # Retry-After: 1 (a lower bound, not a speed)


def test_a_host_that_keeps_answering_429_moves_to_the_slow_lane(servers):
    a, b, _ = servers
    urls = [a.url("/always-429"), a.url("/ok-later"), b.url("/ok")]
    results, _ = check(urls)
    limited = results[a.url("/always-429")]
    assert (limited.outcome, limited.status) == ("unknown", 429)
    assert "rate limited" in limited.message
    # Three tries in the normal lane, three more in the slow lane at the end.
    assert a.hits["/always-429"] == 6
    # The other sites were not held up, and the host's other URL still got checked.
    assert results[b.url("/ok")].outcome == "ok"
    assert results[a.url("/ok-later")].outcome == "ok"
    order = [path for path, _ in a.starts]
    assert order[-3:] == ["/always-429"] * 3 or order[-4:-1] == ["/always-429"] * 3


def test_timeouts_are_unknown_after_retries(servers):
    a = servers[0]
    settings = fast_settings(LINKCHECK_TIMEOUT=0.2, LINKCHECK_RETRIES=1)
    results, _ = check([a.url("/slow")], settings)
    slow = results[a.url("/slow")]
    assert slow.outcome == "unknown"
    assert "timed out" in slow.message
    assert a.hits["/slow"] == 2


def test_huge_bodies_are_not_downloaded(servers):
    a = servers[0]
    results, _ = check([a.url("/huge"), a.url("/huge-unsized")])
    assert results[a.url("/huge")].outcome == "ok"
    assert results[a.url("/huge-unsized")].outcome == "ok"
    deadline = time.monotonic() + 5
    while len(a.sent) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert a.sent["/huge"] < HUGE
    assert a.sent["/huge-unsized"] < HUGE


def test_redirects_are_followed_and_permanent_ones_name_the_new_address(servers):
    a, b, _ = servers
    a.redirects["/moved"] = (301, "/ok-new")
    a.redirects["/found"] = (302, "/ok")
    a.redirects["/chain"] = (301, b.url("/chain2"))
    b.redirects["/chain2"] = (308, "/chain3")
    b.redirects["/chain3"] = (302, a.url("/ok-final"))
    a.redirects["/moved-gone"] = (301, "/status/404")
    results, _ = check(
        [a.url(p) for p in ("/moved", "/found", "/chain", "/loop", "/moved-gone")]
    )
    moved = results[a.url("/moved")]
    assert (moved.outcome, moved.moved_to, moved.final_url) == (
        "ok",
        a.url("/ok-new"),
        a.url("/ok-new"),
    )
    found = results[a.url("/found")]
    assert (found.outcome, found.moved_to, found.final_url) == ("ok", "", a.url("/ok"))
    chain = results[a.url("/chain")]
    # Update the link to the last permanent address, not the temporary one.
    assert (chain.outcome, chain.moved_to, chain.final_url) == (
        "ok",
        b.url("/chain3"),
        a.url("/ok-final"),
    )
    assert results[a.url("/loop")].outcome == "broken"
    assert "redirects" in results[a.url("/loop")].message
    gone = results[a.url("/moved-gone")]
    assert (gone.outcome, gone.status) == ("broken", 404)


def test_redirects_to_private_addresses_are_refused(servers):
    a, b, _ = servers
    a.redirects["/to-metadata"] = (302, "http://169.254.169.254/latest/meta-data/")
    a.redirects["/to-intranet"] = (301, "http://10.0.0.1/admin")
    a.redirects["/to-other-loopback"] = (302, b.url("/ok"))
    # Only a's address is allowed: b (127.0.0.2) stands for a private host.
    settings = fast_settings(LINKCHECK_ALLOW_NETWORKS=["127.0.0.1/32"])
    results, _ = check(
        [a.url("/to-metadata"), a.url("/to-intranet"), a.url("/to-other-loopback")],
        settings,
    )
    for path, words in (
        ("/to-metadata", "169.254.169.254 (link-local"),
        ("/to-intranet", "10.0.0.1 (private"),
        ("/to-other-loopback", "127.0.0.2 (loopback"),
    ):
        result = results[a.url(path)]
        assert result.outcome == "broken", path
        assert words in result.message
    assert b.hits["/ok"] == 0  # never reached


def test_without_the_allow_list_loopback_is_never_requested(servers):
    a = servers[0]
    settings = fast_settings(LINKCHECK_ALLOW_NETWORKS=[])
    by_ip = a.url("/ok")
    by_name = f"http://localhost:{a.port}/ok-by-name"  # the resolver's answer is vetted
    results, _ = check([by_ip, by_name], settings)
    assert results[by_ip].outcome == "broken"
    assert "loopback" in results[by_ip].message
    assert results[by_name].outcome == "broken"
    assert "loopback" in results[by_name].message
    assert sum(a.hits.values()) == 0


def test_per_host_limit_and_global_limit(servers):
    a, b, _ = servers
    urls = [a.url(f"/sleep?n={n}") for n in range(6)] + [
        b.url(f"/sleep?n={n}") for n in range(6)
    ]
    results, checker = check(urls, fast_settings(LINKCHECK_HOST_CONCURRENCY=2))
    assert {r.outcome for r in results.values()} == {"ok"}
    assert a.hits["/sleep"] == 6 and b.hits["/sleep"] == 6
    assert max(h.max_active for h in checker.hosts.values()) <= 2
    assert a.concurrency.most <= 4  # two hosts, two each
    results, _ = check(
        [a.url(f"/sleep?m={n}") for n in range(4)]
        + [b.url(f"/sleep?m={n}") for n in range(4)],
        fast_settings(LINKCHECK_CONCURRENCY=1, LINKCHECK_HOST_CONCURRENCY=2),
    )
    assert {r.outcome for r in results.values()} == {"ok"}


def test_global_limit_of_one_means_one_request_at_a_time(servers):
    a, b, c = servers
    a.concurrency.most = 0
    urls = [s.url(f"/sleep?n={n}") for s in (a, b, c) for n in range(3)]
    check(urls, fast_settings(LINKCHECK_CONCURRENCY=1, LINKCHECK_HOST_CONCURRENCY=3))
    assert a.concurrency.most == 1


def test_minimum_gap_between_requests_to_one_host(servers):
    a = servers[0]
    urls = [a.url(f"/ok-{n}") for n in range(4)]
    check(urls, fast_settings(LINKCHECK_HOST_MIN_GAP=0.1, LINKCHECK_HOST_CONCURRENCY=4))
    times = sorted(t for _, t in a.starts)
    assert len(times) == 4
    # The server sees each request a little after the client sends it, by a
    # varying delay on a busy machine: the gaps keep most of their 0.1 s, and
    # four requests cannot fit in less than about three gaps.
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.05, gaps
    assert times[-1] - times[0] >= 0.25, gaps


def test_head_is_opt_in_per_host_and_falls_back_to_get(servers):
    a, b, _ = servers
    settings = fast_settings(LINKCHECK_HEAD_HOSTS=["127.0.0.2"])
    results, _ = check([a.url("/ok"), b.url("/head-only"), b.url("/no-head")], settings)
    assert a.methods == ["GET"]
    assert results[b.url("/head-only")].outcome == "ok"
    assert results[b.url("/no-head")].outcome == "ok"
    assert b.methods.count("HEAD") >= 1 and "GET" in b.methods


def test_the_cache_keeps_outcomes_for_their_time_to_live(servers, tmp_path):
    a = servers[0]
    clock = [1000.0]
    ttl = {"ok": 100, "unknown": 10, "broken": 0}
    path = tmp_path / "cache" / "linkcheck.json"
    urls = [a.url("/ok"), a.url("/status/404"), a.url("/status/403")]

    def run():
        cache = Cache(path, ttl, now=lambda: clock[0])
        results, _ = check(urls, cache=cache)
        cache.save()
        return results

    run()
    assert json.loads(path.read_text())["urls"][a.url("/ok")]["outcome"] == "ok"
    clock[0] += 5
    second = run()
    assert second[a.url("/ok")].cached and second[a.url("/status/403")].cached
    assert a.hits == Counter({"/ok": 1, "/status/404": 2, "/status/403": 1})
    clock[0] += 50  # past the unknown TTL, within the ok one
    run()
    assert a.hits == Counter({"/ok": 1, "/status/404": 3, "/status/403": 2})
    clock[0] += 100
    run()
    assert a.hits["/ok"] == 2


def test_wayback_suggestion_for_broken_links(servers):
    a, _, c = servers
    settings = fast_settings(
        LINKCHECK_WAYBACK=True, LINKCHECK_WAYBACK_API=c.url("/wayback/available")
    )
    results, _ = check([a.url("/status/404"), a.url("/ok")], settings)
    assert results[a.url("/status/404")].archive == (
        f"http://web.archive.example/2017/{a.url('/status/404')}"
    )
    assert results[a.url("/ok")].archive == ""
    assert c.hits["/wayback/available"] == 1
