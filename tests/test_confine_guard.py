"""The SSRF guard judges what the client will connect to: every spelling of a
private address, every redirect hop, every URL the project fetches (article
links, people links, WebSub pings, the shared `safe_get`).

Real HTTP servers on 127.0.0.x: 127.0.0.2 stands for a public site (the only
network the tests allow), 127.0.0.3 for a private host that must never see a
request.
"""

from __future__ import annotations

import asyncio
import io
import json
import shutil

import pytest
from conftest import ROOT, article_text
from test_linkcheck_external import Server, fast_settings

from pipeline.links import linkcheck
from plugins.feeds.websub import ping
from plugins.linkcheck.external import check_urls
from plugins.linkcheck.guard import (
    BlockedAddress,
    FetchError,
    Guard,
    safe_get,
    safe_request,
)

PUBLIC = ["127.0.0.2/32"]


def raw(url: str) -> str:
    """A Location header with the URL's UTF-8 bytes as they go on the wire
    (the test server writes headers as Latin-1)."""
    return url.encode("utf-8").decode("latin-1")


@pytest.fixture
def hosts():
    public, private = Server("127.0.0.2"), Server("127.0.0.3")
    yield public, private
    public.close()
    private.close()


def spellings(port: int) -> dict[str, str]:
    """The private server, 127.0.0.3, as many ways as a URL can say it."""
    return {
        "fullwidth digits and dots": f"http://１２７．０．０．３:{port}/secret",
        "ideographic full stops": f"http://127。0。0。3:{port}/secret",
        "halfwidth ideographic full stops": f"http://127｡0｡0｡3:{port}/secret",
        "fullwidth full stop U+FF0E": f"http://127．0．0．3:{port}/secret",
        "integer": f"http://2130706435:{port}/secret",
        "octal": f"http://0177.0.0.03:{port}/secret",
        "hex": f"http://0x7f.0.0.0x3:{port}/secret",
        "short form": f"http://127.3:{port}/secret",
        "trailing dot": f"http://127.0.0.3.:{port}/secret",
        "IPv4-mapped IPv6": f"http://[::ffff:127.0.0.3]:{port}/secret",
        "IPv4-mapped IPv6, hex": f"http://[::ffff:7f00:3]:{port}/secret",
        "zero": f"http://0:{port}/secret",
        "IPv6 unspecified": f"http://[::]:{port}/secret",
        "a name for loopback": f"http://LOCALHOST:{port}/secret",
    }


@pytest.mark.parametrize(
    "host,address,reason",
    [
        ("１２７．０．０．１", "127.0.0.1", "loopback"),
        ("127。0。0。1", "127.0.0.1", "loopback"),
        ("2130706433", "127.0.0.1", "loopback"),
        ("017700000001", "127.0.0.1", "loopback"),
        ("0x7f.1", "127.0.0.1", "loopback"),
        ("127.1", "127.0.0.1", "loopback"),
        ("0", "0.0.0.0", "unspecified: this very machine"),
        ("[::]", "::", "unspecified: this very machine"),
        ("[::ffff:127.0.0.1]", "::ffff:7f00:1", "loopback"),
        ("１６９．２５４．１６９．２５４", "169.254.169.254", "link-local, cloud metadata"),
        ("[::ffff:a9fe:a9fe]", "::ffff:a9fe:a9fe", "link-local, cloud metadata"),
        ("2852039166", "169.254.169.254", "link-local, cloud metadata"),
        ("10.1", "10.0.0.1", "private network"),
        ("100.64.0.1", "100.64.0.1", "private network"),
    ],
)  # fmt: skip
def test_every_spelling_of_a_private_address_is_refused(host, address, reason):
    with pytest.raises(BlockedAddress) as refused:
        Guard().check_url(f"http://{host}:8080/x")
    assert (refused.value.address, refused.value.reason) == (address, reason)


def test_public_names_and_addresses_pass_the_literal_check():
    guard = Guard()
    assert guard.check_url("https://ｅｘａｍｐｌｅ．ｏｒｇ/") == "example.org"
    assert guard.check_url("https://93.184.215.14/") == "93.184.215.14"
    assert guard.check_url("https://bücher.example/") == "xn--bcher-kva.example"


def test_the_link_checker_never_reaches_the_private_host(hosts):
    public, private = hosts
    urls = spellings(private.port)
    public.redirects["/hop"] = (302, raw(urls["fullwidth digits and dots"]))
    public.redirects["/hop-integer"] = (301, urls["integer"])
    public.redirects["/hop-hop"] = (302, public.url("/hop"))
    hops = [public.url("/hop"), public.url("/hop-integer"), public.url("/hop-hop")]
    settings = fast_settings(LINKCHECK_ALLOW_NETWORKS=PUBLIC, LINKCHECK_RETRIES=0)
    results, _ = asyncio.run(check_urls([*urls.values(), *hops], settings))
    for name, url in [*urls.items(), *((h, h) for h in hops)]:
        result = results[url]
        assert result.outcome == "broken", (name, result)
        assert ": not checked" in result.message, (name, result.message)
    assert sum(private.hits.values()) == 0
    assert public.hits["/hop"] == 2  # reached directly and through /hop-hop


def test_safe_get_fetches_public_pages_and_refuses_every_private_spelling(hosts):
    public, private = hosts
    public.redirects["/moved"] = (301, public.url("/ok-here"))
    answer = safe_get(public.url("/moved"), allow_networks=PUBLIC)
    assert (answer.status, answer.ok, answer.url) == (200, True, public.url("/ok-here"))
    assert answer.body == b"<html><body>fine</body></html>"
    assert answer.redirects == [public.url("/moved")]
    assert safe_get(public.url("/status/404"), allow_networks=PUBLIC).status == 404

    for name, url in spellings(private.port).items():
        with pytest.raises(BlockedAddress):
            safe_get(url, allow_networks=PUBLIC)
        public.redirects[f"/to-{len(name)}"] = (302, raw(url))
        with pytest.raises(BlockedAddress):
            safe_get(public.url(f"/to-{len(name)}"), allow_networks=PUBLIC)
    # Nothing but loopback here: without the allow-list even "public" is refused.
    with pytest.raises(BlockedAddress) as refused:
        safe_get(public.url("/ok"))
    assert (
        str(refused.value) == "127.0.0.2 resolves to 127.0.0.2 (loopback): not checked"
    )
    assert sum(private.hits.values()) == 0


def test_safe_get_limits_size_redirects_and_schemes(hosts):
    public, _ = hosts
    with pytest.raises(FetchError, match="larger than 1,000 bytes"):
        safe_get(public.url("/huge"), allow_networks=PUBLIC, max_bytes=1000)
    with pytest.raises(FetchError, match="more than 5 redirects"):
        safe_get(public.url("/loop"), allow_networks=PUBLIC)
    with pytest.raises(FetchError, match="not a web address"):
        safe_get("file:///etc/hostname")
    public.redirects["/to-file"] = (302, "file:///etc/hostname")
    with pytest.raises(FetchError, match="not a web address"):
        safe_get(public.url("/to-file"), allow_networks=PUBLIC)
    answer = safe_request("POST", public.url("/ok"), data=b"x=1", allow_networks=PUBLIC)
    assert answer.status == 501  # the test server answers GET and HEAD only


def test_websub_pings_never_reach_a_private_hub(hosts, monkeypatch):
    _, private = hosts
    monkeypatch.delenv("SYSADVENT_WEBSUB_ALLOW_NETWORKS", raising=False)
    for url in spellings(private.port).values():
        (result,) = ping(url, ["https://sysadvent.example.org/feeds/all.atom.xml"])
        assert (result.ok, result.status) == (False, 0)
        assert result.error.endswith(": not checked"), result.error
    assert sum(private.hits.values()) == 0


def test_people_links_are_checked_and_reported_at_their_line(tmp_path, hosts):
    public, private = hosts
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for path in content.glob("20*/*.md"):
        path.unlink()
    registry = content / "people.toml"
    text = registry.read_text(encoding="utf-8")
    # eric-sigler writes the one article (a page of his own); nobody-yet has
    # no page, and his links are checked all the same.
    text = text.replace(
        '[eric-sigler]\nname = "Eric Sigler"\n',
        '[eric-sigler]\nname = "Eric Sigler"\n'
        f'links = ["{public.url("/status/410")}"]\n',
    )
    text += (
        '\n[nobody-yet]\nname = "Nobody Yet"\nlinks = [\n'
        f'  "{public.url("/ok")}",\n'
        f'  "{public.url("/status/404")}",\n'
        f'  "{spellings(private.port)["ideographic full stops"]}",\n'
        f'  "http://localhost:{private.port}/admin",\n'
        "]\n"
    )
    registry.write_text(text, encoding="utf-8")
    (content / "2017/16-one.md").write_text(
        article_text(title="One", date="2017-12-16T00:00:00-05:00", day="16")
    )
    lines = text.splitlines()

    def line_of(needle):
        return next(n for n, line in enumerate(lines, start=1) if needle in line)

    out, err = io.StringIO(), io.StringIO()
    code = linkcheck(
        ROOT / "publishconf.py",
        content,
        external=True,
        fmt="json",
        overrides={
            "LINKCHECK_ALLOW_NETWORKS": PUBLIC,
            "LINKCHECK_CACHE_PATH": str(tmp_path / "cache"),
            "LINKCHECK_TIMEOUT": 0.5,
            "LINKCHECK_RETRIES": 0,
            "LINKCHECK_HOST_MIN_GAP": 0.0,
        },
        out=out,
        err=err,
    )
    assert code == 1, err.getvalue()
    rows = [r for r in json.loads(out.getvalue()) if r["path"].endswith("people.toml")]
    found = sorted((r["line"], r["severity"], r["message"]) for r in rows)
    assert found == sorted(
        [
            (line_of("/status/410"), "error", "broken link: HTTP 410"),
            (line_of("/status/404"), "error", "broken link: HTTP 404"),
            (
                line_of("127。0。0。3"),
                "error",
                "broken link: 127.0.0.3 resolves to 127.0.0.3 (loopback): not checked",
            ),
            (
                line_of("localhost:"),
                "error",
                f"people link 'http://localhost:{private.port}/admin': points to "
                "the author's own machine (localhost)",
            ),
        ]
    )
    assert sum(private.hits.values()) == 0
    assert public.hits["/ok"] == 1
