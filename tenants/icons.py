"""A network's icon: its logo re-encoded as a square PNG, or its initials on its primary
colour when it has no usable logo. Served as the favicon, the apple-touch-icon and the
picture of social previews (tenants.views.brand_icon).

Built from pixels only (no EXIF, ICC profile or text chunk survives) and cached in the
network's cache, keyed by what the picture depends on.
"""

import hashlib
import re
from io import BytesIO

from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from tenants.colors import brand_palette
from tenants.models import Branding

ICON_SIZES = (32, 180, 512)
# Larger pictures than this are not decoded (a logo is re-encoded to 512 px on upload).
_MAX_PIXELS = 40_000_000
_CACHE_SECONDS = 24 * 3600
# Small words that make poor initials: "Mon réseau cancer du poumon" → "RC".
_SMALL_WORDS = frozenset(
    "a au aux d de des du en et l la le les ma mes mon my of our sa ses son the and for".split()
)


def brand_initials(name: str) -> str:
    """One or two capital letters standing for a network's name."""
    words = re.findall(r"\w+", name)
    significant = [word for word in words if word.lower() not in _SMALL_WORDS] or words
    return "".join(word[0] for word in significant[:2]).upper() or "?"


def icon_version(branding: Branding) -> str:
    """What the icon depends on, hashed: a new logo (even under an old file's name), colour
    or name makes a new icon."""
    logo = ""
    if branding.logo:
        try:
            modified = branding.logo.storage.get_modified_time(branding.logo.name)
            logo = f"{branding.logo.name}:{branding.logo.size}:{modified.timestamp()}"
        except OSError:
            logo = f"{branding.logo.name}:missing"
    parts = (logo, branding.primary_color, branding.accent_color, branding.display_name)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def brand_icon_png(branding: Branding, size: int) -> bytes:
    """The network's icon, ``size`` px square, as PNG bytes (cached)."""
    if size not in ICON_SIZES:
        raise ValueError(f"icon size {size} is not one of {ICON_SIZES}")
    # The cache's key function adds the schema: a network only ever finds its own icon.
    key = f"brand-icon:{icon_version(branding)}:{size}"
    png = cache.get(key)
    if png is None:
        picture = _logo_picture(branding, size) or _monogram_picture(branding, size)
        out = BytesIO()
        picture.save(out, format="PNG", optimize=True)
        png = out.getvalue()
        cache.set(key, png, _CACHE_SECONDS)
    return png


def _logo_picture(branding: Branding, size: int) -> Image.Image | None:
    """The logo fitted in a square (on white from 180 px, where platforms fill
    transparency with black), or None when there is no logo or it cannot be read."""
    if not branding.logo:
        return None
    try:
        # The tenant storage reads under the current network's own folder.
        with branding.logo.open("rb") as file, Image.open(file) as image:
            if image.width * image.height > _MAX_PIXELS:
                return None
            image = ImageOps.exif_transpose(image)
            rgba = image.convert("RGBA")
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError):
        return None
    padding = 0 if size <= 32 else round(size * 0.08)
    inner = size - 2 * padding
    rgba.thumbnail((inner, inner), Image.Resampling.LANCZOS)
    background = (255, 255, 255, 0) if size <= 32 else (255, 255, 255, 255)
    # A new picture: pixels only, nothing of the file's metadata.
    canvas = Image.new("RGBA", (size, size), background)
    canvas.alpha_composite(rgba, ((size - rgba.width) // 2, (size - rgba.height) // 2))
    return canvas


def _monogram_picture(branding: Branding, size: int) -> Image.Image:
    """The network's initials in its readable text colour on its primary colour."""
    palette = brand_palette(branding.primary_color, branding.accent_color)
    canvas = Image.new("RGB", (size, size), palette["primary"])
    draw = ImageDraw.Draw(canvas)
    initials = brand_initials(branding.display_name)
    font = ImageFont.load_default(size=round(size * (0.5 if len(initials) == 1 else 0.42)))
    draw.text((size / 2, size / 2), initials, fill=palette["on-primary"], font=font, anchor="mm")
    return canvas
