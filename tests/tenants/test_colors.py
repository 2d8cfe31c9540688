"""A network's two brand colours become a palette whose text pairs all reach WCAG AA, even
from ugly or too-light colours (tenants/colors.py, docs/design.md)."""

import gzip
import re
from pathlib import Path

import pytest

from tenants import colors
from tenants.colors import AA_NORMAL_TEXT, brand_palette, contrast_ratio
from tenants.icons import brand_initials

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "entraide.css"
UGLY = ["#ffff00", "#777777", "#00ff00", "#ffffff", "#000000", "#ff00ff", "#00ffff", "#e07a5f"]


def text_pairs(palette: dict[str, str]) -> list[tuple[str, str, str]]:
    """Every (label, text colour, background) the design system puts together."""
    light = {
        "surface": colors.SURFACE,
        "page": colors.PAGE_BG,
        "primary-tint": palette["primary-tint"],
        "accent-tint": palette["accent-tint"],
    }
    pairs = []
    for name, background in light.items():
        for text in ("primary", "accent"):
            pairs.append((f"{text} on {name}", palette[text], background))
        pairs.append((f"text on {name}", colors.TEXT, background))
        pairs.append((f"muted on {name}", colors.MUTED, background))
    pairs += [
        ("on-primary on primary", palette["on-primary"], palette["primary"]),
        ("on-primary on primary-hover", palette["on-primary"], palette["primary-hover"]),
        ("on-accent on accent", palette["on-accent"], palette["accent"]),
    ]
    return pairs


@pytest.mark.parametrize("primary", UGLY)
@pytest.mark.parametrize("accent", ["#ffff00", "#777777", "#8a3b12"])
def test_every_text_pair_reaches_aa(primary, accent):
    palette = brand_palette(primary, accent)
    for label, text, background in text_pairs(palette):
        ratio = contrast_ratio(text, background)
        assert ratio >= AA_NORMAL_TEXT, (primary, accent, label, text, background, ratio)


def test_a_colour_too_light_is_darkened_keeping_its_hue():
    assert contrast_ratio("#ffff00", "#ffffff") < 2  # the raw brand colour fails badly
    palette = brand_palette("#ffff00", "#777777")
    red, green, blue = (int(palette["primary"][i : i + 2], 16) for i in (1, 3, 5))
    assert red == green and blue == 0  # still a yellow, only darker
    assert palette["brand"] == "#ffff00"  # kept as chosen, for decoration only
    # #777777 is a hair short of AA on white (4.48:1): darkened just enough.
    assert contrast_ratio("#777777", "#ffffff") < AA_NORMAL_TEXT
    assert palette["accent"] != "#777777"
    assert contrast_ratio(palette["accent"], colors.PAGE_BG) >= AA_NORMAL_TEXT


def test_a_readable_colour_is_kept_as_it_is():
    palette = brand_palette("#1f5f8b", "#8a3b12")
    assert palette["primary"] == "#1f5f8b"
    assert palette["accent"] == "#8a3b12"
    assert palette["on-primary"] == "#ffffff"


def test_a_malformed_colour_falls_back_to_the_default():
    palette = brand_palette("red; } body { display: none", None)
    assert palette == brand_palette(colors.DEFAULT_PRIMARY, colors.DEFAULT_ACCENT)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", value) for value in palette.values())


def test_the_stylesheet_defaults_are_the_default_palette():
    root = re.search(r":root \{(.*?)\n\}", CSS.read_text(), re.S).group(1)
    declared = dict(re.findall(r"--([a-z-]+): (#[0-9a-f]{6});", root))
    for name, value in brand_palette(None, None).items():
        assert declared[name] == value, name
    # The neutrals contrast depends on are the ones tenants/colors.py checks.
    assert declared["bg"] == colors.PAGE_BG
    assert declared["surface"] == colors.SURFACE
    assert declared["text"] == colors.TEXT
    assert declared["muted"] == colors.MUTED


def test_the_stylesheet_stays_within_its_budget():
    assert len(gzip.compress(CSS.read_bytes(), 9)) < 12 * 1024


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("Mon réseau cancer du poumon", "RC"),
        ("Stent.care : cœur et vaisseaux", "SC"),
        ("Les proches", "P"),
        ("écoute", "É"),
        ("***", "?"),
        ("de la", "DL"),
    ],
)
def test_initials(name, initials):
    assert brand_initials(name) == initials
