"""Authorization matrix of a network admin's subscription pages: the admins only; the
buttons send an admin to Stripe (Checkout, the Customer Portal) and refuse everyone else
with nothing changed."""

import pytest
from django_tenants.utils import schema_context

from shared_apps.billing.models import Subscription
from tests import matrix
from tests.billing.conftest import seeded_plans  # noqa: F401 - the plans, even after a flush
from tests.matrix import ADMIN, Route, cases, check

pytestmark = pytest.mark.django_db

role_accounts = matrix.role_accounts
world = matrix.world


def _shows_usage(response, world, role):
    assert b"usage-members" in response.content
    assert response.context["plan"].code == "gratuit"


def _no_stripe_without_a_key(response, world, role):
    # Billing is off in this matrix (no key): the admin is told, no customer is made.
    assert response["Location"] == "/association/abonnement/"
    with schema_context("public"):
        assert not Subscription.objects.exclude(stripe_customer_id="").exists()


ROUTES = {
    "billing_admin:subscription": Route(
        "get", lambda w: "/association/abonnement/", ADMIN, check=_shows_usage
    ),
    "billing_admin:checkout": Route(
        "post",
        lambda w: "/association/abonnement/changer/",
        ADMIN,
        302,
        data=lambda w: {"plan": "association-mensuel"},
        check=_no_stripe_without_a_key,
    ),  # fmt: skip
    "billing_admin:portal": Route(
        "post",
        lambda w: "/association/abonnement/paiement/",
        ADMIN,
        302,
        check=_no_stripe_without_a_key,
    ),  # fmt: skip
}


@pytest.mark.parametrize(("route", "role"), cases(ROUTES))
def test_billing_matrix(client_as, world, route, role):
    check(ROUTES, route, role, client_as, world)
