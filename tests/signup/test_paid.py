"""A paid plan at sign-up, against the real Stripe client: billing's stand-in for Checkout and
localstripe for the customer, the card and the subscription; the webhook signed with the
SDK's helper. The network is created once billing has recorded the payment, whichever of
the return page, the progress page's polling or the periodic job notices it first."""

import pytest
from django_tenants.utils import schema_context

from provisioning import services as provisioning
from shared_apps.billing import services as billing
from shared_apps.billing.models import Plan, Subscription
from shared_apps.signup import services
from shared_apps.signup.models import SignupRequest
from tenants.models import Tenant
from tests.billing.conftest import deliver, event, pay_with_card, signed
from tests.jobs import JobQueue, committed
from tests.signup.factories import form_data, platform_client, representative

pytestmark = pytest.mark.django_db


def test_a_paid_plan_goes_through_checkout_and_the_network_is_created_once_paid(
    stripe_on, stripe_api
):
    with schema_context("public"):
        provisioning.platform_ensure()
        billing.plans_sync()
        plan = Plan.objects.get(code="association-mensuel")
        client = platform_client(representative("rep-paying"))
        # With billing on, the paid plans are offered beside the free one.
        offered = client.get("/inscription/reseau/").context["plans"]
        assert [p.code for p in offered][:2] == ["gratuit", "association-mensuel"]

        queue = JobQueue()
        with committed():
            response = client.post("/inscription/reseau/", form_data("payant", plan=str(plan.pk)))
        signup = SignupRequest.objects.get()
        [session] = stripe_on.checkouts
        assert response.status_code == 302 and response["Location"] == session["url"]
        assert session["success_url"].endswith(f"/inscription/{signup.pk}/paiement/retour/")
        assert session["cancel_url"].endswith(f"/inscription/{signup.pk}/")
        assert signup.status == SignupRequest.Status.AWAITING_PAYMENT
        assert queue.names() == []

        # Back from Checkout before the payment is recorded: the page waits, nothing made.
        with committed():
            client.get(f"/inscription/{signup.pk}/paiement/retour/")
        assert client.get(f"/inscription/{signup.pk}/etat/?vu=awaiting_payment").status_code == 204
        signup.refresh_from_db()
        assert signup.status == SignupRequest.Status.AWAITING_PAYMENT and queue.names() == []

        # The payer pays; Stripe's checkout.session.completed reaches billing's webhook.
        organization = signup.organization
        local = Subscription.objects.get(organization=organization)
        pay_with_card(stripe_api, local.stripe_customer_id)
        remote = stripe_api.v1.subscriptions.create(
            params={"customer": local.stripe_customer_id,
                    "items": [{"plan": plan.stripe_price_id}],
                    "metadata": {"organization_id": str(organization.pk)}}
        )  # fmt: skip
        body, header = signed(event("checkout.session.completed", {
            "id": session["id"], "object": "checkout.session",
            "customer": local.stripe_customer_id, "subscription": remote.id,
            "client_reference_id": str(organization.pk),
        }))  # fmt: skip
        webhook = platform_client()
        assert deliver(webhook, body, header).status_code == 200
        local.refresh_from_db()
        assert (local.status, local.plan_id) == ("active", plan.pk)

        # The periodic job notices first; the return page afterwards changes nothing more.
        with committed():
            assert services.payments_check() == 1
            client.get(f"/inscription/{signup.pk}/paiement/retour/")
            assert services.payments_check() == 0
        assert queue.names() == [services.PROVISION_JOB]
        queue.run("network_create")
        signup.refresh_from_db()
        assert signup.status == SignupRequest.Status.READY
        network = Tenant.objects.get(slug="payant")
        assert network.organization_id == organization.pk
        # A paid plan's organization may add networks (three on this plan).
        assert client.get(f"/mes-reseaux/{organization.pk}/nouveau/").status_code == 200


def test_without_billing_a_paid_plan_cannot_be_picked(settings):
    settings.STRIPE_SECRET_KEY = ""
    with schema_context("public"):
        provisioning.platform_ensure()
        client = platform_client(representative("rep-forging"))
        paid = Plan.objects.get(code="association-mensuel")
        response = client.post("/inscription/reseau/", form_data("force", plan=str(paid.pk)))
        assert response.status_code == 400
        assert "plan" in response.context["form"].errors
        assert not SignupRequest.objects.exists()
