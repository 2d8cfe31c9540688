"""The platform directory: the events networks chose to show beyond their own members.

A public-schema table, one row per (network, event), written only by
``shared_apps.directory.services`` from the events' job. It copies what an event says about
itself and never anything about a member: no author, speaker, registrant nor count.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant


class DirectoryEvent(models.Model):
    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, related_name="directory_events", verbose_name=_("network")
    )
    # The event's id in its network's schema (no foreign key can cross schemas).
    event_id = models.PositiveIntegerField(_("event"))
    title = models.CharField(_("title"), max_length=200)
    # Plain text, cut short: the description without its Markdown or HTML.
    summary = models.CharField(_("short description"), max_length=300, blank=True)
    # One of tenant_apps.events.models.Event.Format, stored as its code.
    format = models.CharField(_("format"), max_length=10)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    online = models.BooleanField(_("online"), default=False)
    place = models.CharField(_("place"), max_length=300, blank=True)
    network_name = models.CharField(_("network name"), max_length=200)
    # The event's page on its network's primary domain.
    url = models.URLField(_("address"), max_length=500)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("directory event")
        verbose_name_plural = _("directory events")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "event_id"], name="directory_one_per_event")
        ]
        indexes = [models.Index(fields=["starts_at", "id"], name="directory_event_listing")]

    def __str__(self) -> str:
        return self.title
