"""A release's copy in the platform directory (``shared_apps.directory.models_insights``):
what ``jobs.release_directory_sync`` writes. It reads the network's schema, then writes the
public one through the directory's services (no query joins the two)."""

from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from shared_apps.directory.services_insights import (
    InsightCopy,
    insight_listing_remove,
    insight_listing_upsert,
)
from tenant_apps.insights.models import Dimension, Measure, Release
from tenants.links import tenant_base_url
from tenants.models import Tenant


def _listed(tenant: Tenant, release: Release | None) -> bool:
    """What the directory shows: a published, shared release its association lists, of an
    active network."""
    return (
        release is not None
        and tenant.status == Tenant.Status.ACTIVE
        and release.status == Release.Status.PUBLISHED
        and release.shared
        and release.listed_in_directory
    )


def summary(release: Release) -> str:
    """What it counts and by what, in French, as the directory reads it."""
    with override("fr"):
        dimensions = _(" and ").join(str(Dimension(d).label).lower() for d in release.dimensions)
        return _("%(measure)s by %(dimensions)s") % {
            "measure": Measure(release.measure).label,
            "dimensions": dimensions,
        }


def release_directory_copy(*, release_id: int) -> bool:
    """Bring the directory's copy of a release in line with it: written while it is listed,
    removed otherwise; whether it is listed. Running it again changes nothing."""
    tenant: Tenant = connection.tenant  # type: ignore[attr-defined]
    release = Release.objects.filter(pk=release_id).first()
    if release is None or release.published_at is None or not _listed(tenant, release):
        insight_listing_remove(tenant_id=tenant.pk, release_id=release_id)
        return False
    copy = InsightCopy(
        release_id=release.pk,
        title=release.title,
        network_name=tenant.branding.display_name,
        summary=summary(release),
        period_start=release.period_start,
        period_end=release.period_end,
        url=tenant_base_url(tenant)
        + reverse("insights_shared:page", args=[release.share_token], urlconf="config.urls_tenant"),
        published_at=release.published_at,
    )
    insight_listing_upsert(tenant_id=tenant.pk, copy=copy)
    return True
