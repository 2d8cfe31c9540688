from django.conf import settings
from django.http import HttpRequest

from tenants.colors import readable_text_on


def branding(request: HttpRequest) -> dict[str, object]:
    """The current network's branding for the base layout; the platform's on the public site."""
    tenant = getattr(request, "tenant", None)
    brand = getattr(tenant, "branding", None) if tenant and tenant.schema_name != "public" else None
    if brand is None:
        return {"brand": None, "platform_name": settings.PLATFORM_NAME, "site_layout": "base.html"}
    return {
        "site_layout": "tenant_base.html",
        "brand": brand,
        "brand_on_primary": readable_text_on(brand.primary_color),
        "platform_name": settings.PLATFORM_NAME,
    }
