"""localstripe on loopback for the whole session, and a stand-in for the three endpoints it
lacks (Checkout Sessions, the Customer Portal; prices are its legacy plans).

The Stripe client is pointed at the stand-in (``STRIPE_API_BASE``), which answers
``/v1/checkout/sessions`` and ``/v1/billing_portal/sessions`` itself and passes every other
request on to localstripe unchanged. Events Stripe would send for those endpoints are built
here and signed with the SDK's own helper (``stripe.WebhookSignature``).
"""

import importlib
import json
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
import stripe
from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.test import Client
from django_tenants.utils import schema_context

from provisioning import services as provisioning

SECRET_KEY = "sk_test_entraide"
WEBHOOK_SECRET = "whsec_entraide_tests"
# localstripe, bound to loopback only, without its pickle on disk (a write per request).
LAUNCHER = (
    "import sys\n"
    "from aiohttp import web\n"
    "from localstripe.resources import store\n"
    "from localstripe.server import app\n"
    "store.dump_to_disk = lambda: None\n"
    "web.run_app(app, host='127.0.0.1', port=int(sys.argv[1]), print=None, access_log=None)\n"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def seeded_plans(db):
    """The plans billing's migration seeds, again if a test that committed flushed them."""
    seed = importlib.import_module("shared_apps.billing.migrations.0003_default_plans")
    with schema_context("public"):
        seed.seed(django_apps, None)


@pytest.fixture(scope="session")
def localstripe():
    """The base address of a localstripe process started for this session."""
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - our interpreter, a fixed script
        [sys.executable, "-c", LAUNCHER, str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            request = urllib.request.Request(f"{base}/v1/customers?limit=1")  # noqa: S310
            request.add_header("Authorization", f"Bearer {SECRET_KEY}")
            urllib.request.urlopen(request, timeout=1).read()  # noqa: S310 - loopback
            break
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("localstripe did not start") from None
            time.sleep(0.05)
    yield base
    process.terminate()
    process.wait(timeout=5)


class StandIn:
    """What the stand-in was asked: the Checkout and Portal sessions it made."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.checkouts: list[dict] = []
        self.portals: list[dict] = []
        self.base = ""


def _handler(stand_in: StandIn):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _own(self, params: dict) -> bytes | None:
            flat = {k: v[0] for k, v in params.items()}
            if self.path == "/v1/checkout/sessions" and self.command == "POST":
                session = {
                    "id": f"cs_test_{secrets.token_hex(8)}",
                    "object": "checkout.session",
                    "mode": flat.get("mode"),
                    "customer": flat.get("customer"),
                    "client_reference_id": flat.get("client_reference_id"),
                    "success_url": flat.get("success_url"),
                    "cancel_url": flat.get("cancel_url"),
                    "price": flat.get("line_items[0][price]"),
                    "metadata": {"organization_id": flat.get("metadata[organization_id]")},
                }
                session["url"] = f"{stand_in.base}/pay/{session['id']}"
                stand_in.checkouts.append(session)
                return json.dumps(session).encode()
            if self.path == "/v1/billing_portal/sessions" and self.command == "POST":
                session = {
                    "id": f"bps_{secrets.token_hex(8)}",
                    "object": "billing_portal.session",
                    "customer": flat.get("customer"),
                    "return_url": flat.get("return_url"),
                    "url": f"{stand_in.base}/portal/{secrets.token_hex(4)}",
                }
                stand_in.portals.append(session)
                return json.dumps(session).encode()
            return None

        def _relay(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            own = self._own(parse_qs(body.decode()))
            if own is not None:
                return self._answer(200, own)
            request = urllib.request.Request(  # noqa: S310 - loopback
                stand_in.upstream + self.path, data=body or None, method=self.command
            )
            for name in ("Authorization", "Content-Type", "Idempotency-Key"):
                if self.headers.get(name):
                    request.add_header(name, self.headers[name])
            try:
                with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                    return self._answer(response.status, response.read())
            except urllib.error.HTTPError as error:
                return self._answer(error.code, error.read())

        do_GET = do_POST = do_DELETE = _relay

    return Handler


@pytest.fixture(scope="session")
def stripe_stand_in(localstripe):
    """Checkout and the Customer Portal answered here; everything else relayed."""
    stand_in = StandIn(localstripe)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stand_in))
    stand_in.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield stand_in
    server.shutdown()
    server.server_close()


@pytest.fixture
def stripe_on(settings, stripe_stand_in):
    """Billing switched on, its client pointed at the stand-in (and so at localstripe)."""
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = stripe_stand_in.base
    stripe_stand_in.checkouts.clear()
    stripe_stand_in.portals.clear()
    return stripe_stand_in


@pytest.fixture(scope="session")
def stripe_api(localstripe) -> stripe.StripeClient:
    """A client straight to localstripe, for what a test does as Stripe or as the payer."""
    return stripe.StripeClient(
        SECRET_KEY, base_addresses={"api": localstripe}, max_network_retries=0
    )


def signed(event: dict, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
    """A webhook's raw body and its Stripe-Signature header, signed by the SDK's helper."""
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)
    return payload, header


def event(kind: str, obj: dict, *, event_id: str | None = None) -> dict:
    return {
        "id": event_id or f"evt_{secrets.token_hex(10)}",
        "object": "event",
        "type": kind,
        "created": int(time.time()),
        "livemode": False,
        "data": {"object": obj},
    }


@pytest.fixture
def platform(db):
    """A client on the platform's domain, where the webhook lives."""
    with schema_context("public"):
        provisioning.platform_ensure()
    return Client(HTTP_HOST=django_settings.PLATFORM_DOMAIN)


def deliver(client: Client, body: str, header: str):
    return client.post(
        "/stripe/webhook/", data=body, content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )  # fmt: skip


def pay_with_card(api: stripe.StripeClient, customer: str, number: str = "4242424242424242"):
    """The payer's card, as Checkout would attach it."""
    method = api.v1.payment_methods.create(
        params={"type": "card", "card": {"number": number, "exp_month": 12,
                                         "exp_year": 2034, "cvc": "123"}}
    )  # fmt: skip
    api.v1.payment_methods.attach(method.id, params={"customer": customer})
    api.v1.customers.update(
        customer, params={"invoice_settings": {"default_payment_method": method.id}}
    )
