"""Which addresses a fetch may reach: public ones, unless the run says otherwise.

A page, a redirect or a link can name any host, and a public name can resolve to 127.0.0.1. Run
unattended (in CI, on a schedule, often as root in a container), a fetcher that followed them would
request, and the report would quote, whatever listens on the machine or its network: an admin page, a
database console, the cloud metadata service at 169.254.169.254. So every hop's host is checked by the
addresses it resolves to (``address_refusal``), and one that is loopback, private, link-local,
unspecified, multicast or reserved is refused, unless it is the run's own start host or the run
allows private addresses (``FetchConfig``).

The classification is the standard ``ipaddress`` module's, with two refinements: an IPv4-mapped IPv6
address (``::ffff:127.0.0.1``) is judged as the IPv4 address it carries (Python 3.11 calls it neither
loopback nor private), and "private" is kept for the RFC 1918 and RFC 4193 ranges, so that the other
non-global ranges (shared address space, documentation, benchmarking) are named "reserved".
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable

from notice_audit.fetch.local import FetchError

#: The cloud metadata service of AWS, Azure, GCP and others: link-local, named for what it is.
METADATA = ipaddress.ip_address("169.254.169.254")
_PRIVATE = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"))

#: Resolves a host name (and port) to the addresses a connection could reach; raises FetchError when it cannot.
Resolver = Callable[[str, int], Awaitable[list[str]]]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_address(text: str) -> IPAddress | None:
    """The IP address ``text`` is (brackets and an IPv6 zone allowed), or None for a name."""
    try:
        return ipaddress.ip_address(text.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def address_refusal(address: str) -> str | None:
    """What kind of non-public address this is ("a private address"), or None when it is public."""
    ip = parse_address(address)
    if ip is None:
        raise ValueError(f"not an IP address: {address!r}")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip == METADATA:
        return "the cloud metadata address (link-local)"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_unspecified:
        return "an unspecified address"
    if any(ip in net for net in _PRIVATE):
        return "a private address"
    if ip.is_multicast:
        return "a multicast address"
    if not ip.is_global:
        return "a reserved address"
    return None


def normal_host(host: str) -> str:
    """A host as compared with the run's start hosts: lower case, no trailing dot, an address in its
    canonical form (``[::FFFF:7f00:1]``, ``::ffff:127.0.0.1`` and ``127.0.0.1`` are one host)."""
    ip = parse_address(host)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return str(ip) if ip is not None else host.lower().rstrip(".")


async def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for ``host`` (as a connection would use them)."""
    import asyncio  # loaded by the running loop; not at import, which a run of local files makes too
    import socket  # loaded by the HTTP client too; a run of local files resolves nothing

    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"host not found: {host}") from exc
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"host not found: {host} ({exc})") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))
