"""What the operators' console keeps: one row a day per network with its counts.

Public schema. Only counts and sizes: nothing a member wrote or said about themselves.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant


class UsageSnapshot(models.Model):
    """A network's size on one day, taken by the nightly job (``console.jobs``)."""

    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, related_name="usage_snapshots", verbose_name=_("network")
    )
    day = models.DateField(_("day"))
    members = models.PositiveIntegerField(_("members"))
    # Seen in the 30 days before the day.
    active_members = models.PositiveIntegerField(_("active members"))
    # The network's files (MEDIA_ROOT/<schema>/) plus its schema's tables and indexes.
    files_bytes = models.BigIntegerField(_("files (bytes)"))
    database_bytes = models.BigIntegerField(_("database (bytes)"))
    last_activity = models.DateTimeField(_("last activity"), null=True, blank=True)
    taken = models.DateTimeField(_("taken"), auto_now=True)

    class Meta:
        verbose_name = _("usage snapshot")
        verbose_name_plural = _("usage snapshots")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "day"], name="console_usage_one_a_day"),
        ]
        indexes = [models.Index(fields=["day"], name="console_usage_day")]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.day}"

    @property
    def storage_bytes(self) -> int:
        return self.files_bytes + self.database_bytes
