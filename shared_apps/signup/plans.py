"""What sign-up asks of billing: which plans are offered, and where an organization's
payment stands.

Billing owns plans, subscriptions and Stripe (docs/billing.md); sign-up reads them here
and never the other way round (billing sits below sign-up in the layers).
"""

from shared_apps.billing.models import Plan, Subscription
from shared_apps.billing.stripe_client import billing_enabled
from tenants.models import Organization

# Where a paid plan's payment is confirmed (billing records Stripe's subscription status).
PAID_STATUSES = (Subscription.Status.ACTIVE, Subscription.Status.TRIALING)


def offered_plans() -> list[Plan]:
    """The plans a new organization may pick: the free ones, and the paid ones (with a
    Stripe price) when billing is enabled."""
    plans = Plan.objects.filter(offered=True).order_by("position", "price_cents", "pk")
    if billing_enabled():
        return [plan for plan in plans if plan.is_free or plan.stripe_price_id]
    return [plan for plan in plans if plan.is_free]


def is_paid(plan: Plan | None) -> bool:
    return plan is not None and not plan.is_free


def payment_confirmed(*, organization: Organization, plan: Plan) -> bool:
    """Billing recorded the organization's subscription to ``plan`` (or a larger paid one)
    as paid."""
    subscription = (
        Subscription.objects.filter(organization=organization).select_related("plan").first()
    )
    return (
        subscription is not None
        and subscription.status in PAID_STATUSES
        and not subscription.plan.is_free
    )


__all__ = ["billing_enabled", "is_paid", "offered_plans", "payment_confirmed"]
