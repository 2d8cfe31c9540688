"""What the directory shows of the statistics releases associations list: only those of
networks that are open (a suspended or archived network's releases leave the list at once,
before any sync has run)."""

import datetime

from django.db.models import Q, QuerySet

from shared_apps.directory.models_insights import InsightListing
from tenants.models import Tenant

# A network whose pages answer (read-only ones still show their published pages).
OPEN_STATUSES = (Tenant.Status.ACTIVE, Tenant.Status.READ_ONLY)


def insight_listings() -> QuerySet[InsightListing]:
    """Every listed release the directory may show, newest publication first."""
    return InsightListing.objects.filter(tenant__status__in=OPEN_STATUSES).order_by(
        "-published_at", "-id"
    )


def insight_listings_page(
    *, after: tuple[datetime.datetime, int] | None, size: int
) -> list[InsightListing]:
    """A keyset page: the ``size`` listings that come after ``after`` (the last shown one's
    publication time and id), plus one more when another page follows."""
    rows = insight_listings()
    if after is not None:
        published_at, pk = after
        rows = rows.filter(
            Q(published_at__lt=published_at) | Q(published_at=published_at, id__lt=pk)
        )
    return list(rows[: size + 1])
