"""The map of France drawn by the server as SVG: régions and départements (overseas ones as
insets, Paris and its inner ring enlarged), each shaded by a count the caller gives.

The shapes are SVG paths built once by ``scripts/build_france_map.py`` into
``core/geodata/france.json`` (IGN ADMIN EXPRESS via france-geojson, Licence Ouverte: the
credit travels with the file and is shown under every map). What is counted is the caller's
business (the platform directory's listings, a network's care offer): this module only turns
``{code: count}`` into shaded areas and a legend, and ``templates/core/france_map_svg.html``
draws them as keyboard-reachable links.
"""

import functools
import json
import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core import geo

GEODATA = Path(__file__).resolve().parent / "geodata" / "france.json"
LEVELS = ("regions", "departments")
# A sequential, colour-blind-safe scale (ColorBrewer YlGnBu, its darkest steps left out so
# the dark outlines keep 3:1 against every fill); index 0 is "none yet".
SHADES = ("#f4f1ec", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0")
CLASSES = len(SHADES) - 1


@functools.cache
def shapes() -> dict[str, Any]:
    """The geometry file, read once per process."""
    with GEODATA.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def credit() -> tuple[str, str]:
    """The source's attribution and its address, as the licence asks."""
    data = shapes()
    return data["credit"], data["credit_url"]


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    path: str
    count: int
    shade: int  # 0 (none) to CLASSES
    colour: str
    region: str  # the région's code (itself for a région)


@dataclass(frozen=True)
class Step:
    """One class of the legend: counts from ``low`` to ``high`` share ``colour``."""

    low: int
    high: int
    colour: str


@dataclass(frozen=True)
class FranceMap:
    level: str
    areas: list[Area]
    legend: list[Step]
    width: int
    height: int
    insets: list[dict[str, Any]]
    # The régions' borders drawn over the départements (decoration), else empty.
    outlines: list[str]
    # Paris and its inner ring again, zoomed in a box: code → zoomed path, else empty.
    zoom: dict[str, str]
    zoom_box: dict[str, int]


def area_codes(level: str) -> tuple[str, ...]:
    """Every région's or every département's code."""
    return tuple(geo.REGIONS) if level == "regions" else tuple(geo.DEPARTMENT_REGION)


def region_label(code: str) -> str:
    return geo.REGIONS[code][0] if code in geo.REGIONS else ""


def fold(text: str) -> str:
    """A name without its accents, to sort "Île-de-France" among the I."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def legend(highest: int) -> list[Step]:
    """Equal steps up to the highest count, rounded to whole numbers; fewer steps when the
    counts are small (never two steps for the same number)."""
    steps = [Step(0, 0, SHADES[0])]
    if highest <= 0:
        return steps
    size = math.ceil(highest / CLASSES)
    low = 1
    for index in range(1, CLASSES + 1):
        high = min(highest, size * index)
        if high < low:
            break
        steps.append(Step(low, high, SHADES[index]))
        low = high + 1
    return steps


def _shade(count: int, steps: list[Step]) -> int:
    for index, step in enumerate(steps):
        if step.low <= count <= step.high:
            return index
    return len(steps) - 1


def draw(level: str, counts: dict[str, int]) -> FranceMap:
    """The map at one level ("regions" or "departments"), each area shaded by its count in
    ``counts`` (an area missing from it counts 0), with the legend."""
    if level not in LEVELS:
        raise ValueError(level)
    data = shapes()
    steps = legend(max(counts.values(), default=0))
    if level == "regions":
        names = {code: name for code, (name, _deps) in geo.REGIONS.items()}
        regions = {code: code for code in geo.REGIONS}
    else:
        names = geo.DEPARTMENT_NAMES
        regions = geo.DEPARTMENT_REGION
    areas = []
    for code in sorted(names, key=lambda code: (fold(names[code]), code)):
        count = counts.get(code, 0)
        shade = _shade(count, steps)
        areas.append(
            Area(
                code=code,
                name=names[code],
                path=data[level][code],
                count=count,
                shade=shade,
                colour=steps[shade].colour,
                region=regions[code],
            )
        )
    return FranceMap(
        level=level,
        areas=areas,
        legend=steps,
        width=data["width"],
        height=data["height"],
        insets=data["insets"],
        outlines=list(data["regions"].values()) if level == "departments" else [],
        zoom=dict(data["zoom"]["departments"]) if level == "departments" else {},
        zoom_box={key: data["zoom"][key] for key in ("x", "y", "size")},
    )
