"""The Stripe webhook, on the platform's domain: anyone may post to it (Stripe signs, it
does not sign in), and only a valid signature has an effect. A network's session means
nothing there."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from provisioning import services as provisioning
from shared_apps.billing.models import StripeEvent
from tests.billing.conftest import event, signed
from tests.matrix import Route

pytestmark = pytest.mark.django_db

PLATFORM = True  # the browser sweep probes it on the platform's domain
ROLES = ("anonymous", "network_member", "stripe")


def _body(w):
    return w.webhook_body


ROUTES = {
    "stripe_webhook": Route(
        "post", lambda w: "/stripe/webhook/", frozenset(ROLES), roles=ROLES, public=True
    ),
}


@pytest.fixture
def webhook_world(settings):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_entraide_tests"
    with schema_context("public"):
        provisioning.platform_ensure()

    class World:
        pass

    w = World()
    w.webhook_body = signed(event("customer.created", {"id": "cus_x", "object": "customer"}))
    return w


@pytest.mark.parametrize("role", ROLES)
def test_webhook_matrix(webhook_world, client_as, tenant, role):
    """Signed by Stripe: stored once. Posted unsigned, by a visitor or with a network's
    cookie: 400 and nothing stored."""
    client = Client(HTTP_HOST="localhost")
    if role == "network_member":
        client.cookies = client_as("member").cookies
    body, header = webhook_world.webhook_body
    extra = {"HTTP_STRIPE_SIGNATURE": header} if role == "stripe" else {}
    response = client.post(
        ROUTES["stripe_webhook"].path(webhook_world), data=body,
        content_type="application/json", **extra,
    )  # fmt: skip
    with schema_context("public"):
        stored = StripeEvent.objects.count()
    if role == "stripe":
        assert response.status_code == 200
        assert stored == 1
    else:
        assert response.status_code == 400
        assert stored == 0
