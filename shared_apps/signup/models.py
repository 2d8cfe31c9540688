"""An association's self-service sign-up: one request per network asked for.

Public schema. A request names the organization it belongs to (created with the first
request, shared by the later ones), the network's name and subdomain, and the plan; a job
creates the network through provisioning and records it here.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shared_apps.billing.models import Plan
from tenants.models import Organization, Tenant


class SignupRequest(models.Model):
    """A representative's request for one network, and how its creation went."""

    class Status(models.TextChoices):
        # A paid plan: waiting for Stripe Checkout's payment to be confirmed.
        AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
        # The creation job is deferred, or running.
        QUEUED = "queued", _("Being created")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="signup_requests",
        verbose_name=_("account"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="signup_requests",
        verbose_name=_("organization"),
    )
    network_name = models.CharField(_("network name"), max_length=200)
    subdomain = models.CharField(_("subdomain"), max_length=40)
    # Null: the free plan, before billing's plans exist in the database.
    plan = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plan"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    tenant = models.OneToOneField(
        Tenant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signup_request",
        verbose_name=_("network"),
    )
    # What went wrong, in words for the representative (never a traceback).
    error = models.TextField(_("error"), blank=True)
    # The first admin's invitation on the new network: the representative is handed to it
    # by a one-time link from the progress page (services.handover_*). Never shown.
    invitation_url = models.CharField(max_length=500, blank=True, editable=False)
    # The current one-time link's nonce: following the link replaces it.
    handover_nonce = models.CharField(max_length=32, blank=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up request")
        verbose_name_plural = _("sign-up requests")
        ordering = ["-created", "-pk"]
        constraints = [
            # One live request per subdomain: two people asking for the same one at the same
            # moment get one network, and the other a clear error (services.request_create).
            models.UniqueConstraint(
                fields=["subdomain"],
                condition=~models.Q(status="failed"),
                name="signup_subdomain_live_unique",
            ),
        ]
        indexes = [models.Index(fields=["status", "created"], name="signup_status_created")]

    def __str__(self) -> str:
        return f"{self.subdomain} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)
