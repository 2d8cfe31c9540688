"""A paid plan at sign-up in a real browser: the form with the plans billing offers, Stripe
Checkout (a page standing in for it, over billing's stand-in and localstripe), the return
to the progress page, the network created once billing has recorded the subscription as
active.

The representative (a platform account with a verified address and an authenticator app)
is made beforehand and signs in through the real form: the free journey
(test_signup_journey.py) goes through the account's steps. The "Checkout" page is served
here: paying attaches a card and creates the subscription in localstripe, sends Stripe's
``checkout.session.completed`` to the live server's webhook, signed with the SDK's helper,
and goes back to the success address, as Stripe does.
"""

import importlib
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django_tenants.utils import schema_context
from playwright.sync_api import expect
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from shared_apps.billing import services as billing
from shared_apps.billing.models import Plan, Subscription
from shared_apps.signup.models import SignupRequest
from tenants.models import Tenant
from tests.billing.conftest import (  # noqa: F401 - billing's fixtures, asked by name below
    event,
    localstripe,
    pay_with_card,
    signed,
    stripe_api,
    stripe_on,
    stripe_stand_in,
)
from tests.browser.conftest import totp_code
from tests.signup.factories import PASSWORD, representative

pytestmark = pytest.mark.browser

JOB = "shared_apps.signup.jobs.network_create"


def checkout_page(stand_in, api, webhook_url: str) -> ThreadingHTTPServer:
    """Stripe Checkout's page for the sessions the stand-in made: "Pay" does what Stripe does."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _session(self) -> dict:
            session_id = self.path.rstrip("/").rsplit("/", 1)[-1]
            return next(s for s in stand_in.checkouts if s["id"] == session_id)

        def do_GET(self):  # noqa: N802 - http.server's name
            body = (
                b'<!doctype html><html lang="fr"><head><title>Paiement</title></head><body>'
                b"<main><h1>Paiement</h1><form method=post><button>Payer</button></form>"
                b"</main></body></html>"
            )
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):  # noqa: N802 - http.server's name
            session = self._session()
            pay_with_card(api, session["customer"])
            remote = api.v1.subscriptions.create(
                params={"customer": session["customer"], "items": [{"plan": session["price"]}],
                        "metadata": {"organization_id": session["metadata"]["organization_id"]}}
            )  # fmt: skip
            body, header = signed(event("checkout.session.completed", {
                "id": session["id"], "object": "checkout.session",
                "customer": session["customer"], "subscription": remote.id,
                "client_reference_id": session["client_reference_id"],
            }))  # fmt: skip
            delivery = urllib.request.Request(  # noqa: S310 - the live server, on loopback
                webhook_url, data=body.encode(), method="POST",
                headers={"Content-Type": "application/json", "Stripe-Signature": header},
            )  # fmt: skip
            with urllib.request.urlopen(delivery, timeout=20) as answer:  # noqa: S310
                assert answer.status == 200
            self.send_response(303)
            self.send_header("Location", session["success_url"])
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_a_paid_plan_through_checkout_to_an_active_subscription_and_the_network(
    site, page, request
):
    stand_in = request.getfixturevalue("stripe_on")
    api = request.getfixturevalue("stripe_api")
    platform = f"http://localhost:{site.port}"
    with schema_context("public"):
        importlib.import_module("shared_apps.billing.migrations.0003_default_plans").seed(
            django_apps, None
        )
        billing.plans_sync()
        plan = Plan.objects.get(code="association-mensuel")
        rep = representative("rep-paid-journey")
    server = checkout_page(stand_in, api, f"{platform}/stripe/webhook/")
    pages = f"http://127.0.0.1:{server.server_address[1]}"
    stand_in.base = pages  # the sessions' addresses lead to the page above
    # The sign-up form's answer redirects there: the CSP's form-action allows it (core.security).
    request.getfixturevalue("settings").STRIPE_REDIRECT_ORIGINS = [pages]
    try:
        page.goto(platform + "/comptes/login/")
        page.locator("#id_login").fill(rep.email)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("#id_password").press("Enter")
        page.wait_for_url("**/comptes/2fa/authenticate/")
        page.locator("#id_code").fill(totp_code(rep.secret))
        page.locator("#id_code").press("Enter")
        page.wait_for_load_state()

        page.goto(platform + "/inscription/reseau/")
        page.locator("#id_organization_name").fill("Fédération Souffle")
        page.locator("#id_network_name").fill("Réseau Souffle")
        page.locator("#id_subdomain").press_sequentially("souffle-paye")
        expect(page.locator("#subdomain-status .signup-ok")).to_be_visible()
        page.locator(f"#plan-{plan.code}").check()
        page.locator("#signup-form button[type=submit]").click()

        # Stripe Checkout (standing in): pay, and back to the progress page.
        expect(page).to_have_url(f"{pages}/pay/{stand_in.checkouts[0]['id']}")
        page.get_by_role("button", name="Payer").click()
        with schema_context("public"):
            signup = SignupRequest.objects.get()
            subscription = Subscription.objects.get(organization=signup.organization)
            assert (subscription.status, subscription.plan_id) == ("active", plan.pk)
            assert signup.status == SignupRequest.Status.QUEUED  # the return page saw it
        expect(page).to_have_url(f"{platform}/inscription/{signup.pk}/")

        with schema_context("public"):
            job = ProcrastinateJob.objects.filter(task_name=JOB, status="todo").get()
        app.tasks[JOB](**job.args)  # as the worker runs it
        connection.set_schema_to_public()
        expect(page.locator("#signup-enter")).to_be_visible(timeout=10_000)
        with schema_context("public"):
            network = Tenant.objects.get(slug="souffle-paye")
            assert network.organization_id == signup.organization_id
    finally:
        server.shutdown()
        server.server_close()
