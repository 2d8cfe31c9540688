"""The directory's public pages on the platform's domain: its home, the search across kinds,
the lists of each kind with their filters and counts, the listings' pages, the calendar
across associations and its feed.

Every page reads ``selectors`` (published rows only); nothing here writes. Filters are GET
parameters (``forms_filters``), so every filtered list is a link that works without
JavaScript; htmx only swaps the results in place.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import geo
from shared_apps.directory import ics, selectors
from shared_apps.directory.forms_filters import filters_from, query_string
from shared_apps.directory.models import (
    AssociationNetwork,
    Initiative,
    Pathology,
    Review,
    Theme,
)
from shared_apps.directory.selectors import Filters
from tenants import selectors as tenant_selectors

PAGE_SIZE = 20
# The last page one may ask for: deep offsets cost, and no one reads page 500.
MAX_PAGE = 200

KIND_LABELS = {
    "association": gettext_lazy("Associations"),
    "initiative": gettext_lazy("Patient initiatives"),
    "event": gettext_lazy("Events"),
    "resource": gettext_lazy("Resources for associations"),
}
LIST_ROUTES = {
    "association": "directory:associations",
    "initiative": "directory:initiatives",
    "event": "directory:agenda",
    "resource": "directory:resources",
}
FACET_LEGENDS = {
    "kinds": gettext_lazy("Kind"),
    "pathologies": gettext_lazy("Pathology"),
    "regions": gettext_lazy("Région"),
    "forms": gettext_lazy("Form"),
    "carriers": gettext_lazy("Carried by"),
    "formats": gettext_lazy("Format"),
    "themes": gettext_lazy("Theme"),
}
PARAMETER_OF = {
    "kinds": "kind",
    "pathologies": "pathology",
    "regions": "region",
    "departments": "department",
    "forms": "form",
    "carriers": "carrier",
    "formats": "format",
    "themes": "theme",
}
# The facets each page offers, in the order shown.
PAGE_FACETS = {
    None: ("kinds", "pathologies", "regions", "forms", "carriers"),
    "association": ("pathologies", "regions"),
    "initiative": ("pathologies", "regions", "forms", "carriers", "themes"),
    "event": ("pathologies", "regions", "formats"),
    "resource": ("themes",),
}


@dataclass(frozen=True)
class Page:
    """One page of a list whose total is already known (from the facets' counts)."""

    rows: list
    number: int
    pages: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def _page_number(request: HttpRequest) -> int:
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


def _pages(total: int) -> int:
    return min(max(1, -(-total // PAGE_SIZE)), MAX_PAGE)


def _labels() -> dict[str, dict[str, str]]:
    """Each filter's values as people read them (one query for pathologies and themes)."""
    names = {
        "kinds": {kind: str(label) for kind, label in KIND_LABELS.items()},
        "regions": {code: name for code, (name, _deps) in geo.REGIONS.items()},
        "departments": dict(geo.DEPARTMENT_NAMES),
        "forms": {value: str(label) for value, label in Initiative.Form.choices},
        "carriers": {value: str(label) for value, label in Initiative.Carrier.choices},
        "formats": {value: str(label) for value, label in selectors.EVENT_FORMATS.items()},
        "pathologies": {},
        "themes": {},
    }
    for model, key in ((Pathology, "pathologies"), (Theme, "themes")):
        names[key] = dict(model.objects.values_list("slug", "name"))
    return names


def _facet_groups(kind: str | None, filters: Filters, counts: dict, labels: dict) -> list[dict]:
    """What the filters' form shows: for each facet, its values with their counts (a value
    without any row is left out unless it is chosen)."""
    groups = []
    for name in PAGE_FACETS[kind]:
        chosen = set(getattr(filters, name))
        counted = counts.get(name, {})
        options = []
        values = (
            list(labels[name])
            if name != "regions"
            else sorted(labels[name], key=lambda code: labels[name][code])
        )
        if name not in ("regions", "kinds"):
            values = sorted(values, key=lambda value: labels[name].get(value, value).lower())
        for value in values:
            count = counted.get(value, 0)
            if count or value in chosen:
                options.append(
                    {
                        "value": value,
                        "label": labels[name].get(value, value),
                        "count": count,
                        "checked": value in chosen,
                        "id": f"filter-{PARAMETER_OF[name]}-{value}",
                    }
                )
        if options:
            groups.append(
                {
                    "name": name,
                    "parameter": PARAMETER_OF[name],
                    "legend": FACET_LEGENDS[name],
                    "options": options,
                    "open": bool(chosen) or name not in ("pathologies", "themes"),
                }
            )
    return groups


def _active(filters: Filters, labels: dict) -> list[dict]:
    """The chosen values, each with the link that removes it."""
    active = []
    for name, parameter in PARAMETER_OF.items():
        for value in getattr(filters, name):
            rest = tuple(v for v in getattr(filters, name) if v != value)
            active.append(
                {
                    "parameter": parameter,
                    "label": labels[name].get(value, value),
                    "remove": query_string(filters, **{name: rest}),
                }
            )
    return active


def _browse(request: HttpRequest, kind: str | None, filters: Filters) -> dict[str, Any]:
    """What every list page shares: the filters, their counts, the chosen values, the page."""
    counts = selectors.facets(kind, filters, only=PAGE_FACETS[kind])
    labels = _labels()
    if kind is None:
        total = sum(counts["kinds"].get(k, 0) for k in selectors.KINDS)
    else:
        total = counts["kinds"].get(kind, 0)
    number = min(_page_number(request), _pages(total))
    return {
        "kind": kind,
        "filters": filters,
        "facet_groups": _facet_groups(kind, filters, counts, labels),
        "active_filters": _active(filters, labels),
        "query": query_string(filters),
        # The export names its one kind itself (``?kind=…``).
        "export_query": query_string(filters.replace(kinds=())),
        "total": total,
        "number": number,
        "offset": (number - 1) * PAGE_SIZE,
        "kind_counts": counts["kinds"],
        "region_names": labels["regions"],
    }


def _listed(kind: str, queryset: QuerySet) -> QuerySet:
    """What a result line of a kind shows, fetched for the page's rows only."""
    if kind in ("association", "initiative", "event"):
        queryset = queryset.prefetch_related("pathologies")
    if kind == "resource":
        queryset = queryset.prefetch_related("themes").defer("body", "body_html")
    if kind == "initiative":
        queryset = queryset.defer("motivation", "success_text")
    return queryset


def _decorate(kind: str, rows: list) -> list:
    """What cards show computed once per row: areas as names, an event's format label."""
    for row in rows:
        if kind == "association":
            row.areas = _areas(row.regions, row.departments)
        elif kind == "initiative":
            row.areas = _areas([row.region] if row.region else [], [])
        elif kind == "event":
            row.format_label = selectors.EVENT_FORMATS.get(row.format, row.format)
    return rows


def _respond(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context.setdefault("directory_section", context.get("kind") or "search")
    return render(request, template, context)


# --- home ---------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    """The platform's home: the directory's search, its four kinds with their counts, the
    networks listed on the platform, and the ways in (map, landscape)."""
    counts = selectors.totals()
    kinds = [
        {"kind": kind, "label": KIND_LABELS[kind], "count": counts.get(kind, 0),
         "url": reverse(LIST_ROUTES[kind])}
        for kind in selectors.KINDS
    ]  # fmt: skip
    return render(
        request,
        "directory/home.html",
        {
            "kinds": kinds,
            "networks": tenant_selectors.listed_networks(),
            "upcoming": _decorate(
                "event",
                list(selectors.listings("event", Filters()).prefetch_related("pathologies")[:3]),
            ),
        },
    )


# --- search and lists ---------------------------------------------------------------------


def search(request: HttpRequest) -> HttpResponse:
    """One search across the four kinds, with the filters and their counts."""
    filters = filters_from(request.GET)
    context = _browse(request, None, filters)
    hits = selectors.search(filters.q, filters, offset=context["offset"], limit=PAGE_SIZE)
    for hit in hits:
        _decorate(hit.kind, [hit.obj])
    context["page"] = Page(
        rows=hits, number=context["number"], pages=_pages(context["total"]),
        total=context["total"],
    )  # fmt: skip
    context["kind_labels"] = KIND_LABELS
    return _respond(request, "directory/search.html", context)


def _kind_list(request: HttpRequest, kind: str, template: str) -> HttpResponse:
    filters = filters_from(request.GET).replace(kinds=())
    context = _browse(request, kind, filters)
    offset = context["offset"]
    rows = _decorate(
        kind, list(_listed(kind, selectors.listings(kind, filters))[offset : offset + PAGE_SIZE])
    )
    context["page"] = Page(
        rows=rows, number=context["number"], pages=_pages(context["total"]),
        total=context["total"],
    )  # fmt: skip
    context["title"] = KIND_LABELS[kind]
    context["list_url"] = reverse(LIST_ROUTES[kind])
    return _respond(request, template, context)


def associations(request: HttpRequest) -> HttpResponse:
    return _kind_list(request, "association", "directory/list.html")


def initiatives(request: HttpRequest) -> HttpResponse:
    return _kind_list(request, "initiative", "directory/list.html")


def resources(request: HttpRequest) -> HttpResponse:
    return _kind_list(request, "resource", "directory/list.html")


def agenda(request: HttpRequest) -> HttpResponse:
    """The calendar across associations: upcoming published events, by date."""
    return _kind_list(request, "event", "directory/agenda.html")


def agenda_ics(request: HttpRequest) -> HttpResponse:
    """The calendar's feed, with the page's filters (at most the next 500 events)."""
    filters = filters_from(request.GET).replace(kinds=(), q="")
    events = selectors.listings("event", filters).order_by("starts_at", "id")[:500]
    body = ics.calendar_build(
        events,
        name=_("Events across associations"),
        path_of=lambda event: reverse("directory:event", args=[event.pk]),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agenda-annuaire.ics"'
    return response


# --- one listing --------------------------------------------------------------------------


def _areas(regions: list[str], departments: list[str]) -> list[str]:
    names = [geo.REGIONS[code][0] for code in regions if code in geo.REGIONS]
    names += [
        f"{geo.DEPARTMENT_NAMES[code]} ({code})"
        for code in departments
        if code in geo.DEPARTMENT_NAMES
    ]
    return names


def association(request: HttpRequest, slug: str) -> HttpResponse:
    row = get_object_or_404(
        selectors.published("association").prefetch_related(
            "pathologies",
            Prefetch("networks", queryset=AssociationNetwork.objects.order_by("name", "id")),
        ),
        slug=slug,
    )
    initiatives = list(
        selectors.published("initiative").filter(association=row).only("title", "slug")[:20]
    )
    return render(
        request,
        "directory/association.html",
        {
            "row": row,
            "directory_section": "association",
            "areas": _areas(row.regions, row.departments),
            "initiatives": initiatives,
            "last_confirmed": row.confirmed_at,
            "outdated": row.possibly_outdated,
        },
    )


def initiative(request: HttpRequest, slug: str) -> HttpResponse:
    row = get_object_or_404(
        selectors.published("initiative")
        .select_related("association")
        .prefetch_related("pathologies", "themes"),
        slug=slug,
    )
    roles = dict(Initiative.PatientRole.choices)
    factors = dict(Initiative.SuccessFactor.choices)
    association_shown = (
        row.association if row.association and row.association.review == Review.PUBLISHED
        else None
    )  # fmt: skip
    return render(
        request,
        "directory/initiative.html",
        {
            "row": row,
            "directory_section": "initiative",
            "roles": [roles[r] for r in row.roles if r in roles],
            "factors": [factors[f] for f in row.success_factors if f in factors],
            "area": _areas(
                [row.region] if row.region else [], [row.department] if row.department else []
            ),
            "association": association_shown,
        },
    )


def resource(request: HttpRequest, slug: str) -> HttpResponse:
    row = get_object_or_404(selectors.published("resource").prefetch_related("themes"), slug=slug)
    return render(request, "directory/resource.html", {"row": row, "directory_section": "resource"})


def event(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(selectors.published("event").prefetch_related("pathologies"), pk=pk)
    return render(
        request,
        "directory/event.html",
        {
            "row": row,
            "directory_section": "event",
            "format_label": selectors.EVENT_FORMATS.get(row.format, row.format),
            "region_name": geo.REGIONS[row.region][0] if row.region in geo.REGIONS else "",
        },
    )
