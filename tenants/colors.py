"""WCAG 2.1 contrast arithmetic for tenant colours, and the palette a network's two brand
colours become (docs/design.md, "Colours").

The brand colours are what an association chose; the palette is what the pages use. Every
colour that carries text is moved (darkened, never re-hued) until it reaches AA against
every light background of the design system, so an ugly or too-light brand colour still
gives readable links, buttons and badges.
"""

import re

HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
# WCAG 2.1 AA for normal text.
AA_NORMAL_TEXT = 4.5
DARK_TEXT = "#1a1a1a"
LIGHT_TEXT = "#ffffff"

# The design system's fixed neutrals (static/css/entraide.css repeats them in :root).
PAGE_BG = "#faf8f5"  # warm off-white behind everything
SURFACE = "#ffffff"  # cards, fields, menus
TEXT = "#1f1b16"
MUTED = "#5b544c"
# The colours of a network without branding, and of the platform's own site.
DEFAULT_PRIMARY = "#1f5f8b"
DEFAULT_ACCENT = "#8a3b12"

# How much white goes into a brand colour to make its light surface and its soft border.
_TINT = 0.90
_SOFT = 0.72
_STEP = 0.02


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def relative_luminance(color: str) -> float:
    r, g, b = _rgb(color)
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_text_on(background: str) -> str:
    """The text colour (near-black or white) with the higher contrast on a background."""
    dark = contrast_ratio(background, DARK_TEXT)
    light = contrast_ratio(background, LIGHT_TEXT)
    return LIGHT_TEXT if light >= dark else DARK_TEXT


def mix(color: str, other: str, amount: float) -> str:
    """``color`` with ``amount`` (0–1) of ``other`` mixed in, channel by channel."""
    a, b = _rgb(color), _rgb(other)
    return _hex(tuple(x + (y - x) * amount for x, y in zip(a, b, strict=True)))


def darken_until_readable(color: str, backgrounds: tuple[str, ...]) -> str:
    """``color``, darkened in small steps towards black (its hue kept) until it reaches AA
    against every one of ``backgrounds``; unchanged when it already does."""
    amount = 0.0
    candidate = color
    while amount < 1:
        if all(contrast_ratio(candidate, bg) >= AA_NORMAL_TEXT for bg in backgrounds):
            return candidate
        amount += _STEP
        candidate = mix(color, "#000000", amount)
    return "#000000"


def _valid(color: str | None, default: str) -> str:
    return color.lower() if color and HEX_COLOR.match(color) else default


def brand_palette(primary: str | None, accent: str | None) -> dict[str, str]:
    """The custom properties of the design system derived from a network's two colours.

    ``brand``/``brand-accent`` are the colours as chosen, for decoration only (bars,
    borders). ``primary`` and ``accent`` carry text or sit under text: each is at least
    4.5:1 against the page, the cards and both tints, and ``on-primary``/``on-accent`` at
    least 4.5:1 on them.
    """
    primary = _valid(primary, DEFAULT_PRIMARY)
    accent = _valid(accent, DEFAULT_ACCENT)
    primary_tint = mix(primary, "#ffffff", _TINT)
    accent_tint = mix(accent, "#ffffff", _TINT)
    light_backgrounds = (SURFACE, PAGE_BG, primary_tint, accent_tint)
    # The tints are 90% white, so body and muted text stay readable on them whatever the
    # brand colour (tests/tenants/test_colors.py tries black, white and pure hues).
    readable_primary = darken_until_readable(primary, light_backgrounds)
    readable_accent = darken_until_readable(accent, light_backgrounds)
    return {
        "brand": primary,
        "brand-accent": accent,
        "primary": readable_primary,
        "primary-hover": mix(readable_primary, "#000000", 0.2),
        "on-primary": readable_text_on(readable_primary),
        "primary-tint": primary_tint,
        "primary-soft": mix(primary, "#ffffff", _SOFT),
        "accent": readable_accent,
        "on-accent": readable_text_on(readable_accent),
        "accent-tint": accent_tint,
        "accent-soft": mix(accent, "#ffffff", _SOFT),
    }
