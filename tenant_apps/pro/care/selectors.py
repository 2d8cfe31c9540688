"""Reads of the care offer: the filtered list (keyset pages), its counts by area for the
map (the list's own queryset, so both always agree), pathways and local groups."""

from dataclasses import dataclass, replace
from urllib.parse import quote

from django.contrib.postgres.search import SearchRank, SearchVector
from django.db.models import Count, Q, QuerySet

from core import geo
from core import search as french
from tenant_apps.forums import selectors as forums
from tenant_apps.forums.models import Group
from tenant_apps.members.models import Member
from tenant_apps.pro.care import access
from tenant_apps.pro.models import CarePathway, CareProvider, LocalGroup

PAGE_SIZE = 25
# The list's search: the stored, folded document under PostgreSQL's French configuration.
VECTOR = SearchVector("search_document", config=french.CONFIG)


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed by; empty strings mean "any"."""

    q: str = ""
    kind: str = ""
    department: str = ""
    region: str = ""
    specialty: str = ""

    def without_area(self) -> "Filters":
        return replace(self, department="", region="")

    def query(self, **changes: str) -> str:
        """The query string of these filters (with changes), for links."""
        given = {**self.__dict__, **changes}
        parts = [(key, value) for key, value in given.items() if value]
        return "&".join(f"{key}={_quote(value)}" for key, value in parts)


def _quote(value: str) -> str:
    return quote(value, safe="")


def providers(member: Member | None, filters: Filters) -> QuerySet[CareProvider]:
    """The providers this member may read under the filters, by name."""
    rows = access.providers_visible_to(member)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.department:
        rows = rows.filter(department=filters.department)
    if filters.region:
        rows = rows.filter(region=filters.region)
    if filters.specialty:
        rows = rows.filter(specialties__icontains=filters.specialty)
    if filters.q.strip():
        rows = rows.annotate(document=VECTOR).filter(document=french.query(filters.q))
    return rows.order_by("name", "id")


def providers_page(
    member: Member | None, filters: Filters, *, after: int | None = None
) -> tuple[list[CareProvider], int | None]:
    """One page of the list, by name, after the provider ``after`` (keyset on name, id);
    the id to continue after, or None on the last page."""
    rows = providers(member, filters)
    if after is not None:
        last = access.providers_visible_to(member).filter(pk=after).values("name").first()
        if last is None:
            return [], None
        rows = rows.filter(Q(name__gt=last["name"]) | Q(name=last["name"], pk__gt=after))
    page = list(rows.select_related("establishment")[: PAGE_SIZE + 1])
    following = page[PAGE_SIZE - 1].pk if len(page) > PAGE_SIZE else None
    return page[:PAGE_SIZE], following


def search_ranked(member: Member | None, filters: Filters) -> QuerySet[CareProvider]:
    """The list's rows ranked by the search, best first (the API's ``ordering=rank``)."""
    return (
        providers(member, filters)
        .annotate(rank=SearchRank(VECTOR, french.query(filters.q)))
        .order_by("-rank", "name", "id")
    )


def area_counts(member: Member | None, filters: Filters) -> dict[str, dict[str, int]]:
    """How many providers the list shows for each région and each département under the
    other filters: ``{"regions": {code: n}, "departments": {code: n}}``. The list's own
    queryset, grouped: each provider sits in one département and its région, so a count is
    exactly what the list shows with that area chosen."""
    rows = providers(member, filters.without_area()).order_by()
    departments = dict.fromkeys(geo.DEPARTMENT_REGION, 0)
    regions = dict.fromkeys(geo.REGIONS, 0)
    for department, region, number in rows.values_list("department", "region").annotate(
        n=Count("id")
    ):
        if department in departments:
            departments[department] += number
        if region in regions:
            regions[region] += number
    return {"regions": regions, "departments": departments}


def specialties(member: Member | None) -> list[str]:
    """The offers' keywords present in the care offer, for the filter (comma-separated in
    ``CareProvider.specialties``)."""
    seen: dict[str, str] = {}
    for text in access.providers_visible_to(member).values_list("specialties", flat=True):
        for keyword in text.split(","):
            keyword = keyword.strip()
            if keyword:
                seen.setdefault(french.fold(keyword), keyword)
    return sorted(seen.values(), key=french.fold)


def pathways(member: Member | None) -> QuerySet[CarePathway]:
    return access.pathways_visible_to(member).order_by("title")


def pathway_providers(pathway: CarePathway) -> list[CareProvider]:
    return list(pathway.providers.select_related("establishment").order_by("kind", "name"))


def local_groups(member: Member) -> QuerySet[Group]:
    """The local groups this member may see (the forums' own list), with their place."""
    return (
        forums.groups_list(member)
        .filter(locality__isnull=False)
        .select_related("locality__establishment")
    )


def local_groups_offered(member: Member) -> tuple[list[Group], list[Group]]:
    """(the groups of the member's area, the others): a group of their département, of its
    région, or of an establishment in either, comes first."""
    department = member.department
    region = geo.DEPARTMENT_REGION.get(department, "")
    near: list[Group] = []
    others: list[Group] = []
    for group in local_groups(member):
        place = group.locality
        establishment = place.establishment
        setattr(group, "place_name", place_name(place))  # noqa: B010 (shown by the page)
        mine = bool(department) and (
            place.department == department
            or (region and place.region == region)
            or (
                establishment is not None
                and (establishment.department == department or establishment.region == region)
            )
        )
        (near if mine else others).append(group)
    return near, others


def place_name(place: LocalGroup) -> str:
    """ "CHU de Poitiers", "Vienne (86)" or "Nouvelle-Aquitaine"."""
    if place.establishment is not None:
        return place.establishment.name
    if place.department:
        return f"{geo.DEPARTMENT_NAMES.get(place.department, '')} ({place.department})"
    return geo.REGIONS[place.region][0] if place.region in geo.REGIONS else place.region


def establishments() -> QuerySet[CareProvider]:
    """Establishments, for choosing a service's establishment or a group's place."""
    return CareProvider.objects.filter(kind=CareProvider.Kind.ESTABLISHMENT).order_by("name", "id")
