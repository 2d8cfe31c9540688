"""Subscriptions, their Stripe side, and what their state does to the networks.

Every function enters the public schema itself. A subscription's state is always taken
from Stripe (re-fetched), never from a webhook's payload, so the order in which events
arrive does not change where it ends. Billing restricts networks in three steps: a late
payment leaves them open for ``BILLING_GRACE_DAYS`` (admins see a banner), then read-only
for ``BILLING_READ_ONLY_DAYS``, then suspended; paid again, they are open at once.
"""

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import stripe
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from shared_apps.billing.limits import free_plan
from shared_apps.billing.models import Plan, StripeEvent, Subscription
from shared_apps.billing.stripe_client import billing_enabled, stripe_client
from tenants.models import Organization, Tenant
from tenants.services import audit

logger = logging.getLogger(__name__)

Status = Subscription.Status
Networks = Subscription.Networks
# Stripe statuses that keep the plan: a payment is late or missing, or it was cancelled.
LATE = frozenset({Status.PAST_DUE, Status.UNPAID, Status.CANCELED})
# A subscription Stripe still bills.
PAYING = frozenset({Status.ACTIVE, Status.TRIALING, Status.PAST_DUE, Status.UNPAID})
# Stripe's statuses of a subscription that never started (an abandoned Checkout).
NEVER_STARTED = frozenset({"incomplete", "incomplete_expired"})
STRIPE_STATUSES = {
    "active": Status.ACTIVE,
    "trialing": Status.TRIALING,
    "past_due": Status.PAST_DUE,
    "unpaid": Status.UNPAID,
    "canceled": Status.CANCELED,
    "paused": Status.UNPAID,
}
# The webhook events that touch a subscription; others are stored and ignored.
HANDLED_EVENTS = frozenset(
    {
        "checkout.session.completed",
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "invoice.payment_failed",
        "invoice.paid",
    }
)


class BillingError(Exception):
    """A billing request that cannot be carried out, with a message for the person."""


# --- Free plan, Checkout, Customer Portal ---------------------------------------------------


def subscription_start_free(*, organization: Organization) -> Subscription:
    """The organization's subscription, on the free plan if it had none; idempotent."""
    with schema_context("public"):
        subscription, _created = Subscription.objects.get_or_create(
            organization=organization,
            defaults={"plan": free_plan(), "status": Status.FREE},
        )
    return subscription


def _customer_ensure(subscription: Subscription) -> str:
    """The organization's Stripe customer, created the first time it is needed."""
    if subscription.stripe_customer_id:
        return subscription.stripe_customer_id
    organization = subscription.organization
    customer = stripe_client().v1.customers.create(
        params={
            "name": organization.name,
            "metadata": {"organization_id": str(organization.pk)},
        },
        options={"idempotency_key": f"entraide-customer-{organization.pk}"},
    )
    subscription.stripe_customer_id = customer.id
    subscription.save(update_fields=["stripe_customer_id", "updated"])
    return customer.id


def _paid_plan(plan: Plan) -> Plan:
    if not billing_enabled():
        raise BillingError(_("Paid plans are not offered on this platform."))
    if plan.is_free or not plan.stripe_price_id:
        raise BillingError(_("This plan cannot be paid for online."))
    return plan


def checkout_session_create(
    *, organization: Organization, plan: Plan, success_url: str, cancel_url: str
) -> str:
    """Start paying for a plan: the Stripe Checkout address to send the person to."""
    _paid_plan(plan)
    with schema_context("public"):
        subscription = subscription_start_free(organization=organization)
        if subscription.stripe_subscription_id and subscription.status in PAYING:
            # A second subscription would bill twice: the Portal changes the plan.
            raise BillingError(
                _("Your organization already pays for a plan: change it from the payment page.")
            )
        customer = _customer_ensure(subscription)
    metadata = {"organization_id": str(organization.pk), "plan": plan.code}
    session = stripe_client().v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "customer": customer,
            "client_reference_id": str(organization.pk),
            "line_items": [{"price": plan.stripe_price_id, "quantity": 1}],
            "success_url": success_url,
            "cancel_url": cancel_url,
            "metadata": metadata,
            "subscription_data": {"metadata": metadata},
        }
    )
    return str(session.url)


def portal_session_create(*, organization: Organization, return_url: str) -> str:
    """The Stripe Customer Portal's address for the organization (invoices, card, plan)."""
    if not billing_enabled():
        raise BillingError(_("Paid plans are not offered on this platform."))
    with schema_context("public"):
        subscription = subscription_start_free(organization=organization)
        customer = _customer_ensure(subscription)
    session = stripe_client().v1.billing_portal.sessions.create(
        params={"customer": customer, "return_url": return_url}
    )
    return str(session.url)


# --- Operators' actions ---------------------------------------------------------------------


def _audit_networks(subscription: Subscription, *, actor: str, action: str, **detail) -> None:
    slugs = Tenant.objects.filter(organization_id=subscription.organization_id).values_list(
        "slug", flat=True
    )
    for slug in slugs:
        audit(actor=actor, action=action, tenant_slug=slug, **detail)


def subscription_plan_change(*, organization: Organization, plan: Plan, actor: str) -> Subscription:
    """Put the organization on another plan (an operator's decision), in Stripe too.

    To a paid plan with a Stripe subscription: its price changes there (prorated by Stripe).
    To the free plan: the Stripe subscription, if any, is cancelled at once. To a paid plan
    without one (an agreement outside Stripe): the plan changes here only."""
    with schema_context("public"), transaction.atomic():
        subscription = subscription_start_free(organization=organization)
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        previous = subscription.plan.code
        if subscription.stripe_subscription_id and billing_enabled():
            client = stripe_client()
            if plan.is_free:
                client.v1.subscriptions.cancel(subscription.stripe_subscription_id)
                subscription.stripe_subscription_id = ""
            elif plan.stripe_price_id:
                remote = client.v1.subscriptions.retrieve(subscription.stripe_subscription_id)
                item = remote["items"].data[0]
                client.v1.subscriptions.update(
                    subscription.stripe_subscription_id,
                    # Our prices are Stripe "plans" (plans_sync): the item names it so.
                    params={"items": [{"id": item.id, "plan": plan.stripe_price_id}]},
                )
        subscription.plan = plan
        if plan.is_free:
            subscription.status = Status.FREE
        elif subscription.status == Status.FREE:
            subscription.status = Status.ACTIVE
        _state_apply(subscription, actor=actor)
        subscription.save()
        _audit_networks(
            subscription, actor=actor, action="plan_change", previous=previous, plan=plan.code
        )
    return subscription


def subscription_extend_grace(*, organization: Organization, days: int, actor: str) -> Subscription:
    """Give a late organization ``days`` more before its networks are restricted (from
    now if its grace period is over); restricted networks open again meanwhile."""
    if not 1 <= days <= 365:
        raise ValidationError({"days": _("Give between 1 and 365 days.")})
    with schema_context("public"), transaction.atomic():
        subscription = subscription_start_free(organization=organization)
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if subscription.status not in LATE:
            # Only a late payment has a grace period; the state rule would clear it at once.
            raise ValidationError(
                {"days": _("This organization's payment is not late: there is no grace period.")}
            )
        now = timezone.now()
        start = max(subscription.grace_until or now, now)
        subscription.grace_until = start + timedelta(days=days)
        if subscription.past_due_since is None:
            subscription.past_due_since = now
        _state_apply(subscription, actor=actor, now=now)
        subscription.save()
        _audit_networks(
            subscription,
            actor=actor,
            action="grace_extend",
            days=days,
            until=subscription.grace_until.isoformat(),
        )
    return subscription


# --- State from Stripe ---------------------------------------------------------------------


def _remote_fields(remote: Any) -> dict[str, Any]:
    """What we keep of a Stripe subscription: status, price, end of the paid period."""
    data = remote.to_dict() if hasattr(remote, "to_dict") else dict(remote)
    items = (data.get("items") or {}).get("data") or [{}]
    item = items[0]
    price = (item.get("price") or {}).get("id") or (item.get("plan") or {}).get("id") or ""
    period_end = data.get("current_period_end") or item.get("current_period_end")
    return {
        "id": data["id"],
        "customer": data.get("customer") or "",
        "status": data.get("status") or "",
        "price": price,
        "period_end": (datetime.fromtimestamp(period_end, tz=UTC) if period_end else None),
        "organization_id": (data.get("metadata") or {}).get("organization_id"),
    }


def _subscription_for(fields: dict[str, Any]) -> Subscription | None:
    """The local subscription a Stripe subscription belongs to, locked."""
    rows = Subscription.objects.select_for_update().select_related("plan", "organization")
    found = rows.filter(stripe_subscription_id=fields["id"]).first()
    if found is None and fields["customer"]:
        found = rows.filter(stripe_customer_id=fields["customer"]).first()
    if found is None and (fields["organization_id"] or "").isdigit():
        found = rows.filter(organization_id=int(fields["organization_id"])).first()
    return found


def _copy_remote(subscription: Subscription, fields: dict[str, Any]) -> bool:
    """Bring the local row to the Stripe subscription's state; whether anything changed."""
    if (
        subscription.stripe_subscription_id
        and subscription.stripe_subscription_id != fields["id"]
        and fields["status"] not in ("active", "trialing", "past_due", "unpaid")
    ):
        return False  # an older, ended subscription of the same customer: not ours now
    if fields["status"] in NEVER_STARTED:
        # An abandoned or unpaid Checkout: the organization stays on what it had.
        return False
    before = (
        subscription.stripe_subscription_id,
        subscription.stripe_customer_id,
        subscription.status,
        subscription.plan_id,
        subscription.current_period_end,
    )
    subscription.stripe_subscription_id = fields["id"]
    if fields["customer"]:
        subscription.stripe_customer_id = fields["customer"]
    subscription.status = STRIPE_STATUSES.get(fields["status"], Status.UNPAID)
    plan = Plan.objects.filter(stripe_price_id=fields["price"]).first() if fields["price"] else None
    if plan is not None:
        subscription.plan = plan
    subscription.current_period_end = fields["period_end"]
    after = (
        subscription.stripe_subscription_id,
        subscription.stripe_customer_id,
        subscription.status,
        subscription.plan_id,
        subscription.current_period_end,
    )
    return before != after


def _remote(stripe_subscription_id: str) -> Any:
    try:
        return stripe_client().v1.subscriptions.retrieve(stripe_subscription_id)
    except stripe.InvalidRequestError as error:
        if error.http_status == 404:
            return None
        raise


def subscription_sync(*, stripe_subscription_id: str, actor: str = "stripe") -> Subscription | None:
    """Re-fetch a Stripe subscription and bring its organization's subscription and
    networks in step (the effect of every webhook); None when it belongs to no one."""
    with schema_context("public"), transaction.atomic():
        _advisory_lock(stripe_subscription_id)
        remote = _remote(stripe_subscription_id)
        if remote is None:
            local = (
                Subscription.objects.select_for_update()
                .filter(stripe_subscription_id=stripe_subscription_id)
                .first()
            )
            if local is None:
                return None
            local.status = Status.CANCELED
        else:
            fields = _remote_fields(remote)
            local = _subscription_for(fields)
            if local is None:
                logger.warning("Stripe subscription %s matches no organization", fields["id"])
                return None
            _copy_remote(local, fields)
        _state_apply(local, actor=actor)
        local.save()
    return local


# --- Webhook events ----------------------------------------------------------------------


def _an_id(value: Any) -> str:
    """A Stripe id as an event may carry it (a string, or an expanded object with its id);
    "" for anything else (a signed but malformed event changes nothing, and never fails)."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and 0 < len(value) <= 255 else ""


def _subscription_id_of(event: Any) -> str:
    obj = event["data"]["object"]
    data = obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)
    if event["type"].startswith("customer.subscription."):
        return _an_id(data.get("id"))
    if event["type"].startswith("invoice."):
        found = _an_id(data.get("subscription"))
        if not found:
            parent = data.get("parent")
            details = parent.get("subscription_details") if isinstance(parent, dict) else None
            found = _an_id(details.get("subscription")) if isinstance(details, dict) else ""
        return found
    return _an_id(data.get("subscription"))


def stripe_event_handle(*, event: Any) -> bool:
    """Apply a verified webhook event once: the event's id is stored in the same
    transaction as its effect, so a second or concurrent delivery changes nothing.
    Whether this delivery was the one that applied it."""
    with schema_context("public"), transaction.atomic():
        try:
            with transaction.atomic():
                StripeEvent.objects.create(event_id=event["id"], type=event["type"][:100])
        except IntegrityError:
            return False
        if event["type"] in HANDLED_EVENTS:
            subscription_id = _subscription_id_of(event)
            if subscription_id:
                subscription_sync(stripe_subscription_id=subscription_id)
    return True


# --- What a subscription's state does to the networks --------------------------------------


def _networks_due(subscription: Subscription, now: datetime) -> str:
    if subscription.status not in LATE:
        return Networks.OPEN
    if subscription.grace_until is None or now < subscription.grace_until:
        return Networks.OPEN
    if now < subscription.grace_until + timedelta(days=settings.BILLING_READ_ONLY_DAYS):
        return Networks.READ_ONLY
    return Networks.SUSPENDED


def _state_apply(subscription: Subscription, *, actor: str, now: datetime | None = None) -> None:
    """Set the grace period from the status and restrict or open the networks to match;
    the caller saves the subscription (locked)."""
    now = now or timezone.now()
    if subscription.status in LATE:
        if subscription.past_due_since is None:
            subscription.past_due_since = now
        if subscription.grace_until is None:
            subscription.grace_until = subscription.past_due_since + timedelta(
                days=settings.BILLING_GRACE_DAYS
            )
    else:
        subscription.past_due_since = None
        subscription.grace_until = None
    due = _networks_due(subscription, now)
    if due != subscription.networks:
        _networks_set(subscription, due, actor=actor)
        subscription.networks = due


# The network statuses billing moves from, for each state it moves to.
_FROM: dict[str, tuple[str, ...]] = {
    Networks.OPEN: (Tenant.Status.READ_ONLY,),
    Networks.READ_ONLY: (Tenant.Status.ACTIVE,),
    Networks.SUSPENDED: (Tenant.Status.ACTIVE, Tenant.Status.READ_ONLY),
}
_TO: dict[str, str] = {
    Networks.OPEN: Tenant.Status.ACTIVE,
    Networks.READ_ONLY: Tenant.Status.READ_ONLY,
    Networks.SUSPENDED: Tenant.Status.SUSPENDED,
}


def _networks_set(subscription: Subscription, state: str, *, actor: str) -> None:
    """Move the organization's networks to ``state``, audited; each save makes every
    process forget its cached host (tenants.hosts)."""
    sources = list(_FROM[state])
    if state == Networks.OPEN and subscription.networks == Networks.SUSPENDED:
        sources.append(Tenant.Status.SUSPENDED)  # billing's own suspension, not an operator's
    tenants = (
        Tenant.objects.select_for_update()
        .filter(organization_id=subscription.organization_id, status__in=sources)
        .order_by("pk")
    )
    for tenant in tenants:
        previous = tenant.status
        tenant.status = _TO[state]
        tenant.save(update_fields=["status"])
        audit(
            actor=actor,
            action=(
                "resume"
                if state == Networks.OPEN
                else "read_only"
                if state == Networks.READ_ONLY
                else "suspend"
            ),
            tenant_slug=tenant.slug,
            reason="billing",
            previous=previous,
            subscription=subscription.status,
        )


def subscriptions_enforce(*, now: datetime | None = None, actor: str = "billing") -> int:
    """Move the networks of late organizations whose grace or read-only period ended;
    how many subscriptions changed. Safe to run twice."""
    now = now or timezone.now()
    changed = 0
    with schema_context("public"):
        late = Subscription.objects.filter(status__in=LATE).values_list("pk", flat=True)
        for pk in list(late):
            with transaction.atomic():
                subscription = Subscription.objects.select_for_update().get(pk=pk)
                before = subscription.networks
                _state_apply(subscription, actor=actor, now=now)
                if subscription.networks != before:
                    subscription.save()
                    changed += 1
    return changed


def subscriptions_reconcile(*, now: datetime | None = None) -> int:
    """Compare every Stripe-backed subscription with Stripe and repair what differs
    (audited ``billing.reconcile``), then apply the grace periods; how many were repaired.
    Safe to run twice: a second run finds nothing to repair."""
    repaired = 0
    if billing_enabled():
        with schema_context("public"):
            ids = list(
                Subscription.objects.exclude(stripe_subscription_id="").values_list(
                    "pk", "stripe_subscription_id"
                )
            )
        for pk, stripe_id in ids:
            try:
                repaired += _reconcile_one(pk, stripe_id, now=now)
            except stripe.StripeError:
                logger.exception("reconcile: Stripe did not answer for subscription %s", pk)
    subscriptions_enforce(now=now)
    return repaired


def _advisory_lock(stripe_subscription_id: str) -> None:
    # One sync of a Stripe subscription at a time, fetching after the lock: a slower
    # delivery cannot write an older state over a newer one.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [stripe_subscription_id])


def _reconcile_one(pk: int, stripe_id: str, *, now: datetime | None) -> int:
    with schema_context("public"), transaction.atomic():
        _advisory_lock(stripe_id)
        remote = _remote(stripe_id)
        local = Subscription.objects.select_for_update().select_related("plan").get(pk=pk)
        before = (local.status, local.plan.code)
        if remote is None:
            changed = local.status != Status.CANCELED
            local.status = Status.CANCELED
        else:
            changed = _copy_remote(local, _remote_fields(remote))
        if not changed:
            return 0
        _state_apply(local, actor="billing.reconcile", now=now)
        local.save()
        _audit_networks(
            local,
            actor="billing",
            action="billing.reconcile",
            before=list(before),
            after=[local.status, local.plan.code],
        )
    return 1


# --- Plans in step with Stripe ---------------------------------------------------------


def plans_sync() -> list[str]:
    """Create the Stripe product and price of every paid plan that lacks them (or whose
    price Stripe no longer has); the codes of the plans written. Safe to run twice."""
    if not billing_enabled():
        return []
    client = stripe_client()
    written = []
    with schema_context("public"):
        for plan in Plan.objects.exclude(interval=Plan.Interval.FREE).order_by("pk"):
            if plan.stripe_price_id and _price_exists(client, plan.stripe_price_id):
                continue
            if not plan.stripe_product_id or not _product_exists(client, plan.stripe_product_id):
                product = client.v1.products.create(
                    params={"name": plan.name, "metadata": {"plan": plan.code}},
                    options={"idempotency_key": f"entraide-product-{plan.code}-{plan.pk}"},
                )
                plan.stripe_product_id = product.id
            # A legacy "plan" is also a price for Stripe (Checkout takes its id as a price),
            # and it is what localstripe knows.
            price = client.v1.plans.create(
                params={
                    "product": plan.stripe_product_id,
                    "amount": plan.price_cents,
                    "currency": "eur",
                    "interval": plan.interval,
                    "nickname": plan.name,
                    "metadata": {"plan": plan.code},
                }
            )
            plan.stripe_price_id = price.id
            plan.save(update_fields=["stripe_product_id", "stripe_price_id"])
            written.append(plan.code)
    return written


def _price_exists(client: stripe.StripeClient, price_id: str) -> bool:
    try:
        client.v1.plans.retrieve(price_id)
    except stripe.InvalidRequestError:
        return False
    return True


def _product_exists(client: stripe.StripeClient, product_id: str) -> bool:
    try:
        client.v1.products.retrieve(product_id)
    except stripe.InvalidRequestError:
        return False
    return True
