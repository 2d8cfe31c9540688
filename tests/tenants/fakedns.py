"""A DNS server the tests control: dnslib's UDP server on loopback, answering from a zone
the test changes as it goes (``zone.txt(...)``, ``zone.remove(...)``), and dnspython pointed
at it through ``settings.DNS_RESOLVER``.

Names absent from the zone are NXDOMAIN; a name marked ``failing`` answers SERVFAIL, which
dnspython reports as a resolver that gave no answer.
"""

import threading

import pytest
from dnslib import AAAA, CNAME, QTYPE, RCODE, RR, TXT, A
from dnslib.server import BaseResolver, DNSLogger, DNSServer

RDATA = {"A": A, "AAAA": AAAA, "CNAME": CNAME, "TXT": TXT}


class Zone(BaseResolver):
    """name → [(type, value)], shared with the server's thread."""

    def __init__(self) -> None:
        self.records: dict[str, list[tuple[str, str]]] = {}
        self.failing: set[str] = set()
        self.queries: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    # What a test does.

    def add(self, name: str, rtype: str, value: str) -> None:
        with self._lock:
            self.records.setdefault(_key(name), []).append((rtype, value))

    def txt(self, name: str, value: str) -> None:
        self.add(name, "TXT", value)

    def remove(self, name: str, rtype: str | None = None) -> None:
        with self._lock:
            kept = [r for r in self.records.get(_key(name), []) if rtype and r[0] != rtype]
            if kept:
                self.records[_key(name)] = kept
            else:
                self.records.pop(_key(name), None)

    def clear(self) -> None:
        with self._lock:
            self.records.clear()
            self.failing.clear()
            self.queries.clear()

    # What the server does.

    def resolve(self, request, handler):
        reply = request.reply()
        name = _key(str(request.q.qname))
        qtype = QTYPE[request.q.qtype]
        with self._lock:
            self.queries.append((name, qtype))
            if name in self.failing:
                reply.header.rcode = RCODE.SERVFAIL
                return reply
            records = list(self.records.get(name, []))
        if not records:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        for rtype, value in records:
            if rtype == qtype or (rtype == "CNAME" and qtype in ("A", "AAAA")):
                reply.add_answer(RR(name, QTYPE.reverse[rtype], rdata=RDATA[rtype](value), ttl=60))
                if rtype == "CNAME" and qtype != "CNAME":
                    # Follow the alias, as a recursive resolver does.
                    with self._lock:
                        targets = list(self.records.get(_key(value), []))
                    for t_type, t_value in targets:
                        if t_type == qtype:
                            reply.add_answer(
                                RR(value, QTYPE.reverse[t_type], rdata=RDATA[t_type](t_value))
                            )
        return reply


def _key(name: str) -> str:
    return name.lower().rstrip(".")


class FakeDns:
    """The server and its zone; ``address`` is what ``DNS_RESOLVER`` takes."""

    def __init__(self) -> None:
        self.zone = Zone()
        self.server = DNSServer(
            self.zone, port=0, address="127.0.0.1", logger=DNSLogger(logf=lambda *args: None)
        )
        self.server.start_thread()
        host, port = self.server.server.server_address[:2]
        self.address = f"{host}:{port}"

    def stop(self) -> None:
        self.server.stop()
        self.server.server.server_close()


# The fixtures, imported by the modules that use them (``from tests.tenants.fakedns import
# fake_dns, zone``): one server per module, a clean zone per test.

CNAME_TARGET = "edge.entraide-sites.net"


@pytest.fixture(scope="module")
def fake_dns():
    server = FakeDns()
    yield server
    server.stop()


@pytest.fixture
def zone(fake_dns, settings):
    """The zone, with the platform's CNAME target resolving; dnspython asks this server."""
    settings.DNS_RESOLVER = fake_dns.address
    settings.DNS_TIMEOUT_SECONDS = 2.0
    settings.CUSTOM_DOMAIN_CNAME_TARGET = CNAME_TARGET
    fake_dns.zone.clear()
    fake_dns.zone.add(CNAME_TARGET, "A", "192.0.2.10")
    yield fake_dns.zone
    fake_dns.zone.clear()
