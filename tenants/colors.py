"""WCAG 2.1 contrast arithmetic for tenant colours."""

import re

HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
# WCAG 2.1 AA for normal text.
AA_NORMAL_TEXT = 4.5
DARK_TEXT = "#1a1a1a"
LIGHT_TEXT = "#ffffff"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str) -> float:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_text_on(background: str) -> str:
    """The text colour (near-black or white) with the higher contrast on a background."""
    dark = contrast_ratio(background, DARK_TEXT)
    light = contrast_ratio(background, LIGHT_TEXT)
    return LIGHT_TEXT if light >= dark else DARK_TEXT
