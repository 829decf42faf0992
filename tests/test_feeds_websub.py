"""WebSub: with a hub set, every feed names it, and `invoke websub-ping`
pings it for every feed of the built site (a real hub on 127.0.0.1)."""

from __future__ import annotations

import os
import subprocess
import sys

from bs4 import BeautifulSoup
from conftest import ROOT
from test_feeds_build import feed_files, load_json_feed, parse_xml
from test_feeds_units import hub  # noqa: F401  (the fixture)

SITE = "https://sysadvent.example.net"


def test_feeds_link_the_hub_and_websub_ping_pings_it(site, hub, monkeypatch):  # noqa: F811
    url, pings = hub
    monkeypatch.setenv("SYSADVENT_SITEURL", SITE)
    monkeypatch.setenv("SYSADVENT_WEBSUB_HUB", f"{url}/hub")
    result = site.build(today="2017-12-31", settings="publishconf.py")
    assert result.returncode == 0, result.stderr

    feeds = site.output / "feeds"
    atom = parse_xml(feeds / "all.atom.xml")
    links = {link.rel: link.href for link in atom.feed.links}
    assert links["hub"] == f"{url}/hub"
    assert links["self"] == f"{SITE}/feeds/all.atom.xml"
    rss = BeautifulSoup((feeds / "2017.rss.xml").read_bytes(), "xml")
    assert rss.channel.find("atom:link", rel="hub")["href"] == f"{url}/hub"
    assert rss.channel.find("link", recursive=False).string == f"{SITE}/2017/"
    doc = load_json_feed(feeds / "tags/devops.json")
    assert doc["hubs"] == [{"type": "WebSub", "url": f"{url}/hub"}]

    ping = subprocess.run(
        [sys.executable, "-m", "invoke", "websub-ping", "--output", str(site.output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=os.environ,
    )
    assert ping.returncode == 0, ping.stdout + ping.stderr
    expected = sorted(f"{SITE}/feeds/{name}" for name in feed_files(site.output))
    assert sorted(p[1]["hub.url"][0] for p in pings) == expected
    assert {p[0] for p in pings} == {"/hub"}
    assert all(p[1]["hub.mode"] == ["publish"] for p in pings)
    assert f"pinged {len(expected)}/{len(expected)} feed(s)" in ping.stdout


def test_websub_ping_fails_when_the_hub_does(site, hub, monkeypatch):  # noqa: F811
    url, _ = hub
    result = site.build(today="2017-12-31")
    assert result.returncode == 0, result.stderr
    ping = subprocess.run(
        [
            sys.executable,
            "-m",
            "invoke",
            "websub-ping",
            "--output",
            str(site.output),
            "--hub",
            f"{url}/broken",
            "--siteurl",
            SITE,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert ping.returncode == 1
    assert "hub answered 500" in ping.stdout


def test_without_a_hub_feeds_name_none_and_ping_does_nothing(built_site):
    for path in feed_files(built_site).values():
        assert (
            b'rel="hub"' not in path.read_bytes() and b'"hubs"' not in path.read_bytes()
        )
    ping = subprocess.run(
        [sys.executable, "-m", "invoke", "websub-ping", "--output", str(built_site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "SYSADVENT_WEBSUB_HUB"},
    )
    assert ping.returncode == 0
    assert "nothing to ping" in ping.stdout
