"""Plans, each organization's subscription, and the Stripe events already applied.

Public schema: an organization pays for all its networks at once.
"""

from decimal import Decimal

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from tenants import hosts
from tenants.models import Organization


class Plan(models.Model):
    """What an organization may run, and what it costs; kept in step with Stripe's prices."""

    class Interval(models.TextChoices):
        FREE = "free", _("Free")
        MONTH = "month", _("Monthly")
        YEAR = "year", _("Yearly")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    interval = models.CharField(
        _("billing interval"), max_length=10, choices=Interval.choices, default=Interval.FREE
    )
    # In euro cents, taxes included; 0 for the free plan.
    price_cents = models.PositiveIntegerField(_("price (cents)"), default=0)
    max_networks = models.PositiveIntegerField(_("networks per organization"))
    max_members = models.PositiveIntegerField(_("members per network"))
    max_storage_mb = models.PositiveIntegerField(_("storage per network (MB)"))
    # Paid plans: no platform mark in the network's pages or emails.
    white_label = models.BooleanField(_("white label"), default=False)
    stripe_product_id = models.CharField(_("Stripe product"), max_length=100, blank=True)
    stripe_price_id = models.CharField(_("Stripe price"), max_length=100, blank=True)
    # Offered at sign-up and in the plan change; an old plan stays for those who have it.
    offered = models.BooleanField(_("offered"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["position", "price_cents"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_free(self) -> bool:
        return self.interval == self.Interval.FREE

    @property
    def max_storage_bytes(self) -> int:
        return self.max_storage_mb * 1024 * 1024

    @property
    def price_euros(self) -> Decimal:
        return Decimal(self.price_cents) / 100


class Subscription(models.Model):
    """An organization's plan and where its payment stands (Stripe's subscription status)."""

    class Status(models.TextChoices):
        FREE = "free", _("Free plan")
        INCOMPLETE = "incomplete", _("Awaiting first payment")
        TRIALING = "trialing", _("Trial")
        ACTIVE = "active", _("Paid")
        PAST_DUE = "past_due", _("Payment late")
        UNPAID = "unpaid", _("Unpaid")
        CANCELED = "canceled", _("Cancelled")

    organization = models.OneToOneField(
        Organization,
        on_delete=models.CASCADE,
        related_name="subscription",
        verbose_name=_("organization"),
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="subscriptions", verbose_name=_("plan")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.FREE
    )
    stripe_customer_id = models.CharField(_("Stripe customer"), max_length=100, blank=True)
    stripe_subscription_id = models.CharField(_("Stripe subscription"), max_length=100, blank=True)
    current_period_end = models.DateTimeField(_("paid until"), null=True, blank=True)
    # Set when a payment first fails; the networks stay fully open until grace_until.
    past_due_since = models.DateTimeField(_("late since"), null=True, blank=True)
    grace_until = models.DateTimeField(_("grace period ends"), null=True, blank=True)

    class Networks(models.TextChoices):
        OPEN = "open", _("Open")
        READ_ONLY = "read_only", _("Read-only")
        SUSPENDED = "suspended", _("Suspended")

    # What billing last did to the organization's networks: billing lifts only the
    # restrictions it set (an operator's suspension of one network stays).
    networks = models.CharField(
        _("networks"), max_length=20, choices=Networks.choices, default=Networks.OPEN
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_subscription_id"],
                condition=~models.Q(stripe_subscription_id=""),
                name="billing_subscription_stripe_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.plan_id} {self.status}"


class StripeEvent(models.Model):
    """A webhook event already applied: stored in the same transaction as its effect, so a
    second or concurrent delivery of the same id changes nothing."""

    event_id = models.CharField(_("event"), max_length=100, unique=True)
    type = models.CharField(_("type"), max_length=100)
    received = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        ordering = ["-received"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"


# The host cache holds each network's subscription and plan (white label, the admins'
# banner): a change to either makes every process forget its hosts, as a tenant's does.
for _model in (Plan, Subscription):
    post_save.connect(
        hosts._on_change, sender=_model, dispatch_uid=f"billing-hosts-{_model.__name__}"
    )
    post_delete.connect(
        hosts._on_change, sender=_model, dispatch_uid=f"billing-hosts-del-{_model.__name__}"
    )
