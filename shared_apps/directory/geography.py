"""The directory's map of France: régions and départements (overseas ones as insets), each
shaded by how many published associations and initiatives it holds.

The drawing is ``core.francemap``, shared with the networks' care offer map. The counts
are the list's own: the same published rows and the same area conditions as
``selectors.listings`` with a région or a département filter, as conditional aggregates of
one query per kind, so the map and the list it links to can never disagree.
"""

import functools
from typing import Any

from django.db import connection
from django.utils.translation import gettext_lazy as _
from psycopg import sql

from core import geo
from core.francemap import (  # noqa: F401 (the directory's names for the shared drawing)
    CLASSES,
    GEODATA,
    LEVELS,
    SHADES,
    Area,
    FranceMap,
    Step,
    credit,
    fold,
    legend,
    region_label,
    shapes,
)
from core.francemap import draw as draw_map
from shared_apps.directory import selectors

# What the map counts: the listings that have a place.
KINDS = ("association", "initiative")


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


def france_map(level: str, filters: selectors.Filters) -> FranceMap:
    """The map at one level ("regions" or "departments"), shaded by the counts under the
    filters, with its legend."""
    if level not in LEVELS:
        raise ValueError(level)
    # Only this level's: each area is one more condition to compile and count.
    return draw_map(level, area_counts(filters, (level,))[level])
