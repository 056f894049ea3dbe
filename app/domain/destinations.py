"""Where the server may send what a caller asks it to ship: the operator's allow-list (`LINEAGE_SHIP_ALLOW`).

An OpenLineage exporter names a URL, so without a rule any editor could make the server reach any host and port
(an internal admin page, a cloud metadata address) and read the answers' differences. The rule:

- only `http` and `https`;
- the host must be named by the allow-list, or every address it resolves to must lie in a listed network
  (`10.1.0.0/16`, `2001:db8::/32`); nothing is allowed when the list is empty;
- loopback, private, link-local and other special addresses are allowed only by an entry that names them: a
  hostname, or a network narrower than the whole address space (`0.0.0.0/0` lets the public Internet through,
  not 127.0.0.1 or 169.254.169.254);
- a plain-HTTP request goes to the address that was checked (its Host header kept), so a name that resolves
  elsewhere a moment later cannot redirect it; HTTPS verifies the certificate of the name.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from app.errors import BadRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class AllowList:
    hosts: frozenset[str] = frozenset()
    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, entries: str | tuple[str, ...] | list[str] | None) -> AllowList:
        """`a.example.com, 10.0.0.0/8, 127.0.0.1` (commas or whitespace); a bad entry is an error at start-up."""
        items = entries.replace(",", " ").split() if isinstance(entries, str) else list(entries or ())
        hosts, networks = set(), []
        for item in items:
            try:
                networks.append(ipaddress.ip_network(item.strip("[]"), strict=False))
            except ValueError:
                if not item or "/" in item:
                    raise ValueError(f"LINEAGE_SHIP_ALLOW: {item!r} is neither a host name nor a network") from None
                hosts.add(item.lower().rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def admits(self, host: str, address: Address) -> bool:
        if host.lower().rstrip(".") in self.hosts:
            return True
        special = not address.is_global
        return any(address in net and not (special and net.prefixlen == 0) for net in self.networks)


@dataclass(frozen=True)
class Destination:
    """A checked destination: the URL to connect to (the checked address for plain HTTP) and the Host header."""

    url: str
    host_header: str | None


def check(uri: str, endpoint: str, allow: AllowList, *, field: str) -> Destination:
    """The destination of `uri` + `endpoint`, or a 400 that says only that it is not an allowed destination
    (whether the name resolves, or where, is not the caller's to learn)."""
    url = urljoin(uri.strip().rstrip("/") + "/", endpoint.lstrip("/")) if endpoint else uri.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadRequest(f"{field}: an OpenLineage destination is an http(s) URL, not {uri!r}", field=field)
    refused = BadRequest(
        f"{field}: {parts.scheme}://{parts.hostname} is not an allowed destination (the operator lists them in "
        "LINEAGE_SHIP_ALLOW)",
        field=field,
    )
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise refused from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not addresses or not all(allow.admits(parts.hostname, a) for a in addresses):
        raise refused
    if parts.scheme == "https":
        return Destination(url=url, host_header=None)
    pinned = f"[{addresses[0]}]" if addresses[0].version == 6 else str(addresses[0])
    host_header = parts.hostname + (f":{parts.port}" if parts.port else "")
    return Destination(
        url=urlunsplit(("http", f"{pinned}:{port}", parts.path, parts.query, "")), host_header=host_header
    )
