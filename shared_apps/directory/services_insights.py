"""What writes the directory's statistics listings (``models_insights``), called from a
network's schema by ``tenant_apps.insights``: each service enters the public schema itself, so
the caller never joins across schemas."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django_tenants.utils import schema_context

from shared_apps.directory.models_insights import InsightListing


@dataclass(frozen=True)
class InsightCopy:
    """What a published release shows of itself in the directory (nothing about a member,
    no figure)."""

    release_id: int
    title: str
    network_name: str
    summary: str
    period_start: datetime.date
    period_end: datetime.date
    url: str
    published_at: datetime.datetime


def insight_listing_upsert(*, tenant_id: int, copy: InsightCopy) -> InsightListing:
    """List a network's release in the directory, or refresh its copy; idempotent."""
    with schema_context("public"), transaction.atomic():
        row, _created = InsightListing.objects.update_or_create(
            tenant_id=tenant_id,
            release_id=copy.release_id,
            defaults={
                "title": copy.title.strip()[:200],
                "network_name": copy.network_name[:200],
                "summary": copy.summary[:300],
                "period_start": copy.period_start,
                "period_end": copy.period_end,
                "url": copy.url,
                "published_at": copy.published_at,
            },
        )
    return row


def insight_listing_remove(*, tenant_id: int, release_id: int) -> int:
    """Take a network's release out of the directory; how many rows went (0 or 1)."""
    with schema_context("public"):
        deleted, _rows = InsightListing.objects.filter(
            tenant_id=tenant_id, release_id=release_id
        ).delete()
    return deleted
