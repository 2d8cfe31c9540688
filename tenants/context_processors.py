from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from tenants.colors import brand_palette
from tenants.icons import brand_initials
from tenants.links import network_url, tenant_base_url
from tenants.theme import palette_css, palette_version


def branding(request: HttpRequest) -> dict[str, object]:
    """The current network's branding for the base layout; the platform's on the public site.

    ``brand_stylesheet_url`` is the address of the design system's colours derived from the
    brand's two (tenants/colors.py, tenants/theme.py); ``brand_icon_url`` the absolute
    address of its 512 px icon on the network's primary domain, for social previews.
    """
    tenant = getattr(request, "tenant", None)
    brand = getattr(tenant, "branding", None) if tenant and tenant.schema_name != "public" else None
    if brand is None:
        return {"brand": None, "platform_name": settings.PLATFORM_NAME, "site_layout": "base.html"}
    palette = brand_palette(brand.primary_color, brand.accent_color)
    icon_path = reverse("brand_icon", kwargs={"size": 512})
    # The host middleware resolved the primary domain with the network: no query here.
    primary = getattr(tenant, "primary_domain", None)
    if primary:
        icon_url = tenant_base_url(tenant, domain=primary) + icon_path
    else:
        icon_url = network_url(icon_path, tenant=tenant)
    match = request.resolver_match
    section = match.namespace if match else ""
    if section == "forums" and match.url_name.startswith("group"):
        section = "groups"
    return {
        "site_layout": "tenant_base.html",
        # The menu's entry to mark as the current one.
        "site_section": section,
        "brand_initials": brand_initials(brand.display_name),
        "brand": brand,
        # The palette's own stylesheet (tenants.theme): no inline style under the CSP.
        "brand_stylesheet_url": reverse(
            "brand_stylesheet", kwargs={"version": palette_version(palette_css(palette))}
        ),
        "brand_on_primary": palette["on-primary"],
        "brand_icon_url": icon_url,
        "platform_name": settings.PLATFORM_NAME,
    }
