"""The association's anonymous statistics: the admins' pages (the releases, the report
builder, a draft's preview, publication, the figures with their charts and CSV, sharing and
the directory) and the shared page that anyone with its link reads, signed in or not.

Views parse, ask ``access`` (through ``permission_required`` and the selectors), call the
services and respond; every figure shown is the release's frozen result.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.http import posted
from tenant_apps.insights import access, display, selectors, services
from tenant_apps.insights.csv_export import csv_response
from tenant_apps.insights.forms import ReportForm
from tenant_apps.insights.models import Release
from tenant_apps.members.permissions import permission_required
from tenant_apps.members.views import add_errors
from tenants.links import network_url

PERMISSION = access.PERMISSION
# The engine names the breakdowns together; the form asks for them one by one.
FIELD_OF = {"dimensions": "first", "contribution_bound": None}


def parse_after(given: str):
    """The keyset of the previous page's last release (``apres=<ISO time>~<id>``)."""
    moment, _sep, pk = given[:80].rpartition("~")
    try:
        when = parse_datetime(moment) if moment else None
    except ValueError:
        return None
    if when is None or not pk.isdigit() or len(pk) > 18:
        return None
    return when, int(pk)


@permission_required(PERMISSION)
@require_GET
def release_list(request: HttpRequest) -> HttpResponse:
    releases = selectors.releases_for(
        request.member, before=parse_after(request.GET.get("apres", ""))
    )
    full = len(releases) == selectors.RELEASES_PER_PAGE
    following = f"{releases[-1].created.isoformat()}~{releases[-1].pk}" if full else ""
    return render(
        request,
        "insights/release_list.html",
        {
            "releases": releases,
            "following": following,
            "first_page": not request.GET.get("apres"),
            "budget": selectors.budget_status(),
            "consenting": selectors.consenting_shown(),
        },
    )


def _params(request: HttpRequest, form: ReportForm):
    """The engine's cleaned parameters from a valid form; its refusals go on the form."""
    data = form.cleaned_data
    try:
        return services.params_clean(
            measure=data["measure"],
            dimensions=form.dimensions(),
            period_start=data["period_start"],
            period_end=data["period_end"],
            threshold=data["threshold"],
            epsilon=data["epsilon"],
        )
    except ValidationError as error:
        _form_errors(form, error)
        return None


def _form_errors(form: ReportForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, found in error.message_dict.items():
            field = FIELD_OF.get(name, name)
            form.add_error(field if field in form.fields else None, found)
    else:
        add_errors(form, error)


@permission_required(PERMISSION)
def release_new(request: HttpRequest) -> HttpResponse:
    """The report builder: the choices are saved as a draft, whose page previews it."""
    form = ReportForm(posted(request))
    if request.method == "POST" and form.is_valid():
        params = _params(request, form)
        if params is not None:
            try:
                draft = services.release_draft_create(
                    member=request.member, title=form.cleaned_data["title"], params=params
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                return redirect("insights:release_detail", draft.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "insights/release_new.html", {"form": form}, status=status)


def _form_of(release: Release, data=None) -> ReportForm:
    dimensions = list(release.dimensions)
    return ReportForm(
        data,
        initial={
            "title": release.title,
            "measure": release.measure,
            "first": dimensions[0] if dimensions else "",
            "second": dimensions[1] if len(dimensions) > 1 else "",
            "period_start": release.period_start,
            "period_end": release.period_end,
            "threshold": release.threshold,
            "epsilon": release.epsilon,
        },
    )


def _preview_view(release: Release, preview) -> display.ReleaseView:
    """The preview's table: its labels only, every value pending (none counted, none marked
    hidden: that is decided from the counts at publication)."""
    layout = {
        "rows": preview.rows,
        "columns": preview.columns,
        "cells": [[None] * len(preview.columns) for _row in preview.rows]
        if preview.columns
        else [],
        "row_totals": [None] * len(preview.rows),
        "column_totals": [None] * len(preview.columns),
        "total": None,
    }
    return display.release_view(
        title=release.title,
        measure=release.measure,
        dimensions=list(release.dimensions),
        period_start=release.period_start,
        period_end=release.period_end,
        threshold=release.threshold,
        result=layout,
        pending=True,
    )


def _draft_page(request, release: Release, form: ReportForm, status: int = 200) -> HttpResponse:
    preview = services.release_preview(
        member=request.member, params=services.params_from_json(release.parameters)
    )
    return render(
        request,
        "insights/release_draft.html",
        {
            "release": release,
            "form": form,
            "preview": preview,
            "view": _preview_view(release, preview),
        },
        status=status,
    )


@permission_required(PERMISSION)
def release_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft: its preview, its choices to change, publish. A published release: its
    figures, charts, CSV, share link and directory listing."""
    release = access.release_or_404(request.member, pk)
    if release.status == Release.Status.PUBLISHED:
        if request.method == "POST":
            messages.info(request, _("This report is published: its figures never change."))
            return redirect("insights:release_detail", release.pk)
        return render(
            request,
            "insights/release_detail.html",
            {
                "release": release,
                "view": display.view_of_release(release),
                "share_url": network_url(
                    reverse("insights_shared:page", args=[release.share_token])
                ),
            },
        )
    if request.method != "POST":
        return _draft_page(request, release, _form_of(release))
    form = _form_of(release, request.POST)
    if form.is_valid() and (params := _params(request, form)) is not None:
        try:
            services.release_draft_update(
                member=request.member, release=release, title=form.cleaned_data["title"],
                params=params,
            )  # fmt: skip
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The draft is saved: here is its preview."))
            return redirect("insights:release_detail", release.pk)
    return _draft_page(request, release, form, status=400)


@permission_required(PERMISSION)
@require_POST
def release_publish(request: HttpRequest, pk: int) -> HttpResponse:
    release = access.release_or_404(request.member, pk)
    if release.status == Release.Status.PUBLISHED:
        # A second click, or the back button: published once, spent once.
        return redirect("insights:release_detail", release.pk)
    try:
        services.release_publish(member=request.member, release=release)
    except ValidationError as error:
        release.refresh_from_db()
        if release.status == Release.Status.PUBLISHED:  # a concurrent click won
            return redirect("insights:release_detail", release.pk)
        form = _form_of(release, _posted_choices(release))
        form.is_valid()
        _form_errors(form, error)
        return _draft_page(request, release, form, status=400)
    messages.success(request, _("The report is published. Its figures are frozen."))
    return redirect("insights:release_detail", release.pk)


def _posted_choices(release: Release) -> dict:
    """The draft's choices as the form posts them, to show a refusal beside them."""
    dimensions = list(release.dimensions)
    return {
        "title": release.title,
        "measure": release.measure,
        "first": dimensions[0] if dimensions else "",
        "second": dimensions[1] if len(dimensions) > 1 else "",
        "period_start": f"{release.period_start:%Y-%m}",
        "period_end": f"{release.period_end:%Y-%m}",
        "threshold": str(release.threshold),
        "epsilon": str(release.epsilon),
    }


@permission_required(PERMISSION)
@require_POST
def release_delete(request: HttpRequest, pk: int) -> HttpResponse:
    release = access.release_or_404(request.member, pk)
    try:
        services.release_draft_delete(member=request.member, release=release)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("insights:release_detail", release.pk)
    messages.success(request, _("The draft is deleted."))
    return redirect("insights:release_list")


def _toggle(request: HttpRequest, pk: int, service, keyword: str, done: dict) -> HttpResponse:
    release = access.release_or_404(request.member, pk)
    on = request.POST.get("on") == "on"
    try:
        service(member=request.member, release=release, **{keyword: on})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done[on])
    return redirect("insights:release_detail", release.pk)


@permission_required(PERMISSION)
@require_POST
def release_share(request: HttpRequest, pk: int) -> HttpResponse:
    done = {
        True: _("The release is shared: anyone with its link can read it."),
        False: _("The link no longer works."),
    }
    return _toggle(request, pk, services.release_share, "shared", done)


@permission_required(PERMISSION)
@require_POST
def release_directory(request: HttpRequest, pk: int) -> HttpResponse:
    done = {
        True: _("The release will appear in the platform directory within a few minutes."),
        False: _("The release leaves the platform directory."),
    }
    return _toggle(request, pk, services.release_list_in_directory, "listed", done)


@permission_required(PERMISSION)
@require_GET
def release_csv(request: HttpRequest, pk: int) -> HttpResponse:
    release = access.release_or_404(request.member, pk)
    if release.status != Release.Status.PUBLISHED:
        return redirect("insights:release_detail", release.pk)
    return csv_response(display.view_of_release(release))


# --- The shared link: anyone, signed in or not --------------------------------------------------


@require_GET
def shared(request: HttpRequest, token: str) -> HttpResponse:
    release = selectors.release_by_token(token)
    return render(
        request,
        "insights/shared.html",
        {"release": release, "view": display.view_of_release(release)},
    )


@require_GET
def shared_csv(request: HttpRequest, token: str) -> HttpResponse:
    return csv_response(display.view_of_release(selectors.release_by_token(token)))
