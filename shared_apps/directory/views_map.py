"""The directory's map of France (/annuaire/carte/) and its engagement landscape
(/annuaire/paysage/): public pages of the platform's domain, drawn by the server as SVG
(no tiles, no script), with the same figures as tables."""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import ngettext

from shared_apps.directory import charts, geography, selectors
from shared_apps.directory.forms_filters import filters_from, query_string
from shared_apps.directory.geography import Area
from shared_apps.directory.selectors import Filters

# The list each area links to: the directory's search results, filtered.
LIST_ROUTE = "directory:search"
# Where the landscape's figures lead: the initiatives, filtered.
INITIATIVES_ROUTE = "directory:initiatives"


@dataclass(frozen=True)
class Link:
    area: Area
    href: str
    region_name: str

    @property
    def label(self) -> str:
        """What a screen reader hears on the area's link."""
        return ngettext(
            "%(name)s: %(counter)s association or initiative",
            "%(name)s: %(counter)s associations and initiatives",
            self.area.count,
        ) % {"name": self.area.name, "counter": self.area.count}


def _map_filters(request: HttpRequest) -> Filters:
    """What the map may be narrowed by: a pathology and the kind (associations or
    initiatives). Other filters would hide a whole kind, so they are not offered."""
    asked = filters_from(request.GET)
    kinds = tuple(kind for kind in asked.kinds if kind in geography.KINDS)
    return Filters(pathologies=asked.pathologies, kinds=kinds)


def directory_map(request: HttpRequest, level: str = "regions") -> HttpResponse:
    filters = _map_filters(request)
    france = geography.france_map(level, filters)
    # The list shows both kinds unless one was chosen, as the map counts them.
    listed = filters.replace(kinds=filters.kinds or geography.KINDS)
    base = reverse(LIST_ROUTE)
    area_filter = "regions" if level == "regions" else "departments"
    links = [
        Link(
            area=area,
            href=f"{base}?{query_string(listed, **{area_filter: (area.code,)})}",
            region_name=geography.region_label(area.region),
        )
        for area in france.areas
    ]
    zoomed = [
        (link, france.zoom[link.area.code]) for link in links if link.area.code in france.zoom
    ]
    own_query = query_string(filters)
    credit, credit_url = geography.credit()
    return render(
        request,
        "directory/map.html",
        {
            "france": france,
            "links": links,
            "zoomed": zoomed,
            "level": level,
            "filters": filters,
            "pathologies": selectors.pathologies(),
            "kinds": geography.kind_choices(),
            "query": f"?{own_query}" if own_query else "",
            "credit": credit,
            "credit_url": credit_url,
            "directory_section": "map",
        },
    )


def landscape(request: HttpRequest) -> HttpResponse:
    # A pathology narrows the whole landscape; other filters do not apply to it.
    pathologies = filters_from(request.GET).pathologies
    return render(
        request,
        "directory/landscape.html",
        {
            "charts": charts.landscape(pathologies),
            "chosen": pathologies,
            "pathologies": selectors.pathologies(),
            "list_url": reverse(INITIATIVES_ROUTE),
            "directory_section": "landscape",
        },
    )
