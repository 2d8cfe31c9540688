"""What writes the platform directory, from wherever it is called: a network's job (inside
its schema) or provisioning (in the public one). Each service switches to the public schema
itself, so the caller never joins across schemas."""

import html
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django_tenants.utils import schema_context

from shared_apps.directory.models import DirectoryEvent, Review
from tenants.models import Tenant

SUMMARY_LENGTH = 300


@dataclass(frozen=True)
class Listing:
    """What an event shows of itself in the directory (nothing about any member)."""

    event_id: int
    title: str
    description_html: str
    format: str
    starts_at: datetime
    ends_at: datetime
    online: bool
    place: str
    network_name: str
    url: str


def summary_plain(description_html: str) -> str:
    """The description as one short line of plain text: no tag, no entity, no line break."""
    text = " ".join(html.unescape(strip_tags(description_html)).split())
    # Unescaping may reveal text that reads as a tag (``&lt;b&gt;``): strip it again.
    text = " ".join(strip_tags(text).split())
    return Truncator(text).chars(SUMMARY_LENGTH)


def directory_event_upsert(*, tenant_id: int, listing: Listing) -> DirectoryEvent:
    """Create or refresh a network's event in the directory; idempotent."""
    with schema_context("public"), transaction.atomic():
        row, _created = DirectoryEvent.objects.update_or_create(
            tenant_id=tenant_id,
            event_id=listing.event_id,
            defaults={
                "title": listing.title.strip()[:200],
                "summary": summary_plain(listing.description_html),
                "format": listing.format,
                "starts_at": listing.starts_at,
                "ends_at": listing.ends_at,
                "online": listing.online,
                "place": listing.place.strip()[:300],
                "network_name": listing.network_name[:200],
                "url": listing.url,
                "review": Review.PUBLISHED,
                "published_at": timezone.now(),
            },
        )
    return row


def directory_event_remove(*, tenant_id: int, event_id: int) -> int:
    """Take a network's event out of the directory; how many rows went (0 or 1)."""
    with schema_context("public"):
        deleted, _rows = DirectoryEvent.objects.filter(
            tenant_id=tenant_id, event_id=event_id
        ).delete()
    return deleted


def directory_network_remove(*, tenant: Tenant) -> int:
    """Take every event of a network out of the directory (suspended or deleted)."""
    with schema_context("public"):
        deleted, _rows = DirectoryEvent.objects.filter(tenant_id=tenant.pk).delete()
    return deleted
