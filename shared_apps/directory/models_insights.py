"""The statistics releases associations list in the platform directory (public schema).

A release is built and frozen in its network's schema (``tenant_apps.insights``); when its
association lists it, ``services_insights`` copies what the release shows of itself here: its
title, its network's name, what it counts, its period and the address of its shared page on the
network's own domain. Nothing about any member, and no figure is computed here: the figures stay
on the release's page, frozen when it was published.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant


class InsightListing(models.Model):
    tenant = models.ForeignKey(
        Tenant,
        on_delete=models.CASCADE,
        related_name="insight_listings",
        verbose_name=_("network"),
    )
    # The release's id in its network's schema (no foreign key can cross schemas).
    release_id = models.BigIntegerField(_("release"))
    title = models.CharField(_("title"), max_length=200)
    network_name = models.CharField(_("network"), max_length=200)
    # What is counted and by what, in words ("Consenting members by pathology and région").
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    period_start = models.DateField(_("start of the period"))
    period_end = models.DateField(_("end of the period"))
    # The release's shared page, on its network's primary domain.
    url = models.URLField(_("address"), max_length=500)
    published_at = models.DateTimeField(_("published"))
    listed_at = models.DateTimeField(_("listed"), auto_now_add=True)

    class Meta:
        verbose_name = _("listed statistics")
        verbose_name_plural = _("listed statistics")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "release_id"], name="directory_one_per_release"
            ),
        ]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="directory_insight_listing"),
        ]

    def __str__(self) -> str:
        return self.title
