"""What billing shows: a network admin's subscription page and the admins' banner."""

from dataclasses import dataclass
from datetime import datetime

from django_tenants.utils import schema_context

from shared_apps.billing import limits
from shared_apps.billing.models import Plan, Subscription
from shared_apps.billing.stripe_client import billing_enabled
from tenants.models import Organization, Tenant

LATE = (Subscription.Status.PAST_DUE, Subscription.Status.UNPAID, Subscription.Status.CANCELED)
PAYING = (
    Subscription.Status.ACTIVE,
    Subscription.Status.TRIALING,
    Subscription.Status.PAST_DUE,
    Subscription.Status.UNPAID,
)
# From this share of a limit on, admins are told before it is reached.
NEAR = 0.9


@dataclass(frozen=True)
class Usage:
    used: int
    allowed: int
    # What to read beside the meter, when the figures alone are not it ("1.8 of 2 GB used").
    label: str = ""

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.used / self.allowed)) if self.allowed else 100

    @property
    def high(self) -> int:
        """Where a meter turns to a warning."""
        return int(self.allowed * NEAR)

    @property
    def near(self) -> bool:
        return self.used >= self.allowed * NEAR

    @property
    def reached(self) -> bool:
        return self.used >= self.allowed


def subscription_of(organization: Organization) -> Subscription | None:
    with schema_context("public"):
        return (
            Subscription.objects.select_related("plan")
            .filter(organization_id=organization.pk)
            .first()
        )


def offered_plans() -> list[Plan]:
    """The plans an organization may choose: the free one, and the paid ones when billing
    is on and they have a Stripe price."""
    with schema_context("public"):
        plans = list(Plan.objects.filter(offered=True).order_by("position", "price_cents", "pk"))
    return [p for p in plans if p.is_free or (billing_enabled() and p.stripe_price_id)]


def offered_plan(*, code: str) -> Plan | None:
    """A paid plan offered for Checkout, by its code."""
    return next((p for p in offered_plans() if p.code == code and not p.is_free), None)


def storage_usage(tenant: Tenant) -> Usage:
    """The network's files against its plan (in MB), with "1.8 of 2 GB used" to read."""
    used_mb, allowed_mb = limits.storage_limit_status(tenant)
    label = limits.storage_amount(limits.storage_used_bytes(tenant), allowed_mb)
    return Usage(used_mb, allowed_mb, label)


def subscription_overview(*, tenant: Tenant) -> dict[str, object]:
    """A network admin's subscription page: plan, payment, usage against the limits."""
    organization = tenant.organization
    subscription = subscription_of(organization)
    plan = subscription.plan if subscription is not None else limits.free_plan()
    members = Usage(*limits.member_limit_status(tenant))
    networks = Usage(*limits.network_limit_status(organization))
    storage = storage_usage(tenant)
    paying = bool(subscription and subscription.stripe_subscription_id) and (
        subscription is not None and subscription.status in PAYING
    )
    # Paying already: the plan changes in the Customer Portal, not with a second Checkout.
    paid = [] if paying else [p for p in offered_plans() if not p.is_free and p.pk != plan.pk]
    return {
        "subscription": subscription,
        "plan": plan,
        "late": subscription is not None and subscription.status in LATE,
        "members_usage": members,
        "networks_usage": networks,
        "storage_usage": storage,
        "paid_plans": paid,
        "paying": paying,
        "billing_enabled": billing_enabled(),
        "has_customer": bool(subscription and subscription.stripe_customer_id),
        "read_only": tenant.status == Tenant.Status.READ_ONLY,
    }


@dataclass(frozen=True)
class Notice:
    """What the admins' banner says: a late payment and until when, or read-only."""

    status: str
    grace_until: datetime | None
    read_only: bool


def admin_notice(tenant: Tenant | None) -> Notice | None:
    """The banner for a network's admins, read from what the host cache loaded (no query)."""
    if tenant is None or tenant.organization_id is None:
        return None
    subscription = tenant.organization._state.fields_cache.get("subscription")
    read_only = tenant.status == Tenant.Status.READ_ONLY
    if subscription is None and not read_only:
        return None
    if not read_only and subscription.status not in LATE:
        return None
    return Notice(
        status=subscription.status if subscription else "",
        grace_until=subscription.grace_until if subscription else None,
        read_only=read_only,
    )
