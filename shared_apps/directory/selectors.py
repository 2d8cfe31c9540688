"""What the directory shows, read by its pages, the API, the export and the map.

Only published rows are ever listed or counted (``published``). Filters combine: values of
one filter are alternatives (two régions: either), filters between them all apply. A filter
that does not concern a kind (a form for an association, a pathology for a resource) leaves
that kind out. Areas include their parts: an association serving a région serves each of
its départements; an initiative of a région without a département counts in each of them.

Facets follow the usual rule of faceted search: a facet's counts apply every active filter
but its own, so each count is what a click on it would list. They are conditional
aggregates: one query per kind for the régions, forms, carriers, formats and the kind's
total, one per kind for the pathologies.
"""

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import geo
from shared_apps.directory import search as directory_search
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
    if kind == "association":
        return Association.objects.filter(review=Review.PUBLISHED)
    if kind == "initiative":
        return Initiative.objects.filter(review=Review.PUBLISHED)
    if kind == "event":
        return DirectoryEvent.objects.filter(review=Review.PUBLISHED, ends_at__gte=timezone.now())
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


def _pathology_q(kind: str, slugs: tuple[str, ...]) -> Q:
    through, column = PATHOLOGY_LINKS[kind]
    return Q(
        Exists(
            through._default_manager.filter(**{column: OuterRef("pk")}, pathology__slug__in=slugs)
        )
    )


def _theme_q(kind: str, slugs: tuple[str, ...]) -> Q:
    through, column = THEME_LINKS[kind]
    return Q(
        Exists(through._default_manager.filter(**{column: OuterRef("pk")}, theme__slug__in=slugs))
    )


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
    queryset = directory_search.ranked(
        published(kind).filter(_conditions(kind, filters)), filters.q
    )
    return _ordered(kind, queryset, bool(filters.q.strip()))


def rows_for(kind: str, ids: list[int]) -> dict[int, Any]:
    """Published rows by id, with what a result line shows (one query, two for the
    pathologies)."""
    queryset = published(kind).filter(pk__in=ids)
    if kind in ("association", "initiative", "event"):
        queryset = queryset.prefetch_related("pathologies")
    return {row.pk: row for row in queryset}


# --- facets -------------------------------------------------------------------------------


SCALAR_FACETS = ("regions", "forms", "carriers")


def _scalar_facets(kind: str, filters: Filters, *, only_total: bool) -> dict[str, dict[str, int]]:
    """Régions, forms, carriers and the kind's own total, as conditional aggregates of one
    query (only the total when the kind is not among those chosen).

    What every count shares (the text, the pathologies, themes, départements, formats) is
    the query's WHERE, evaluated once per row; each count's FILTER holds only the cheap
    column tests of the other scalar facets and its own value."""
    names: list[str] = [] if only_total else [n for n in SCALAR_FACETS if n in APPLIES[kind]]
    result: dict[str, dict[str, int]] = {name: {} for name in names}
    result["kinds"] = {kind: 0}
    shared = {n for n in filters.active() - {"kinds"} if n not in SCALAR_FACETS}
    if not shared <= APPLIES[kind]:
        return result  # a filter that leaves the kind out: every count is 0
    base = directory_search.matching(published(kind), filters.q).order_by()
    for name in sorted(shared):
        base = base.filter(_filter_q(kind, name, getattr(filters, name)))
    scalar = {n for n in filters.active() if n in SCALAR_FACETS}

    def others_q(excluded: str | None) -> Q | None:
        condition = Q()
        for name in sorted(scalar - {excluded} if excluded else scalar):
            if name not in APPLIES[kind]:
                return None
            condition &= _filter_q(kind, name, getattr(filters, name))
        return condition

    choices: dict[str, list[str]] = {
        "regions": list(geo.REGIONS),
        "forms": list(Initiative.Form.values),
        "carriers": list(Initiative.Carrier.values),
    }
    aggregates: dict[str, Count] = {}
    keys: dict[str, tuple[str, str]] = {}
    for name in names:
        condition = others_q(name)
        if condition is None:
            continue
        for index, value in enumerate(choices[name]):
            key = f"{name}_{index}"
            keys[key] = (name, value)
            aggregates[key] = Count("pk", filter=condition & _filter_q(kind, name, (value,)))
    total = others_q(None)
    if total is not None:
        aggregates["kind_total"] = Count("pk", filter=total) if total else Count("pk")
    if not aggregates:
        return result
    counted = base.aggregate(**aggregates)
    for key, (name, value) in keys.items():
        result[name][value] = counted[key] or 0
    result["kinds"][kind] = counted.get("kind_total") or 0
    return result


def _format_facet(filters: Filters) -> dict[str, int]:
    """Event format → count of upcoming events, grouped in one query."""
    others = filters.without("formats").without("kinds")
    if not _applies("event", others):
        return {}
    counted = listings("event", others).order_by().values("format").annotate(n=Count("pk"))
    return {row["format"]: row["n"] for row in counted}


def _pathology_facet(kind: str, filters: Filters) -> dict[str, int]:
    """Pathology slug → count of this kind's rows, grouped on the link table in one query."""
    if "pathologies" not in APPLIES[kind]:
        return {}
    others = filters.without("pathologies")
    if not _applies(kind, others.without("kinds")):
        return {}
    rows = listings(kind, others.without("kinds")).order_by().values("pk")
    through, column = PATHOLOGY_LINKS[kind]
    counted = (
        through._default_manager.filter(**{f"{column}__in": rows})
        .values("pathology__slug")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["pathology__slug"]: row["n"] for row in counted}


def _theme_facet(kind: str, filters: Filters) -> dict[str, int]:
    """Theme slug → count of this kind's rows, grouped on the link table in one query."""
    if "themes" not in APPLIES[kind]:
        return {}
    others = filters.without("themes").without("kinds")
    if not _applies(kind, others):
        return {}
    through, column = THEME_LINKS[kind]
    counted = (
        through._default_manager.filter(
            **{f"{column}__in": listings(kind, others).order_by().values("pk")}
        )
        .values("theme__slug")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["theme__slug"]: row["n"] for row in counted}


def facets(
    kind: str | None, filters: Filters, *, only: Iterable[str] | None = None
) -> dict[str, dict[str, int]]:
    """The counts beside each filter's values, for one kind or (``None``) every kind the
    filters allow: ``{"kinds": {kind: n}, "pathologies": {slug: n}, "regions": {code: n},
    "forms": {...}, "carriers": {...}, "formats": {...}, "themes": {slug: n}}``. A facet's
    counts apply every active filter but its own. Values with no row count 0 (pathologies,
    themes and formats without any row are left out). ``only`` names the facets a caller
    shows, to spare the queries of the others (the kinds' totals are always counted)."""
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
    for each in kinds:
        chosen = not filters.kinds or each in filters.kinds
        scalar = _scalar_facets(
            each, filters, only_total=not chosen or not wanted & {"regions", "forms", "carriers"}
        )
        for name, counts in scalar.items():
            for value, count in counts.items():
                result[name][value] = result[name].get(value, 0) + count
        if not chosen:
            continue
        if "pathologies" in wanted:
            for slug, count in _pathology_facet(each, filters).items():
                result["pathologies"][slug] = result["pathologies"].get(slug, 0) + count
        if each == "event" and "formats" in wanted:
            result["formats"] = _format_facet(filters)
        if "themes" in wanted:
            for slug, count in _theme_facet(each, filters).items():
                result["themes"][slug] = result["themes"].get(slug, 0) + count
    return result


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
