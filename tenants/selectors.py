from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch

from tenants.links import tenant_base_url
from tenants.models import Branding, Domain, Tenant


def current_tenant() -> Tenant:
    """The network the database connection is in: django-tenants sets it for each request
    and job (typed here once, the Django stubs do not know it)."""
    return connection.tenant  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ListedNetwork:
    name: str
    tagline: str
    organization: str
    url: str


def listed_networks() -> list[ListedNetwork]:
    """Active networks whose association opted in to the platform home page."""
    tenants = (
        Tenant.objects.filter(listed=True, status=Tenant.Status.ACTIVE)
        .exclude(schema_name="public")
        .select_related("branding", "organization")
        .prefetch_related(
            Prefetch("domains", queryset=Domain.objects.filter(is_primary=True), to_attr="primary")
        )
        .order_by("organization__name", "name")
    )
    return [
        ListedNetwork(
            name=tenant.branding.display_name,
            tagline=tenant.branding.tagline,
            organization=tenant.organization.name,
            url=tenant_base_url(tenant, domain=tenant.primary[0].domain),
        )
        for tenant in tenants
        if tenant.primary
    ]


def branding_for(tenant: Tenant) -> Branding:
    """A fresh copy of a network's branding, to edit (the host cache shares its own)."""
    return Branding.objects.get(tenant_id=tenant.pk)
