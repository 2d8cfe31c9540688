"""Billing against the real Stripe client: localstripe for customers, plans (prices),
subscriptions and invoices; the stand-in for Checkout and the Customer Portal. Webhooks
are signed with the SDK's helper, or by localstripe itself."""

import itertools
import json
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.billing import services
from shared_apps.billing.models import Plan, StripeEvent, Subscription
from tenants.models import AuditEntry, Tenant
from tests.billing.conftest import WEBHOOK_SECRET, deliver, event, pay_with_card, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_plans(stripe_on):
    with schema_context("public"):
        services.plans_sync()
        return {p.code: p for p in Plan.objects.exclude(stripe_price_id="")}


@pytest.fixture
def org(tenant):
    with schema_context("public"):
        return Tenant.objects.select_related("organization").get(pk=tenant.pk).organization


def _subscribe(api, org, plan, *, card="4242424242424242"):
    """What a completed Checkout leaves in Stripe: the customer's card and subscription."""
    subscription = services.subscription_start_free(organization=org)
    customer = services._customer_ensure(subscription)
    pay_with_card(api, customer, card)
    return api.v1.subscriptions.create(
        params={"customer": customer, "items": [{"plan": plan.stripe_price_id}],
                "metadata": {"organization_id": str(org.pk)}}
    )  # fmt: skip


def _local(org) -> Subscription:
    with schema_context("public"):
        return Subscription.objects.select_related("plan").get(organization=org)


def test_plans_sync_creates_products_and_prices_once(stripe_on, stripe_api):
    with schema_context("public"):
        written = services.plans_sync()
        assert sorted(written) == [
            "association-annuel", "association-mensuel", "federation-annuel",
            "federation-mensuel",
        ]  # fmt: skip
        plan = Plan.objects.get(code="association-mensuel")
        remote = stripe_api.v1.plans.retrieve(plan.stripe_price_id)
        assert (remote.amount, remote.interval, remote.currency) == (2900, "month", "eur")
        assert services.plans_sync() == []  # a second run changes nothing


def test_checkout_then_signed_completion_makes_the_subscription_active(
    stripe_on, stripe_api, paid_plans, org, platform
):
    plan = paid_plans["association-mensuel"]
    url = services.checkout_session_create(
        organization=org, plan=plan, success_url="https://a.example/ok",
        cancel_url="https://a.example/",
    )  # fmt: skip
    [session] = stripe_on.checkouts
    assert url == session["url"]
    assert session["price"] == plan.stripe_price_id
    assert session["customer"] == _local(org).stripe_customer_id
    # The payer pays; Stripe creates the subscription and sends checkout.session.completed.
    remote = _subscribe(stripe_api, org, plan)
    body, header = signed(event("checkout.session.completed", {
        "id": session["id"], "object": "checkout.session", "customer": session["customer"],
        "subscription": remote.id, "client_reference_id": str(org.pk),
    }))  # fmt: skip
    response = deliver(platform, body, header)
    assert response.status_code == 200, response.content
    local = _local(org)
    assert (local.status, local.plan.code) == ("active", "association-mensuel")
    assert local.stripe_subscription_id == remote.id
    assert local.current_period_end > timezone.now()


def test_portal_session_for_the_customer(stripe_on, org):
    url = services.portal_session_create(organization=org, return_url="https://a.example/")
    [session] = stripe_on.portals
    assert url == session["url"]
    assert session["customer"] == _local(org).stripe_customer_id


def test_a_bad_or_stale_signature_is_400_and_changes_nothing(stripe_on, platform, org):
    payload = event("customer.subscription.deleted", {"id": "sub_x", "object": "subscription"})
    body, _header = signed(payload, secret="whsec_someone_else")
    assert deliver(platform, body, _header).status_code == 400
    body, header = signed(payload, timestamp=int(time.time()) - 3600)
    assert deliver(platform, body, header).status_code == 400
    assert platform.post("/stripe/webhook/", data=body, content_type="application/json")\
        .status_code == 400  # fmt: skip
    assert deliver(platform, "not json", signed({"x": 1})[1]).status_code == 400
    # Signed but not an event, or an id no event has: refused, nothing stored.
    assert deliver(platform, *signed({"object": "event"})).status_code == 400
    assert (
        deliver(platform, *signed(event("invoice.paid", {}, event_id="e" * 101))).status_code == 400
    )
    # 1 MB of body with a made-up signature: the signature fails first.
    big = json.dumps({"id": "evt_big", "type": "invoice.paid", "pad": "x" * 1_000_000})
    assert deliver(platform, big, "t=1,v1=" + "0" * 64).status_code == 400
    assert not StripeEvent.objects.exists()
    assert platform.get("/stripe/webhook/").status_code == 405


def test_a_signed_but_malformed_event_is_400_never_500(settings, platform):
    """Stripe signs what it sends, but an event of an odd shape (an id that is a number, an
    expanded object, no data) is refused or changes nothing; a webhook secret without an
    API key answers 503 (Stripe delivers again) and stores nothing."""
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_SECRET_KEY = ""
    platform.raise_request_exception = False
    assert deliver(platform, *signed([1, 2])).status_code == 400
    assert deliver(platform, *signed({"id": "evt_1", "type": "invoice.paid"})).status_code == 400
    no_object = {**event("invoice.paid", {}), "data": {"object": "x"}}
    assert deliver(platform, *signed(no_object)).status_code == 400
    for kind, obj in [
        ("customer.subscription.updated", {"id": 5}),
        ("customer.subscription.updated", {"object": "subscription"}),
        ("checkout.session.completed", {"id": "cs_1", "subscription": 3}),
        ("invoice.payment_failed", {"id": "in_1", "subscription": {"id": 1}, "parent": "x"}),
    ]:
        response = deliver(platform, *signed(event(kind, obj)))
        assert response.status_code == 200, (kind, obj, response.content[:300])
    stored = StripeEvent.objects.count()
    off = deliver(platform, *signed(event("customer.subscription.deleted", {"id": "sub_x"})))
    assert off.status_code == 503
    assert StripeEvent.objects.count() == stored


def test_a_duplicate_delivery_has_one_effect(stripe_on, stripe_api, paid_plans, org, platform):
    remote = _subscribe(stripe_api, org, paid_plans["federation-annuel"])
    body, header = signed(event("customer.subscription.created", remote.to_dict()))
    first = deliver(platform, body, header)
    second = deliver(platform, body, header)
    assert first.json()["applied"] is True
    assert second.json() == {"received": True, "applied": False}
    assert StripeEvent.objects.count() == 1
    assert _local(org).plan.code == "federation-annuel"


def _final(org):
    local = _local(org)
    return (local.status, local.plan.code, local.networks, local.stripe_subscription_id)


def test_every_order_of_four_events_ends_in_the_same_state(
    stripe_on, stripe_api, paid_plans, org, platform, settings, localstripe
):
    # Only localstripe is asked here (subscriptions): no hop through the stand-in.
    settings.STRIPE_API_BASE = localstripe
    plan = paid_plans["association-annuel"]
    remote = _subscribe(stripe_api, org, plan)
    customer = remote.customer
    snapshots = {"created": remote.to_dict()}
    updated = stripe_api.v1.subscriptions.update(
        remote.id, params={"metadata": {"note": "changed"}}
    )
    snapshots["updated"] = updated.to_dict()
    [invoice] = stripe_api.v1.invoices.list(params={"subscription": remote.id}).data
    failed = {"id": invoice.id, "object": "invoice", "customer": customer,
              "subscription": remote.id, "status": "open"}  # fmt: skip
    deleted = stripe_api.v1.subscriptions.cancel(remote.id).to_dict()
    events = {
        "created": event("customer.subscription.created", snapshots["created"]),
        "updated": event("customer.subscription.updated", snapshots["updated"]),
        "failed": event("invoice.payment_failed", failed),
        "deleted": event("customer.subscription.deleted", deleted),
    }
    bodies = {name: signed(e) for name, e in events.items()}
    finals = set()
    orders = list(itertools.permutations(bodies))
    assert len(orders) == 24
    for order in orders:
        with schema_context("public"):
            StripeEvent.objects.all().delete()
            Subscription.objects.filter(organization=org).update(
                status="free", stripe_subscription_id="", plan=Plan.objects.get(code="gratuit"),
                past_due_since=None, grace_until=None, networks="open",
            )  # fmt: skip
        for name in order:
            assert deliver(platform, *bodies[name]).status_code == 200
        finals.add(_final(org))
    # Each ordering ends where Stripe is: cancelled, on the plan paid for, grace started.
    assert finals == {("canceled", "association-annuel", "open", remote.id)}
    assert _local(org).grace_until is not None


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_deliveries_of_one_event_have_one_effect(stripe_on, stripe_api, settings):
    from provisioning import services as provisioning

    with schema_context("public"):
        provisioning.platform_ensure()
        services.plans_sync()
        plan = Plan.objects.get(code="association-mensuel")
        from tenants.models import Organization

        org = Organization.objects.create(name="Concurrente", slug="concurrente")
        Tenant.objects.create(schema_name="concurrente", slug="concurrente", name="C",
                              organization=org, status="active")  # fmt: skip
    remote = _subscribe(stripe_api, org, plan)
    # Cancelled in Stripe: each delivery re-fetches it; one of them applies it.
    stripe_api.v1.subscriptions.cancel(remote.id)
    deleted = {"id": remote.id, "object": "subscription", "customer": remote.customer}
    body, header = signed(event("customer.subscription.deleted", deleted))
    barrier = threading.Barrier(10)
    results = []

    def deliver_once():
        client = Client(HTTP_HOST=settings.PLATFORM_DOMAIN)
        barrier.wait()
        try:
            results.append(deliver(client, body, header).json()["applied"])
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver_once) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 9 + [True]
    with schema_context("public"):
        assert StripeEvent.objects.count() == 1
        local = Subscription.objects.get(organization=org)
        assert local.status == "canceled"
        # One effect: the grace period started once.
        assert local.past_due_since is not None


def test_localstripe_signs_its_own_webhook(stripe_on, stripe_api, localstripe, paid_plans, org,
                                           platform):  # fmt: skip
    """A webhook as localstripe itself sends it (its own HMAC), received by a listener here
    and replayed byte for byte."""
    import json as _json
    import urllib.request
    from http.server import BaseHTTPRequestHandler, HTTPServer

    received = []

    class Listener(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((body, self.headers["Stripe-Signature"]))
            self.send_response(200)
            self.end_headers()

    listener = HTTPServer(("127.0.0.1", 0), Listener)
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    hook = f"{localstripe}/_config/webhooks/entraide"
    data = f"url=http://127.0.0.1:{listener.server_address[1]}/&secret={stripe_on and 'whsec_entraide_tests'}&events[]=customer.subscription.created"  # noqa: E501
    urllib.request.urlopen(urllib.request.Request(hook, data=data.encode(), method="POST",  # noqa: S310
                           headers={"Authorization": "Bearer sk_test_entraide"}))  # fmt: skip
    try:
        remote = _subscribe(stripe_api, org, paid_plans["association-mensuel"])
        deadline = time.monotonic() + 5
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        listener.shutdown()
    [(body, header)] = [
        (b, h) for b, h in received if _json.loads(b)["data"]["object"]["id"] == remote.id
    ]
    response = platform.post("/stripe/webhook/", data=body, content_type="application/json",
                             HTTP_STRIPE_SIGNATURE=header)  # fmt: skip
    assert response.status_code == 200, response.content
    assert _local(org).status == "active"


def test_the_nightly_reconcile_repairs_what_a_lost_webhook_left(
    stripe_on, stripe_api, paid_plans, org, platform, settings, localstripe
):
    settings.STRIPE_API_BASE = localstripe
    remote = _subscribe(stripe_api, org, paid_plans["association-mensuel"])
    body, header = signed(event("customer.subscription.created", remote.to_dict()))
    assert deliver(platform, body, header).status_code == 200
    stripe_api.v1.subscriptions.cancel(remote.id)  # its webhook never arrives
    assert _local(org).status == "active"

    assert services.subscriptions_reconcile() == 1
    local = _local(org)
    assert local.status == "canceled"
    assert local.grace_until is not None
    with schema_context("public"):
        [entry] = AuditEntry.objects.filter(action="billing.reconcile")
    assert entry.detail == {"before": ["active", "association-mensuel"],
                            "after": ["canceled", "association-mensuel"]}  # fmt: skip
    assert services.subscriptions_reconcile() == 0  # a second run finds nothing


def test_plan_change_by_an_operator_reaches_stripe(stripe_on, stripe_api, paid_plans, org,
                                                   settings, localstripe):  # fmt: skip
    settings.STRIPE_API_BASE = localstripe
    remote = _subscribe(stripe_api, org, paid_plans["association-mensuel"])
    services.subscription_sync(stripe_subscription_id=remote.id)
    services.subscription_plan_change(
        organization=org, plan=paid_plans["federation-mensuel"], actor="ops"
    )
    item = stripe_api.v1.subscriptions.retrieve(remote.id)["items"].data[0]
    assert item.plan.id == paid_plans["federation-mensuel"].stripe_price_id
    with schema_context("public"):
        free = Plan.objects.get(code="gratuit")
    services.subscription_plan_change(organization=org, plan=free, actor="ops")
    assert stripe_api.v1.subscriptions.retrieve(remote.id).status == "canceled"
    local = _local(org)
    assert (local.status, local.plan.code, local.stripe_subscription_id) == ("free", "gratuit", "")
    with schema_context("public"):
        assert AuditEntry.objects.filter(action="plan_change").count() == 2


def test_the_admins_buttons_lead_to_stripe_and_forged_plans_go_nowhere(
    stripe_on, paid_plans, org, client_as
):
    admin = client_as("admin")
    page = admin.get("/association/abonnement/")
    assert [p.code for p in page.context["paid_plans"]] == [
        "association-mensuel", "association-annuel", "federation-mensuel", "federation-annuel",
    ]  # fmt: skip
    chosen = admin.post("/association/abonnement/changer/", {"plan": "federation-annuel"})
    [session] = stripe_on.checkouts
    assert chosen["Location"] == session["url"]
    assert session["price"] == paid_plans["federation-annuel"].stripe_price_id
    assert session["success_url"].startswith("http")
    for forged in ("gratuit", "inconnu", "x" * 100_000, "\x00"):
        refused = admin.post("/association/abonnement/changer/", {"plan": forged})
        assert refused["Location"] == "/association/abonnement/"
    assert len(stripe_on.checkouts) == 1
    portal = admin.post("/association/abonnement/paiement/")
    [opened] = stripe_on.portals
    assert portal["Location"] == opened["url"]
    assert opened["return_url"].endswith("/association/abonnement/")


def test_a_paying_organization_gets_no_second_checkout(
    stripe_on, stripe_api, paid_plans, org, client_as
):
    remote = _subscribe(stripe_api, org, paid_plans["association-mensuel"])
    services.subscription_sync(stripe_subscription_id=remote.id)
    page = client_as("admin").get("/association/abonnement/")
    assert page.context["paid_plans"] == []
    assert page.context["paying"] is True
    with pytest.raises(services.BillingError):
        services.checkout_session_create(
            organization=org, plan=paid_plans["federation-mensuel"],
            success_url="https://a.example/", cancel_url="https://a.example/",
        )  # fmt: skip
    assert stripe_on.checkouts == []
