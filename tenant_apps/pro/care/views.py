"""Pages of the care offer (/offre-de-soins/…) and local groups (/groupes-locaux/…).

Members read (``care.access``); admins write. Anything out of reach is the same 404 as what
does not exist.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import francemap, geo
from core.http import posted
from tenant_apps.members.permissions import member_required
from tenant_apps.members.selectors import network_settings, spaces_for
from tenant_apps.members.views import add_errors
from tenant_apps.pro.care import access, csv_io, selectors, services
from tenant_apps.pro.care.forms import (
    FilterForm,
    ImportForm,
    LocalGroupForm,
    PathwayForm,
    ProviderForm,
)
from tenant_apps.pro.care.selectors import Filters
from tenant_apps.pro.models import CarePathway, CareProvider


def _filters(request: HttpRequest, specialties: list[str]) -> tuple[Filters, FilterForm]:
    """The filters asked in the query string; a value the form refuses is left out."""
    form = FilterForm(request.GET, specialties=specialties)
    form.is_valid()
    values = {name: form.cleaned_data.get(name) or "" for name in form.fields}
    return Filters(**values), form


def _after(request: HttpRequest) -> int | None:
    text = request.GET.get("apres", "")
    if not text:
        return None
    if not text.isdigit() or len(text) > 18:
        raise Http404
    return int(text)


@member_required
def provider_list(request: HttpRequest) -> HttpResponse:
    member = request.member
    specialties = selectors.specialties(member)
    filters, form = _filters(request, specialties)
    after = _after(request)
    page, following = selectors.providers_page(member, filters, after=after)
    query = filters.query()
    return render(
        request,
        "pro/care/list.html",
        {
            "providers": page,
            "next_cursor": following,
            "first_page": after is None,
            "form": form,
            "filters": filters,
            "query": query,
            "filtered": bool(query),
            "can_write": access.can_write(member),
            "pathways": selectors.pathways(member)[:6],
        },
    )


@member_required
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = request.member
    provider = access.provider_or_404(member, pk)
    return render(
        request,
        "pro/care/provider.html",
        {
            "provider": provider,
            "services": provider.services.order_by("name"),
            "pathways": selectors.pathways(member).filter(providers=provider),
            "local_groups": selectors.local_groups(member).filter(locality__establishment=provider),
            "department_name": geo.DEPARTMENT_NAMES.get(provider.department, ""),
            "region_name": francemap.region_label(provider.region),
            "can_write": access.can_write(member),
        },
    )


@dataclass(frozen=True)
class Link:
    area: francemap.Area
    href: str
    region_name: str

    @property
    def label(self) -> str:
        """What a screen reader hears on the area's link."""
        return ngettext(
            "%(name)s: %(counter)s care provider",
            "%(name)s: %(counter)s care providers",
            self.area.count,
        ) % {"name": self.area.name, "counter": self.area.count}


@member_required
def care_map(request: HttpRequest, level: str = "regions") -> HttpResponse:
    member = request.member
    specialties = selectors.specialties(member)
    filters, form = _filters(request, specialties)
    filters = filters.without_area()
    counts = selectors.area_counts(member, filters)[level]
    france = francemap.draw(level, counts)
    base = reverse("care:list")
    area_filter = "region" if level == "regions" else "department"
    links = [
        Link(
            area=area,
            href=f"{base}?{filters.query(**{area_filter: area.code})}",
            region_name=francemap.region_label(area.region),
        )
        for area in france.areas
    ]
    zoomed = [
        (link, france.zoom[link.area.code]) for link in links if link.area.code in france.zoom
    ]
    credit, credit_url = francemap.credit()
    own = filters.query()
    return render(
        request,
        "pro/care/map.html",
        {
            "france": france,
            "links": links,
            # The table lists the areas that have providers, then says how many have none.
            "listed": [link for link in links if link.area.count],
            "empty_areas": sum(1 for link in links if not link.area.count),
            "zoomed": zoomed,
            "level": level,
            "form": form,
            "query": f"?{own}" if own else "",
            "credit": credit,
            "credit_url": credit_url,
        },
    )


@member_required
def provider_create(request: HttpRequest) -> HttpResponse:
    return _provider_form(request, None)


@member_required
def provider_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.writer_or_404(request.member)
    return _provider_form(request, access.provider_or_404(request.member, pk))


def _provider_form(request: HttpRequest, provider: CareProvider | None) -> HttpResponse:
    member = access.writer_or_404(request.member)
    form = ProviderForm(
        posted(request),
        instance=provider or CareProvider(),
        establishments=selectors.establishments(),
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.PROVIDER_FIELDS}
        try:
            if provider is None:
                saved = services.provider_create(actor=member, **fields)
            else:
                saved = services.provider_update(actor=member, provider=provider, **fields)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The care offer is updated."))
            return redirect("care:provider", pk=saved.pk)
    return render(request, "pro/care/provider_form.html", {"form": form, "provider": provider})


@member_required
def provider_import(request: HttpRequest) -> HttpResponse:
    member = access.writer_or_404(request.member)
    form = ImportForm(posted(request), request.FILES or None)
    errors: list[csv_io.RowError] = []
    if request.method == "POST" and form.is_valid():
        parsed = csv_io.parse(form.cleaned_data["file"].read())
        errors = parsed.errors
        created = None
        if not errors:
            try:
                created = services.providers_import(actor=member, rows=parsed.rows)
            except ValidationError as error:
                errors = [csv_io.RowError(1, "", message) for message in error.messages]
        if created is not None:
            messages.success(
                request,
                ngettext(
                    "%(count)s provider imported.", "%(count)s providers imported.", len(created)
                )
                % {"count": len(created)},
            )
            return redirect("care:list")
    return render(
        request,
        "pro/care/import.html",
        {
            "form": form,
            "errors": errors[:200],
            "more_errors": max(0, len(errors) - 200),
            "columns": csv_io.COLUMNS,
            "required": csv_io.REQUIRED,
            "kinds": CareProvider.Kind.choices,
        },
    )


@member_required
def pathway_list(request: HttpRequest) -> HttpResponse:
    member = request.member
    return render(
        request,
        "pro/care/pathways.html",
        {"pathways": selectors.pathways(member), "can_write": access.can_write(member)},
    )


@member_required
def pathway_detail(request: HttpRequest, slug: str) -> HttpResponse:
    member = request.member
    pathway = access.pathway_or_404(member, slug)
    return render(
        request,
        "pro/care/pathway.html",
        {
            "pathway": pathway,
            "providers": selectors.pathway_providers(pathway),
            "department_name": geo.DEPARTMENT_NAMES.get(pathway.department, ""),
            "can_write": access.can_write(member),
        },
    )


@member_required
def pathway_new(request: HttpRequest) -> HttpResponse:
    return _pathway_form(request, None)


@member_required
def pathway_edit(request: HttpRequest, slug: str) -> HttpResponse:
    access.writer_or_404(request.member)
    return _pathway_form(request, access.pathway_or_404(request.member, slug))


def _pathway_form(request: HttpRequest, pathway: CarePathway | None) -> HttpResponse:
    member = access.writer_or_404(request.member)
    form = PathwayForm(posted(request), instance=pathway or CarePathway())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.pathway_save(
                actor=member, pathway=pathway, title=data["title"],
                pathology=data["pathology"], department=data["department"],
                summary=data["summary"], body=data["body"], published=data["published"],
                providers=data["providers"],
            )  # fmt: skip
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The care pathway is saved."))
            return redirect("care:pathway", slug=saved.slug)
    return render(request, "pro/care/pathway_form.html", {"form": form, "pathway": pathway})


# --- Local groups ------------------------------------------------------------------------


@member_required
def local_group_list(request: HttpRequest) -> HttpResponse:
    member = request.member
    near, others = selectors.local_groups_offered(member)
    return render(
        request,
        "pro/care/local_groups.html",
        {
            "near": near,
            "others": others,
            "department_name": geo.DEPARTMENT_NAMES.get(member.department, ""),
            "open": network_settings().local_groups_open,
        },
    )


@member_required
def local_group_create(request: HttpRequest) -> HttpResponse:
    member = request.member
    initial = {"department": member.department}
    form = LocalGroupForm(
        posted(request),
        initial=initial,
        spaces=spaces_for(member),
        establishments=selectors.establishments(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = services.local_group_create(proposer=member, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            if group.status == group.Status.APPROVED:
                messages.success(request, _("Your local group is open."))
                return redirect("forums:group_detail", slug=group.slug)
            messages.success(request, _("Thank you: moderators will look at your proposal."))
            return redirect("local_groups:list")
    return render(
        request,
        "pro/care/local_group_form.html",
        {"form": form, "open": network_settings().local_groups_open},
    )
