"""DNS look-ups for custom domains, through dnspython.

The resolver is the system's unless ``settings.DNS_RESOLVER`` names one (``"127.0.0.1:5353"``:
the tests' own server on loopback). No answer cache: a record an admin has just created or
removed is seen at the next look-up, as far as the resolver asked allows.

A name that does not exist, or has no record of the type asked, is an empty answer. A
resolver that does not answer (time-out, server failure, no configuration) raises
``LookupFailed``: nothing is known, and callers must not read it as "the record is gone".
"""

import dns.exception
import dns.name
import dns.resolver
from django.conf import settings


class LookupFailed(Exception):
    """The DNS gave no answer, neither yes nor no."""


def _resolver() -> dns.resolver.Resolver:
    configured = settings.DNS_RESOLVER
    try:
        resolver = dns.resolver.Resolver(configure=not configured)
    except dns.resolver.NoResolverConfiguration as error:
        raise LookupFailed("no resolver configured") from error
    if configured:
        host, _colon, port = configured.rpartition(":")
        if not host:  # "127.0.0.1" alone: the standard port
            host, port = configured, "53"
        resolver.nameservers = [host.strip("[]")]
        resolver.port = int(port)
    resolver.lifetime = settings.DNS_TIMEOUT_SECONDS
    resolver.timeout = settings.DNS_TIMEOUT_SECONDS
    resolver.cache = None
    return resolver


def _answer(name: str, rdtype: str) -> list:
    try:
        return list(_resolver().resolve(name, rdtype, search=False))
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    except (dns.resolver.NoNameservers, dns.exception.Timeout, dns.resolver.YXDOMAIN) as error:
        raise LookupFailed(type(error).__name__) from error
    except dns.exception.DNSException as error:
        raise LookupFailed(type(error).__name__) from error


def txt_values(name: str) -> list[str]:
    """The values of the TXT records at ``name`` (each record's strings joined)."""
    return [
        b"".join(record.strings).decode("ascii", errors="replace")
        for record in _answer(name, "TXT")
    ]


def cname_of(name: str) -> str | None:
    """Where a CNAME at ``name`` points (lowercase, without the final dot), or None."""
    for record in _answer(name, "CNAME"):
        return record.target.to_text(omit_final_dot=True).lower()
    return None


def addresses_of(name: str) -> set[str]:
    """The IPv4 and IPv6 addresses ``name`` resolves to."""
    return {record.address for rdtype in ("A", "AAAA") for record in _answer(name, rdtype)}


def points_to(name: str, target: str) -> bool:
    """Whether ``name`` reaches ``target``: a CNAME to it, or (an apex domain, which cannot
    have a CNAME) only addresses that are ``target``'s own."""
    target = target.lower().rstrip(".")
    if cname_of(name) == target:
        return True
    addresses = addresses_of(name)
    return bool(addresses) and addresses <= addresses_of(target)
