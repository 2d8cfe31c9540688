"""The directory's map of France: régions and départements (overseas ones as insets), each
shaded by how many published associations and initiatives it holds.

The shapes are SVG paths built once by ``scripts/build_france_map.py`` into
``geodata/france.json`` (IGN ADMIN EXPRESS via france-geojson, Licence Ouverte: the credit
travels with the file and is shown under the map). The counts are the list's own: the same
published rows and the same area conditions as ``selectors.listings`` with a région or a
département filter, as conditional aggregates of one query per kind, so the map and the
list it links to can never disagree.
"""

import functools
import json
import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils.translation import gettext_lazy as _
from psycopg import sql

from core import geo
from shared_apps.directory import selectors

GEODATA = Path(__file__).resolve().parent / "geodata" / "france.json"
# What the map counts: the listings that have a place.
KINDS = ("association", "initiative")
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


AREAS = {
    "regions": (tuple(geo.REGIONS), selectors.region_q),
    "departments": (tuple(geo.DEPARTMENT_REGION), selectors.department_q),
}


@functools.cache
def _area_condition(kind: str, level: str, code: str) -> tuple[str, tuple[Any, ...]]:
    """The SQL of the selectors' own condition for one area (``region_q`` or
    ``department_q``) and its parameters, compiled by the ORM once per process: it depends
    on the kind and the code only."""
    condition = AREAS[level][1](kind, (code,))
    model = selectors.published(kind).model
    query = model._default_manager.filter(condition).order_by().values("pk").query
    text, params = query.sql_with_params()
    _select, where = text.split(" WHERE ", 1)
    return where, tuple(params)


def area_counts(
    filters: selectors.Filters, levels: tuple[str, ...] = LEVELS
) -> dict[str, dict[str, int]]:
    """Published associations plus initiatives per région and per département, under the
    other active filters (a pathology…): ``{"regions": {code: n}, "departments": {code: n}}``
    (only the levels asked for).

    Each count is what ``selectors.listings(kind, filters + that area)`` lists, summed over
    the kinds: the rows of ``listings`` without the area filters, counted under each area's
    condition as the selectors write it (``region_q`` / ``department_q``). One query per
    kind. The conditions are the ORM's own SQL, compiled once per process
    (``_area_condition``) and composed here: compiling 202 conditional counts on each
    request cost three times the query itself.
    """
    others = filters.without("regions").without("departments")
    counts: dict[str, dict[str, int]] = {
        level: dict.fromkeys(AREAS[level][0], 0) for level in levels
    }
    keys = [(level, code) for level in levels for code in AREAS[level][0]]
    for kind in KINDS:
        if others.kinds and kind not in others.kinds:
            continue
        queryset = selectors.listings(kind, others).order_by()
        if queryset.query.is_empty():
            continue
        rows_sql, rows_params = queryset.values("pk").query.sql_with_params()
        counted: list[sql.Composable] = []
        params: list[Any] = []
        for level, code in keys:
            where, condition_params = _area_condition(kind, level, code)
            counted.append(sql.SQL("COUNT(*) FILTER (WHERE {})").format(sql.SQL(where)))
            params.extend(condition_params)
        table = sql.Identifier(queryset.model._meta.db_table)
        query = sql.SQL("SELECT {counts} FROM {table} WHERE {table}.{pk} IN ({rows})").format(
            counts=sql.SQL(", ").join(counted),
            table=table,
            pk=sql.Identifier(queryset.model._meta.pk.column),
            rows=sql.SQL(rows_sql),
        )
        with connection.cursor() as cursor:
            cursor.execute(query.as_string(cursor.connection), [*params, *rows_params])
            row = cursor.fetchone()
        for (level, code), number in zip(keys, row, strict=True):
            counts[level][code] += number
    return counts


def kind_choices() -> list[tuple[str, str]]:
    """The kinds the map counts, for its filter."""
    return [("association", str(_("Associations"))), ("initiative", str(_("Initiatives")))]


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


def france_map(level: str, filters: selectors.Filters) -> FranceMap:
    """The map at one level ("regions" or "departments"), shaded by the counts under the
    filters, with its legend."""
    if level not in LEVELS:
        raise ValueError(level)
    data = shapes()
    # Only this level's: each area is one more condition to compile and count.
    counts = area_counts(filters, (level,))[level]
    steps = legend(max(counts.values(), default=0))
    if level == "regions":
        names = {code: name for code, (name, _deps) in geo.REGIONS.items()}
        regions = {code: code for code in geo.REGIONS}
    else:
        names = geo.DEPARTMENT_NAMES
        regions = geo.DEPARTMENT_REGION
    areas = [
        Area(
            code=code,
            name=names[code],
            path=data[level][code],
            count=counts[code],
            shade=(shade := _shade(counts[code], steps)),
            colour=steps[shade].colour,
            region=regions[code],
        )
        for code in sorted(names, key=lambda code: (fold(names[code]), code))
    ]
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
