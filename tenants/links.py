from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connection

from tenants.models import Tenant


def tenant_base_url(tenant: Tenant, *, domain: str | None = None) -> str:
    """The absolute URL of a tenant's site, on its primary domain."""
    if domain is None:
        domain = tenant.domains.filter(is_primary=True).values_list("domain", flat=True).first()
    port = f":{settings.PLATFORM_URL_PORT}" if settings.PLATFORM_URL_PORT else ""
    return f"{settings.PLATFORM_URL_SCHEME}://{domain}{port}"


def network_url(location: str, *, tenant: Tenant | None = None) -> str:
    """``location`` (a path, or an absolute URL built from a request) on the primary domain
    of ``tenant``, by default the current one.

    A request's Host can be forged (``poumon.localhost:9999``) or be a secondary domain: a
    link sent by email must lead to the network's one canonical address. Without a
    primary domain (no network entered), the location is returned as it is.
    """
    tenant = tenant if tenant is not None else getattr(connection, "tenant", None)
    if not isinstance(tenant, Tenant):
        return location
    domain = tenant.domains.filter(is_primary=True).values_list("domain", flat=True).first()
    if domain is None:
        return location
    base = urlsplit(tenant_base_url(tenant, domain=domain))
    given = urlsplit(location)
    return urlunsplit((base.scheme, base.netloc, given.path or "/", given.query, given.fragment))
