from email.headerregistry import Address

from django.conf import settings

from tenants.models import Tenant


def tenant_base_url(tenant: Tenant, *, domain: str | None = None) -> str:
    """The absolute URL of a tenant's site, on its primary domain."""
    if domain is None:
        domain = tenant.domains.filter(is_primary=True).values_list("domain", flat=True).first()
    port = f":{settings.PLATFORM_URL_PORT}" if settings.PLATFORM_URL_PORT else ""
    return f"{settings.PLATFORM_URL_SCHEME}://{domain}{port}"


def network_sender(tenant: Tenant) -> str:
    """The From of a network's emails: its own name, the platform's address."""
    return str(Address(tenant.branding.display_name, addr_spec=settings.DEFAULT_FROM_EMAIL))
