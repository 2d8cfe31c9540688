"""What the directory shows, read by its pages, the API, the export and the map.

Only published rows are ever listed or counted (``published``). Filters combine: values of
one filter are alternatives (two régions: either), filters between them all apply. A filter
that does not concern a kind (a form for an association, a pathology for a resource) leaves
that kind out. Areas include their parts: an association serving a région serves each of
its départements; an initiative of a région without a département counts in each of them.

Facets follow the usual rule of faceted search: a facet's counts apply every active filter
but its own, so each count is what a click on it would list. One query counts them all,
a part per kind (``_facet_plan``): the kind's matching rows are read once, each counted
filter is a boolean column, régions, forms and carriers are conditional aggregates over the
selectors' own conditions, formats a grouping, pathologies and themes the ids each row
carries (``pathology_ids``, ``theme_ids``, kept by ``search.reindex`` from the link tables
the filters read).

Kept answers: ``facets`` and ``search`` keep their answers in the cache per directory
version (``search_cache``: a trigger on every table they read changes the version in the
writer's transaction; an answer with events also ends when the next one does), so a
question asked again before any write costs one query.

Speed: the ORM builds the SQL of a filter set once per process (a bounded cache keyed by
the filters without their text); each search binds its text, its time and its page. No
query of the search reaches PostgreSQL's ``jit_above_cost`` on the benchmark's directory
(5,000 associations, 20,000 initiatives: about 19,000 at most against 100,000), so the
project leaves JIT as configured: the per-count correlated subqueries that once made it
compile (seconds) are gone. Were it needed, ``ALTER DATABASE … SET jit = off`` works behind
pgbouncer in session mode, where a connection's startup options do not.
"""

import dataclasses
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Model,
    Q,
    QuerySet,
    Value,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from psycopg import sql

from core import geo
from core.search import searchable
from shared_apps.directory import search as directory_search
from shared_apps.directory import search_cache
from shared_apps.directory.models import (
    Association,
    DirectoryEvent,
    Initiative,
    Pathology,
    Resource,
    Review,
    Theme,
)

KINDS = ("association", "initiative", "event", "resource")
# Which filters concern which kind; any other active filter leaves the kind out.
APPLIES = {
    "association": {"pathologies", "regions", "departments"},
    "initiative": {"pathologies", "regions", "departments", "forms", "carriers", "themes"},
    "event": {"pathologies", "regions", "departments", "formats"},
    "resource": {"themes"},
}
# The formats a network's event may have (tenant_apps.events.models.Event.Format, which the
# directory, below the networks' apps, does not import).
EVENT_FORMATS = {
    "webinar": _("Webinar"),
    "in_person": _("In person"),
    "challenge": _("Walking challenge"),
    "other": _("Other"),
}
FACETS = ("kinds", "pathologies", "regions", "forms", "carriers", "formats")


@dataclass(frozen=True)
class Filters:
    """The active filters: each a tuple of accepted values (codes, slugs), empty when off."""

    q: str = ""
    kinds: tuple[str, ...] = ()
    pathologies: tuple[str, ...] = ()  # slugs
    regions: tuple[str, ...] = ()  # INSEE codes
    departments: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    carriers: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()  # slugs

    def replace(self, **changes: Any) -> "Filters":
        return dataclasses.replace(self, **changes)

    def without(self, name: str) -> "Filters":
        return dataclasses.replace(self, **{name: ""} if name == "q" else {name: ()})

    def active(self) -> set[str]:
        return {f.name for f in dataclasses.fields(self) if f.name != "q" and getattr(self, f.name)}


def published(kind: str) -> QuerySet:
    """Every row of a kind the directory may show: published, and for events not over."""
    return _published(kind, timezone.now())


def _published(kind: str, now: datetime) -> QuerySet:
    if kind == "association":
        return Association.objects.filter(review=Review.PUBLISHED)
    if kind == "initiative":
        return Initiative.objects.filter(review=Review.PUBLISHED)
    if kind == "event":
        return DirectoryEvent.objects.filter(review=Review.PUBLISHED, ends_at__gte=now)
    if kind == "resource":
        return Resource.objects.filter(published=True)
    raise ValueError(kind)


def _region_departments(codes: Iterable[str]) -> list[str]:
    return [dep for code in codes if code in geo.REGIONS for dep, _name in geo.REGIONS[code][1]]


# The link tables of the many-to-many relations, with the column naming the listing.
PATHOLOGY_LINKS: dict[str, tuple[type[Model], str]] = {
    "association": (Association.pathologies.through, "association_id"),
    "initiative": (Initiative.pathologies.through, "initiative_id"),
    "event": (DirectoryEvent.pathologies.through, "directoryevent_id"),
}
THEME_LINKS: dict[str, tuple[type[Model], str]] = {
    "initiative": (Initiative.themes.through, "initiative_id"),
    "resource": (Resource.themes.through, "resource_id"),
}


# A row has a pathology (a theme) when its link table says so. Written as ``id IN (the
# linked ids)``, not a correlated EXISTS: in a WHERE PostgreSQL joins it either way, and as a
# facet's boolean column (``_facet_plan``) it is one hashed set for all rows instead of a
# lookup per row.


def _pathology_q(kind: str, slugs: tuple[str, ...]) -> Q:
    through, column = PATHOLOGY_LINKS[kind]
    linked = through._default_manager.filter(pathology__slug__in=slugs).values(column)
    return Q(pk__in=linked)


def _theme_q(kind: str, slugs: tuple[str, ...]) -> Q:
    through, column = THEME_LINKS[kind]
    return Q(pk__in=through._default_manager.filter(theme__slug__in=slugs).values(column))


def region_q(kind: str, codes: Iterable[str]) -> Q:
    """Rows of a kind in any of these régions (an association through a département too)."""
    codes = [code for code in codes if code in geo.REGIONS]
    if kind == "association":
        return Q(regions__overlap=codes) | Q(departments__overlap=_region_departments(codes))
    return Q(region__in=codes)


def department_q(kind: str, codes: Iterable[str]) -> Q:
    """Rows of a kind in any of these départements, or in their whole région."""
    codes = [code for code in codes if code in geo.DEPARTMENT_REGION]
    regions = sorted({geo.DEPARTMENT_REGION[code] for code in codes})
    if kind == "association":
        return Q(departments__overlap=codes) | Q(regions__overlap=regions)
    if kind == "initiative":
        return Q(department__in=codes) | Q(department="", region__in=regions)
    return Q(region__in=regions)


def _filter_q(kind: str, name: str, values: tuple[str, ...]) -> Q:
    if name == "pathologies":
        return _pathology_q(kind, values)
    if name == "themes":
        return _theme_q(kind, values)
    if name == "regions":
        return region_q(kind, values)
    if name == "departments":
        return department_q(kind, values)
    if name == "forms":
        return Q(form__in=values)
    if name == "carriers":
        return Q(carrier__in=values)
    if name == "formats":
        return Q(format__in=values)
    raise ValueError(name)


def _applies(kind: str, filters: Filters) -> bool:
    if filters.kinds and kind not in filters.kinds:
        return False
    return (filters.active() - {"kinds"}) <= APPLIES[kind]


def _conditions(kind: str, filters: Filters) -> Q:
    condition = Q()
    for name in sorted(filters.active() - {"kinds"}):
        condition &= _filter_q(kind, name, getattr(filters, name))
    return condition


def _ordered(kind: str, queryset: QuerySet, ranked: bool) -> QuerySet:
    base = {
        "association": ("name", "id"),
        "initiative": ("title", "id"),
        "event": ("starts_at", "id"),
        "resource": ("-published_at", "-id"),
    }[kind]
    return queryset.order_by("-rank", *base) if ranked else queryset.order_by(*base)


def listings(kind: str, filters: Filters) -> QuerySet:
    """The published rows of a kind that the filters (and the text) keep, annotated with
    ``rank``; ordered best match first, then in the kind's stable order (name, date) and id."""
    if not _applies(kind, filters):
        return published(kind).none()
    return _ordered(kind, _listings(kind, filters, timezone.now()), bool(filters.q.strip()))


def _listings(kind: str, filters: Filters, now: datetime) -> QuerySet:
    return directory_search.ranked(
        _published(kind, now).filter(_conditions(kind, filters)), filters.q
    )


def rows_for(kind: str, ids: list[int]) -> dict[int, Any]:
    """Published rows by id, with what a result line shows (one query, two with the
    pathologies or a resource's themes)."""
    queryset = published(kind).filter(pk__in=ids).defer(*UNSHOWN[kind])
    if kind in ("association", "initiative", "event"):
        queryset = queryset.prefetch_related("pathologies")
    if kind == "resource":
        queryset = queryset.prefetch_related("themes")
    return {row.pk: row for row in queryset}


# What a result line never shows, left in the table (a search document alone weighs more
# than the rest of its row).
UNSHOWN = {
    "association": ("search_vector",),
    "initiative": ("search_vector", "motivation", "success_text"),
    "event": ("search_vector",),
    "resource": ("search_vector", "body", "body_html"),
}


# --- facets -------------------------------------------------------------------------------


# Stand-ins the SQL of a filter set is compiled with once, then replaced by each call's
# values: the search text (``core.search.searchable`` leaves it as it is) and the time
# before which events are over.
_TEXT = "\ue000directory-query\ue000"
_NOW = datetime(2000, 1, 1, 0, 0, 0, 424242, tzinfo=UTC)
# Where a page ends (search binds its offset plus its limit there).
_END = -(2**62) + 4242
# Filter sets whose SQL is kept, per process (least recently used out).
PLANS = 256


def _bind(params: tuple[Any, ...], text: str) -> list[Any]:
    """The compiled parameters with this call's text and time in the stand-ins' places."""
    folded, now = searchable(text), timezone.now()
    return [
        folded if isinstance(p, str) and p == _TEXT else now if p is _NOW or p == _NOW else p
        for p in params
    ]


def _rows(kind: str, shape: Filters, names: Iterable[str], *, text: bool) -> QuerySet:
    """The published rows of a kind matching the text (a stand-in) and the named filters of
    ``shape``: ``listings`` without ranking nor order."""
    rows = directory_search.matching(_published(kind, _NOW), _TEXT if text else "").order_by()
    for name in sorted(names):
        rows = rows.filter(_filter_q(kind, name, getattr(shape, name)))
    return rows


def _as_sql(query: sql.Composable) -> str:
    with connection.cursor() as cursor:
        return query.as_string(cursor.connection)


# Facets counted by conditional aggregates over each value's condition, and by grouping
# the rows' links (pathologies, themes) or their column (formats).
SCALAR_FACETS = ("regions", "forms", "carriers")
# The column of each row's ids of a linked facet, kept by search.reindex from the link
# table the filters read (models.Listed.pathology_ids).
LINKED_IDS = {"pathologies": "pathology_ids", "themes": "theme_ids"}
_CHOICES: dict[str, tuple[str, ...]] = {
    "regions": tuple(geo.REGIONS),
    "forms": tuple(Initiative.Form.values),
    "carriers": tuple(Initiative.Carrier.values),
}


@dataclass(frozen=True)
class _FacetPlan:
    sql: str
    params: tuple[Any, ...]
    # What each column of the one row counts: ("kinds", kind), (facet, value), or
    # (facet, None) for a JSON object {value: count}.
    columns: tuple[tuple[str, str | None], ...]


@functools.lru_cache(maxsize=PLANS)
def _facet_plan(
    kind: str, shape: Filters, text: bool, counted: tuple[str, ...]
) -> _FacetPlan | None:
    """One query counting every facet of ``counted`` (and the kind's total) for one kind,
    or None when an active filter leaves the kind out.

    The rows matching the text and the filters that are not counted here are read once
    (the query's WHERE); each counted filter that is active becomes a boolean column
    (``f_<name>``), so each facet counts the rows passing every flag but its own: its count
    is what a click on the value would list. Conditions are the selectors' own
    (``_filter_q``), compiled by the ORM; this composes them."""
    active = shape.active() - {"kinds"}
    flagged = sorted(active & set(counted))
    shared = active - set(flagged)
    if not shared <= APPLIES[kind]:
        return None
    rows = _rows(kind, shape, shared, text=text)
    flags = {
        f"f_{name}": ExpressionWrapper(
            _filter_q(kind, name, getattr(shape, name)), output_field=BooleanField()
        )
        for name in flagged
    }
    values: dict[str, Any] = {}
    for name in counted:
        if name in SCALAR_FACETS:
            for index, value in enumerate(_CHOICES[name]):
                values[f"v_{name}_{index}"] = ExpressionWrapper(
                    _filter_q(kind, name, (value,)), output_field=BooleanField()
                )
    fields = [
        "pk",
        *(["format"] if "formats" in counted else []),
        *(LINKED_IDS[name] for name in counted if name in LINKED_IDS),
    ]
    rows = rows.annotate(**flags, **values).values(*fields, *flags, *values)
    rows_sql, rows_params = rows.query.sql_with_params()
    names = ["id", *fields[1:], *flags, *values]

    def others(name: str) -> sql.Composable:
        kept = [sql.Identifier("m", f"f_{n}") for n in flagged if n != name]
        return sql.SQL(" AND ").join(kept) if kept else sql.SQL("TRUE")

    columns: list[tuple[str, str | None]] = [("kinds", kind)]
    selected: list[sql.Composable] = [sql.SQL("count(*) FILTER (WHERE {})").format(others("kinds"))]
    for name in counted:
        if name in SCALAR_FACETS:
            for index, value in enumerate(_CHOICES[name]):
                columns.append((name, value))
                selected.append(
                    sql.SQL("count(*) FILTER (WHERE {} AND {})").format(
                        others(name), sql.Identifier("m", f"v_{name}_{index}")
                    )
                )
        elif name == "formats":
            columns.append((name, None))
            selected.append(
                sql.SQL(
                    "(SELECT json_object_agg(g.value, g.n) FROM (SELECT m.format AS value, "
                    "count(*) AS n FROM m WHERE {} GROUP BY m.format) g)"
                ).format(others(name))
            )
        else:  # pathologies, themes: the ids each row carries (``pathology_ids``…)
            related = (Pathology if name == "pathologies" else Theme)._meta
            columns.append((name, None))
            selected.append(
                sql.SQL(
                    "(SELECT json_object_agg(t.{slug}, g.n) FROM (SELECT u.id, count(*) AS n "
                    "FROM m, unnest(m.{ids}) AS u(id) WHERE {others} GROUP BY u.id) g "
                    "JOIN {table} t ON t.{pk} = g.id)"
                ).format(
                    slug=sql.Identifier("slug"),
                    ids=sql.Identifier(LINKED_IDS[name]),
                    table=sql.Identifier(related.db_table),
                    pk=sql.Identifier(related.pk.column or "id"),
                    others=others(name),
                )
            )
    query = sql.SQL("WITH m ({names}) AS MATERIALIZED ({rows}) SELECT {selected} FROM m").format(
        names=sql.SQL(", ").join(sql.Identifier(n) for n in names),
        rows=sql.SQL(rows_sql),
        selected=sql.SQL(", ").join(selected),
    )
    return _FacetPlan(sql=_as_sql(query), params=tuple(rows_params), columns=tuple(columns))


def facets(
    kind: str | None, filters: Filters, *, only: Iterable[str] | None = None
) -> dict[str, dict[str, int]]:
    """The counts beside each filter's values (``_facets``), kept per directory version
    (``search_cache``): asked again before any write, the same question costs one query."""
    shown = None if only is None else tuple(sorted(set(only)))
    return search_cache.remembered(
        "facets",
        (kind, filters, shown),
        lambda: _facets(kind, filters, only=shown),
        next_change=next_event_end,
    )


def next_event_end(now: datetime) -> datetime | None:
    """When the next published event ends (and leaves every list): the first moment after
    ``now`` a search's answer may change without a write. One query, its SQL the events'
    own rule (``_published``) compiled once per process."""
    sql_text, params = _next_event_end_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql_text, [now if p is _NOW or p == _NOW else p for p in params])
        row = cursor.fetchone()
    return row[0] if row else None


@functools.lru_cache(maxsize=1)
def _next_event_end_sql() -> tuple[str, tuple[Any, ...]]:
    first = _published("event", _NOW).order_by("ends_at").values_list("ends_at")[:1]
    return first.query.sql_with_params()


def _facets(
    kind: str | None, filters: Filters, *, only: Iterable[str] | None = None
) -> dict[str, dict[str, int]]:
    """The counts beside each filter's values, for one kind or (``None``) every kind the
    filters allow: ``{"kinds": {kind: n}, "pathologies": {slug: n}, "regions": {code: n},
    "forms": {...}, "carriers": {...}, "formats": {...}, "themes": {slug: n}}``. A facet's
    counts apply every active filter but its own. Values with no row count 0 (pathologies,
    themes and formats without any row are left out). ``only`` names the facets a caller
    shows, to spare the work of the others (the kinds' totals are always counted).

    One query (``_facets_plan``: a part per kind the filters allow), its SQL compiled once
    per process and filter set, then run with the text."""
    wanted = set(FACETS + ("themes",)) if only is None else set(only)
    kinds = [kind] if kind else list(KINDS)
    result: dict[str, dict[str, int]] = {
        "kinds": {},
        "pathologies": {},
        "regions": {code: 0 for code in geo.REGIONS},
        "forms": {value: 0 for value in Initiative.Form.values},
        "carriers": {value: 0 for value in Initiative.Carrier.values},
        "formats": {},
        "themes": {},
    }
    text = bool(filters.q.strip())
    asked = []
    for each in kinds:
        result["kinds"][each] = 0
        chosen = not filters.kinds or each in filters.kinds
        counted = (
            tuple(
                name
                for name in ("pathologies", "regions", "forms", "carriers", "formats", "themes")
                if name in wanted and name in APPLIES[each]
            )
            if chosen
            else ()
        )
        asked.append((each, counted))
    plan = _facets_plan(filters.replace(q=""), text, tuple(asked))
    if plan is None:
        return result
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, _bind(plan.params, filters.q))
        row = cursor.fetchone()
    for (name, value), count in zip(plan.columns, row, strict=True):
        if value is not None:
            result[name][value] = result[name].get(value, 0) + count
            continue
        for key, number in (count or {}).items():
            result[name][key] = result[name].get(key, 0) + number
    return result


@functools.lru_cache(maxsize=PLANS)
def _facets_plan(
    shape: Filters, text: bool, asked: tuple[tuple[str, tuple[str, ...]], ...]
) -> _FacetPlan | None:
    """The kinds' facet queries (``_facet_plan``) as one: each a one-row subquery, side by
    side (one round trip instead of four)."""
    plans = [plan for kind, counted in asked if (plan := _facet_plan(kind, shape, text, counted))]
    if not plans:
        return None
    query = sql.SQL("SELECT * FROM {}").format(
        sql.SQL(", ").join(
            sql.SQL("({}) {}").format(sql.SQL(plan.sql), sql.Identifier(f"k{index}"))
            for index, plan in enumerate(plans)
        )
    )
    return _FacetPlan(
        sql=_as_sql(query),
        params=tuple(param for plan in plans for param in plan.params),
        columns=tuple(column for plan in plans for column in plan.columns),
    )


def pathologies() -> list[Pathology]:
    return list(Pathology.objects.all())


def themes() -> list[Theme]:
    return list(Theme.objects.all())


def total(kind: str) -> int:
    return published(kind).count()


def totals() -> dict[str, int]:
    """How many listings each kind shows, in one query (a UNION of four counts)."""
    parts = [
        published(kind).order_by().annotate(kind=Value(kind)).values("kind").annotate(n=Count("pk"))
        for kind in KINDS
    ]
    counted = {kind: 0 for kind in KINDS}
    for row in parts[0].union(*parts[1:], all=True):
        counted[row["kind"]] = row["n"]
    return counted


# The search across kinds: the ranked page, composed from each kind's listings above.
@dataclass(frozen=True)
class Hit:
    """One result of the search across kinds."""

    kind: str
    id: int
    label: str
    rank: float
    obj: Any


@functools.lru_cache(maxsize=256)
def _search_plan(shape: Any, text: bool) -> tuple[str, tuple[Any, ...]] | None:
    """The ranked page's SQL for a filter set (without its text): each kind's matching
    rows, best first then by label and id, cut to the page's end (``%s``, the offset plus
    the limit) before they are put together and cut again (the page: ``%s`` rows from the
    ``%s``-th). Without text nothing is ranked (0 for all): the rows come by label. The rows
    are ``_listings``, the lists' own rule; None when no kind is left."""
    parts: list[sql.Composable] = []
    params: list[Any] = []
    for kind in KINDS:
        if not _applies(kind, shape):
            continue
        rows = _listings(kind, shape.replace(q=_TEXT if text else ""), _NOW)
        label = "name" if kind == "association" else "title"
        rows = (
            rows.order_by()
            .annotate(hit_kind=Value(kind), hit_label=F(label))
            .values_list("hit_kind", "id", "hit_label", "rank")
        )
        rows_sql, rows_params = rows.query.sql_with_params()
        parts.append(
            sql.SQL("(SELECT * FROM ({rows}) {alias} ORDER BY 4 DESC, 3, 2 LIMIT %s)").format(
                rows=sql.SQL(rows_sql), alias=sql.Identifier(f"hits_{kind}")
            )
        )
        params.extend(rows_params)
        params.append(_END)
    if not parts:
        return None
    query = sql.SQL(
        "SELECT * FROM ({parts}) hits ORDER BY 4 DESC, 3, 1, 2 LIMIT %s OFFSET %s"
    ).format(parts=sql.SQL(" UNION ALL ").join(parts))
    with connection.cursor() as cursor:
        return query.as_string(cursor.connection), tuple(params)


def search(text: str, filters: Any, *, offset: int = 0, limit: int = 20) -> list[Hit]:
    """The ranked page (``_search``), its rows with it, kept per directory version
    (``search_cache``): asked again before any write, the same page costs one query."""
    return search_cache.remembered(
        "search",
        (text, filters, offset, limit),
        lambda: _search(text, filters, offset=offset, limit=limit),
        next_change=next_event_end,
    )


def _search(text: str, filters: Any, *, offset: int = 0, limit: int = 20) -> list[Hit]:
    """The published listings of every kind the filters allow that match the text, best
    first (then by name, kind and id: a stable order for pages). One query for the ranked
    page (``_search_plan``, its SQL compiled once per process and filter set), then one per
    kind present for the rows (two with their pathologies or themes)."""
    shape = filters.replace(q="") if hasattr(filters, "replace") else filters
    plan = _search_plan(shape, bool(text.strip()))
    if plan is None:
        return []
    sql_text, params = plan
    bound = [offset + limit if p is _END else p for p in _bind(params, text)]
    with connection.cursor() as cursor:
        cursor.execute(sql_text, [*bound, limit, offset])
        rows = cursor.fetchall()
    by_kind: dict[str, list[int]] = {}
    for kind, pk, _label, _rank in rows:
        by_kind.setdefault(kind, []).append(pk)
    objects = {kind: rows_for(kind, pks) for kind, pks in by_kind.items()}
    return [
        Hit(kind=kind, id=pk, label=label, rank=rank, obj=objects[kind].get(pk))
        for kind, pk, label, rank in rows
        if objects[kind].get(pk) is not None
    ]
