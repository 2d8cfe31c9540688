"""Sign-up's reads: a representative's organizations and networks."""

from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery

from shared_apps.billing.limits import network_limit_status
from shared_apps.signup import access
from shared_apps.signup.models import SignupRequest
from tenants.links import tenant_base_url
from tenants.models import Domain, Organization

# A representative's networks are bounded by their plan; this only caps a page.
NETWORKS_SHOWN = 200


@dataclass
class OrganizationNetworks:
    organization: Organization
    requests: list[SignupRequest] = field(default_factory=list)
    # Networks it has or is creating, and how many its plan allows (``usage_add``).
    used: int = 0
    allowed: int = 0

    @property
    def full(self) -> bool:
        return self.used >= self.allowed


def network_usage(organization: Organization) -> tuple[int, int]:
    """(networks the organization has or is creating, networks its plan allows)."""
    used, allowed = network_limit_status(organization)
    # Being created: queued, or waiting for a payment (a ready request whose network was
    # deleted since is not one).
    pending = SignupRequest.objects.filter(
        organization=organization,
        tenant__isnull=True,
        status__in=(SignupRequest.Status.QUEUED, SignupRequest.Status.AWAITING_PAYMENT),
    ).count()
    return used + pending, allowed


def usage_add(rows: list[OrganizationNetworks]) -> list[OrganizationNetworks]:
    """Each organization's networks against its plan (a few queries per organization; a
    representative has few)."""
    for row in rows:
        row.used, row.allowed = network_usage(row.organization)
    return rows


def networks_of(user) -> list[OrganizationNetworks]:
    """Each organization of this representative with its requests (oldest first), each
    ready one with ``url``, its network's address; one query."""
    primary = Domain.objects.filter(tenant=OuterRef("tenant"), is_primary=True).values("domain")
    rows = (
        access.requests_of(user)
        .select_related("organization", "tenant", "plan")
        .annotate(primary_domain=Subquery(primary[:1]))
        .order_by("organization__name", "organization_id", "created", "pk")[:NETWORKS_SHOWN]
    )
    grouped: dict[int, OrganizationNetworks] = {}
    for row in rows:
        row.url = (
            tenant_base_url(row.tenant, domain=row.primary_domain)
            if row.tenant is not None and row.primary_domain
            else ""
        )
        grouped.setdefault(
            row.organization_id, OrganizationNetworks(organization=row.organization)
        ).requests.append(row)
    return list(grouped.values())
