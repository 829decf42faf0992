"""Never let the project reach a private, loopback, link-local or metadata address.

Pull-request content is untrusted: a link (or a redirect) to 169.254.169.254
or 10.0.0.1 must not turn CI into a probe of its own network. The guard
judges what the client will connect to, not the string written:

- the host as the client normalises it (IDNA/UTS #46 through yarl: fullwidth
  digits and dots, the ideographic full stop U+3002, U+FF0E, U+FF61, case,
  a trailing dot), then read as an IP address in every form the C library
  accepts (`2130706433`, `0x7f.1`, `017700000001`, `127.1`, `0`), IPv6 with
  IPv4-mapped addresses (`[::ffff:127.0.0.1]`) and `[::]`;
- a name, by every address it resolves to, at connection time (the resolver
  below vets what it hands to the connector, so DNS rebinding cannot slip
  through);
- every redirect hop, again.

The link checker (aiohttp) uses `Guard` and `GuardedResolver`; everything
else that fetches a URL (WebSub pings, the Blogger importer's images) uses
`safe_request` / `safe_get` below, a small blocking client built on the same
rules.
"""

from __future__ import annotations

import http.client
import ipaddress
import os
import socket
import ssl
from dataclasses import dataclass, field
from urllib.parse import urljoin

import yarl
from aiohttp.abc import AbstractResolver
from aiohttp.resolver import ThreadedResolver


class FetchError(Exception):
    """A URL could not be fetched (refused by the guard, network, HTTP …)."""


class BlockedAddress(FetchError, OSError):
    """The host resolves to an address the project must not connect to."""

    def __init__(self, host: str, address: str, reason: str):
        super().__init__(f"{host} resolves to {address} ({reason}): not checked")
        self.host = host
        self.address = address
        self.reason = reason


class Guard:
    """Decides which IP addresses may be connected to."""

    def __init__(self, allow_networks=()):
        self.allowed = [ipaddress.ip_network(n, strict=False) for n in allow_networks]

    def why_blocked(self, address: str) -> str:
        """Why an address is refused ("" when it may be connected to)."""
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return "not an IP address"
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if any(ip in network for network in self.allowed):
            return ""
        if ip.is_loopback:
            return "loopback"
        if ip.is_link_local:
            return "link-local, cloud metadata"
        if ip.is_unspecified:
            return "unspecified: this very machine"
        if ip.is_private or ip in _SHARED:
            return "private network"
        if ip.is_multicast or ip.is_reserved or ip.is_unspecified or not ip.is_global:
            return "not a public address"
        return ""

    def check_literal(self, host: str) -> None:
        """Raise BlockedAddress when `host`, normalised as the client will, is
        an IP address (in any form) that is refused. Names pass: the resolver
        vets what they resolve to."""
        address = literal_address(host)
        if address is None:
            return
        reason = self.why_blocked(address)
        if reason:
            raise BlockedAddress(host, address, reason)

    def check_url(self, url: str) -> str:
        """The host of `url` as the client will connect to it; BlockedAddress
        when it is an IP address that is refused, ValueError when there is
        no usable host."""
        host = client_host(url)
        self.check_literal(host)
        return host


def client_host(url: str) -> str:
    """The host of a URL as aiohttp (yarl) connects to it: IDNA-encoded,
    lowercase, IPv6 without brackets. ValueError without a host."""
    try:
        host = yarl.URL(url).raw_host
    except (ValueError, TypeError, UnicodeError) as exc:
        raise ValueError(f"invalid URL: {exc}") from None
    if not host:
        raise ValueError("the URL has no host")
    return host


def literal_address(host: str) -> str | None:
    """The IP address a host stands for without DNS, in any spelling the C
    library accepts (dotted, integer, octal, hex, short forms), else None."""
    host = normalise_host(host)
    bare = host.split("%", 1)[0]
    try:
        return str(ipaddress.ip_address(bare))
    except ValueError:
        pass
    try:
        # inet_aton is what getaddrinfo uses for numbers-and-dots hosts.
        return socket.inet_ntoa(socket.inet_aton(bare))
    except (OSError, ValueError):
        return None


def normalise_host(host: str) -> str:
    """A host as the client sees it: IDNA-mapped (fullwidth and ideographic
    dots and digits), lowercase, without brackets or a trailing dot."""
    host = host.strip().strip("[]")
    if not host.isascii():
        try:
            host = yarl.URL.build(scheme="http", host=host).raw_host or host
        except (ValueError, UnicodeError):
            pass
    return host.rstrip(".").lower()


# 100.64.0.0/10 (carrier-grade NAT) hosts some clouds' metadata services.
_SHARED = ipaddress.ip_network("100.64.0.0/10")


class GuardedResolver(AbstractResolver):
    """A resolver that refuses a host when any of its addresses is refused."""

    def __init__(self, guard: Guard):
        self.guard = guard
        self.inner = ThreadedResolver()

    async def resolve(self, host, port=0, family=0):
        results = await self.inner.resolve(host, port, family)
        for result in results:
            reason = self.guard.why_blocked(result["host"])
            if reason:
                raise BlockedAddress(host, result["host"], reason)
        return results

    async def close(self) -> None:
        await self.inner.close()


# --- a small blocking client for everything else the project fetches --------

REDIRECTS = {301, 302, 303, 307, 308}


@dataclass
class SafeResponse:
    """A fetched URL: its final status, address, headers and body."""

    status: int
    url: str
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    redirects: list = field(default_factory=list)  # the addresses before `url`

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def safe_request(
    method: str,
    url: str,
    *,
    data: bytes | None = None,
    headers: dict | None = None,
    timeout: float = 15.0,
    max_bytes: int = 10 * 1024 * 1024,
    max_redirects: int = 5,
    allow_networks=(),
) -> SafeResponse:
    """Fetch `url` (http or https) without ever connecting to a private,
    loopback, link-local, metadata or otherwise non-public address.

    Every hop of a redirect is judged again; a name is resolved once per hop
    and the connection goes to an address that was vetted (all of the
    name's addresses must be public). No proxy from the environment is used.
    `allow_networks` (CIDRs) lets tests reach their servers on 127.0.0.x.
    A body over `max_bytes` is refused. A 303 (and a 301/302 after a POST)
    continues with GET and no body, as browsers do.

    Returns a SafeResponse for any HTTP status (check `.ok`); raises
    BlockedAddress when the guard refuses an address, FetchError for any
    other failure (network, TLS, too many redirects, too large).

        response = safe_get("https://example.org/image.png", max_bytes=2_000_000)
    """
    guard = Guard(allow_networks)
    headers = dict(headers or {})
    redirects: list[str] = []
    for _ in range(max_redirects + 1):
        answer = _one_request(guard, method, url, data, headers, timeout, max_bytes)
        location = _text(answer.headers.get("location", ""))
        if answer.status not in REDIRECTS or not location:
            answer.redirects = redirects
            return answer
        redirects.append(url)
        url = urljoin(url, location)
        if answer.status == 303 or (answer.status in (301, 302) and method == "POST"):
            method, data = "GET", None
    raise FetchError(f"more than {max_redirects} redirects")


def _text(header: str) -> str:
    """A header as sent: http.client reads bytes as Latin-1, servers send UTF-8."""
    try:
        return header.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return header


def safe_get(url: str, **options) -> SafeResponse:
    """`safe_request("GET", url, **options)`: see there."""
    return safe_request("GET", url, **options)


def _one_request(guard, method, url, data, headers, timeout, max_bytes):
    try:
        parsed = yarl.URL(url)
    except (ValueError, TypeError, UnicodeError) as exc:
        raise FetchError(f"invalid URL: {exc}") from None
    if parsed.scheme not in ("http", "https"):
        raise FetchError(f"not a web address: {url}")
    try:
        host = guard.check_url(str(url))
    except ValueError as exc:
        raise FetchError(str(exc)) from None
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    addresses = _vetted_addresses(guard, host, port)
    if parsed.scheme == "https":
        connection = _TLSConnection(host, port, addresses, timeout)
    else:
        connection = _Connection(host, port, addresses, timeout)
    target = parsed.raw_path_qs or "/"
    try:
        connection.request(method, target, body=data, headers=headers)
        response = connection.getresponse()
        body = response.read(max_bytes + 1)
        if len(body) > max_bytes:
            raise FetchError(f"the answer is larger than {max_bytes:,} bytes")
        return SafeResponse(
            response.status,
            str(url),
            {k.lower(): v for k, v in response.getheaders()},
            body,
        )
    except (OSError, http.client.HTTPException) as exc:
        if isinstance(exc, FetchError):
            raise
        raise FetchError(f"{type(exc).__name__}: {exc}") from None
    finally:
        connection.close()


def _vetted_addresses(guard: Guard, host: str, port: int) -> list:
    """Every address the host resolves to, each vetted (one refused: all are)."""
    literal = literal_address(host)
    try:
        found = socket.getaddrinfo(
            literal or host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )
    except OSError as exc:
        raise FetchError(f"{host}: host not found ({exc.strerror or exc})") from None
    for *_, sockaddr in found:
        reason = guard.why_blocked(sockaddr[0])
        if reason:
            raise BlockedAddress(host, sockaddr[0], reason)
    return [(family, sockaddr) for family, _, _, _, sockaddr in found]


def _connect(addresses, timeout):
    last = None
    for family, sockaddr in addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            sock.close()
            last = exc
    raise FetchError(f"connection failed: {last}")


class _Connection(http.client.HTTPConnection):
    """Connects to a vetted address, never to what a second look-up says."""

    def __init__(self, host, port, addresses, timeout):
        super().__init__(host, port, timeout=timeout)
        self._addresses = addresses

    def connect(self):
        self.sock = _connect(self._addresses, self.timeout)


class _TLSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, addresses, timeout):
        context = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=context)
        self._addresses = addresses

    def connect(self):
        sock = _connect(self._addresses, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def networks_from_env(name: str) -> list[str]:
    """CIDRs listed (space- or comma-separated) in an environment variable."""
    return os.environ.get(name, "").replace(",", " ").split()
