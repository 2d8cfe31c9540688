"""A network's palette as a stylesheet of its own (``/couleurs/<version>.css``), so that
pages carry no inline style and the Content-Security-Policy allows our own files only.

The version is a digest of the stylesheet itself: a new colour is a new address, so the
stylesheet is cached for a year and never served stale (docs/security-headers.md).
"""

import hashlib

from tenants.colors import brand_palette
from tenants.models import Branding


def branding_css(branding: Branding) -> str:
    """The stylesheet of a network's branding."""
    return palette_css(brand_palette(branding.primary_color, branding.accent_color))


def palette_css(palette: dict[str, str]) -> str:
    """The design system's custom properties in a network's colours, from
    ``tenants.colors.brand_palette`` (hex colours only, whatever was saved)."""
    lines = "".join(f"  --{name}: {value};\n" for name, value in palette.items())
    return ":root {\n" + lines + "}\n"


def palette_version(css: str) -> str:
    """The stylesheet's address part: 12 hex digits of its digest."""
    return hashlib.sha256(css.encode()).hexdigest()[:12]
