"""Pages of working groups and regional guidelines (/referentiels/). Who reads and acts:
``access``; what is written: ``services``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import posted
from tenant_apps.members.models import Member
from tenant_apps.members.permissions import member_required
from tenant_apps.members.views import add_errors
from tenant_apps.pro.guidelines import access, pdf, selectors, services
from tenant_apps.pro.guidelines.forms import (
    GroupForm,
    GuidelineForm,
    NameMemberForm,
    RemoveMemberForm,
    SearchForm,
    SectionFormSet,
    ValidateForm,
    ValidityForm,
    VersionForm,
)
from tenant_apps.pro.models import Guideline, GuidelineVersion

PREFIX = "sections"


@member_required
def index(request: HttpRequest) -> HttpResponse:
    member = access.browser_or_404(request.member)
    form = SearchForm(request.GET or None, organs=selectors.organs(member))
    organ = q = ""
    if form.is_valid():
        organ, q = form.cleaned_data["organ"], form.cleaned_data["q"]
    return render(
        request,
        "pro/guidelines/list.html",
        {
            "form": form,
            "q": q,
            "guidelines": list(selectors.guideline_list(member, organ=organ, q=q)),
            "groups": selectors.groups(member),
            "can_manage": access.can_manage_groups(member),
        },
    )


@member_required
def groups(request: HttpRequest) -> HttpResponse:
    member = access.browser_or_404(request.member)
    found = selectors.groups(member)
    can_manage = access.can_manage_groups(member)
    if not found and not can_manage:
        raise Http404
    return render(
        request, "pro/guidelines/groups.html", {"groups": found, "can_manage": can_manage}
    )


@member_required
def group_create(request: HttpRequest) -> HttpResponse:
    member = access.manager_or_404(request.member)
    form = GroupForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(actor=member, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The working group is created. Name its members."))
            return redirect("guidelines:group", group.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "pro/guidelines/group_form.html", {"form": form}, status=status)


def _group_context(request, group, **forms) -> dict:
    member = request.member
    context = {
        "group": group,
        "memberships": selectors.group_members(group),
        "guidelines": selectors.group_guidelines(member, group),
        "can_manage": access.can_manage_groups(member),
        "can_write": access.is_group_member(member, group),
        "name_form": NameMemberForm(),
    }
    context.update(forms)
    return context


@member_required
def group(request: HttpRequest, slug: str) -> HttpResponse:
    found = access.group_or_404(request.member, slug)
    return render(request, "pro/guidelines/group.html", _group_context(request, found))


@require_POST
@member_required
def member_name(request: HttpRequest, slug: str) -> HttpResponse:
    actor = access.manager_or_404(request.member)
    found = access.group_or_404(actor, slug)
    form = NameMemberForm(request.POST)
    if form.is_valid():
        try:
            services.group_member_name(actor=actor, group=found, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The member is named to the group."))
            return redirect("guidelines:group", found.slug)
    context = _group_context(request, found, name_form=form)
    return render(request, "pro/guidelines/group.html", context, status=400)


@require_POST
@member_required
def member_remove(request: HttpRequest, slug: str) -> HttpResponse:
    actor = access.manager_or_404(request.member)
    found = access.group_or_404(actor, slug)
    form = RemoveMemberForm(request.POST)
    if not form.is_valid():
        raise Http404
    target = Member.objects.filter(
        pk=form.cleaned_data["member"], working_group_memberships__group=found
    ).first()
    if target is None:
        raise Http404
    services.group_member_remove(actor=actor, group=found, member=target)
    messages.success(request, _("The member is no longer in the group."))
    return redirect("guidelines:group", found.slug)


def _sections_from(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data]


@member_required
def guideline_create(request: HttpRequest, slug: str) -> HttpResponse:
    found = access.group_or_404(request.member, slug)
    if not access.is_group_member(request.member, found):
        raise Http404
    form = GuidelineForm(posted(request), initial={"organ": found.organ})
    formset = SectionFormSet(posted(request), prefix=PREFIX)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            guideline = services.guideline_create(
                author=request.member, group=found, sections=_sections_from(formset),
                **form.cleaned_data,
            )  # fmt: skip
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The guideline is written; its coordinator validates it."))
            return redirect("guidelines:detail", guideline.slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "pro/guidelines/guideline_form.html",
        {"form": form, "formset": formset, "group": found}, status=status,
    )  # fmt: skip


def _version_context(request, guideline: Guideline, version: GuidelineVersion | None) -> dict:
    member = request.member
    versions = selectors.versions(member, guideline)
    latest = versions[0] if versions else None
    return {
        "guideline": guideline,
        "version": version,
        "sections": selectors.sections(version) if version else [],
        "versions": versions,
        "can_write": access.can_write(member, guideline),
        "is_coordinator": access.is_coordinator(member, guideline.group),
        "draft": latest if latest and latest.validated_at is None else None,
        "validate_form": ValidateForm(initial={"valid_until": services.valid_until_default()}),
        "validity_form": ValidityForm(initial={"valid_until": guideline.valid_until}),
    }


@member_required
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    guideline = access.guideline_or_404(request.member, slug)
    version = guideline.current_version
    if version is None:
        version = access.versions_visible_to(request.member, guideline).order_by("-number").first()
    return render(
        request, "pro/guidelines/detail.html", _version_context(request, guideline, version)
    )


@member_required
def version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    guideline = access.guideline_or_404(request.member, slug)
    found = access.version_or_404(request.member, guideline, number)
    context = _version_context(request, guideline, found)
    context["previous"], context["diff"] = selectors.version_diff(found)
    return render(request, "pro/guidelines/version.html", context)


@member_required
def version_edit(request: HttpRequest, slug: str) -> HttpResponse:
    guideline = access.guideline_or_404(request.member, slug)
    author = access.writer_or_404(request.member, guideline)
    latest = guideline.versions.order_by("-number").first()
    if request.method == "POST":
        form = VersionForm(request.POST)
        formset = SectionFormSet(request.POST, prefix=PREFIX)
        if form.is_valid() and formset.is_valid():
            try:
                saved = services.version_save(
                    author=author, guideline=guideline, sections=_sections_from(formset),
                    change_summary=form.cleaned_data["change_summary"],
                )  # fmt: skip
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Version %(number)s is saved; its coordinator validates it.")
                    % {"number": saved.number},
                )
                return redirect("guidelines:version", guideline.slug, saved.number)
        status = 400
    else:
        draft = latest if latest and latest.validated_at is None else None
        form = VersionForm(initial={"change_summary": draft.change_summary if draft else ""})
        initial = (
            [{"title": s.title, "body": s.body} for s in selectors.sections(latest)]
            if latest
            else []
        )
        formset = SectionFormSet(prefix=PREFIX, initial=initial)
        status = 200
    return render(
        request, "pro/guidelines/version_form.html",
        {"form": form, "formset": formset, "guideline": guideline, "latest": latest},
        status=status,
    )  # fmt: skip


@require_POST
@member_required
def validate(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    guideline = access.guideline_or_404(request.member, slug)
    actor = access.coordinator_or_404(request.member, guideline)
    found = access.version_or_404(actor, guideline, number)
    form = ValidateForm(request.POST)
    if form.is_valid():
        try:
            services.version_validate(
                actor=actor, version=found, valid_until=form.cleaned_data["valid_until"]
            )
        except ValidationError as error:
            add_errors(form, error, default_field="valid_until")
        else:
            messages.success(request, _("The version is validated: it is now in force."))
            return redirect("guidelines:detail", guideline.slug)
    context = _version_context(request, guideline, found)
    context["previous"], context["diff"] = selectors.version_diff(found)
    context["validate_form"] = form
    return render(request, "pro/guidelines/version.html", context, status=400)


@require_POST
@member_required
def validity(request: HttpRequest, slug: str) -> HttpResponse:
    guideline = access.guideline_or_404(request.member, slug)
    actor = access.coordinator_or_404(request.member, guideline)
    form = ValidityForm(request.POST)
    if form.is_valid():
        try:
            services.validity_set(
                actor=actor, guideline=guideline, valid_until=form.cleaned_data["valid_until"]
            )
        except ValidationError as error:
            add_errors(form, error, default_field="valid_until")
        else:
            messages.success(request, _("The validity date is changed."))
            return redirect("guidelines:detail", guideline.slug)
    context = _version_context(request, guideline, guideline.current_version)
    context["validity_form"] = form
    return render(request, "pro/guidelines/detail.html", context, status=400)


@member_required
def pdf_download(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    guideline = access.guideline_or_404(request.member, slug)
    found = access.version_or_404(request.member, guideline, number)
    body = pdf.render(guideline, found, selectors.sections(found))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{guideline.slug}-v{found.number}.pdf"'
    response["Cache-Control"] = "private, no-cache"
    return response
