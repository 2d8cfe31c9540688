"""scripts/screenshots.py: it knows the demo's networks and password, and keeps PNGs small."""

import importlib.util
import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from provisioning.demo import DEMO_NETWORKS, DEMO_PASSWORD

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "screenshots.py"


@pytest.fixture(scope="module")
def screenshots():
    spec = importlib.util.spec_from_file_location("screenshots_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_it_reads_the_demos_password_and_networks_as_provisioning_has_them(screenshots):
    password, slugs = screenshots.demo_constants()
    assert password == DEMO_PASSWORD
    assert slugs == [network["slug"] for network in DEMO_NETWORKS]


def _page_like_png() -> bytes:
    """A page-like picture: a coloured header, text-like strokes, a soft gradient."""
    image = Image.new("RGB", (390, 1200), (250, 248, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 390, 60), fill=(31, 95, 139))
    for y in range(80, 1200, 18):
        for x in range(10, 380, 9):
            draw.line((x, y, x + 5, y + 8), fill=(30 + x % 40, 30, 40), width=1)
    for x in range(390):
        draw.line((x, 1150, x, 1200), fill=(x % 256, 120, 200))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_a_shot_is_saved_as_a_smaller_palette_png_of_the_same_size(screenshots):
    original = _page_like_png()
    compact = screenshots.compact_png(original)
    image = Image.open(io.BytesIO(compact))
    assert image.format == "PNG" and image.mode == "P"
    assert image.size == (390, 1200)
    assert len(compact) < len(original)
    truecolor = Image.open(io.BytesIO(screenshots.compact_png(original, truecolor=True)))
    assert truecolor.mode == "RGB"
