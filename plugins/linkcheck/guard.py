"""Never let the checker reach a private, loopback, link-local or metadata address.

Pull-request content is untrusted: a link (or a redirect) to 169.254.169.254
or 10.0.0.1 must not turn CI into a probe of its own network. The check is on
the address actually connected to: the resolver below vets every address it
hands to the connector, so a DNS answer that changes between two look-ups
(DNS rebinding) cannot slip through; IP literals are vetted before the request.
"""

from __future__ import annotations

import ipaddress

from aiohttp.abc import AbstractResolver
from aiohttp.resolver import ThreadedResolver


class BlockedAddress(OSError):
    """The host resolves to an address the checker must not connect to."""

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
        if ip.is_private or ip in _SHARED:
            return "private network"
        if ip.is_multicast or ip.is_reserved or ip.is_unspecified or not ip.is_global:
            return "not a public address"
        return ""

    def check_literal(self, host: str) -> None:
        """Raise BlockedAddress when `host` is an IP literal that is refused."""
        bare = host.strip("[]")
        try:
            ipaddress.ip_address(bare.split("%", 1)[0])
        except ValueError:
            return  # a name: the resolver vets what it resolves to
        reason = self.why_blocked(bare)
        if reason:
            raise BlockedAddress(host, bare, reason)


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
