"""A member's own personal data: what is stored, consents, export, erasure (GDPR)."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import local_path, posted
from tenant_apps.members import selectors, services
from tenant_apps.members.forms_gdpr import AccountEraseForm
from tenant_apps.members.models import Consent
from tenant_apps.members.permissions import permission_required


@permission_required("members.data:export_own")
def overview(request: HttpRequest) -> HttpResponse:
    consents = selectors.consents_of(request.member)
    health_data_given = any(
        c.kind == Consent.Kind.HEALTH_DATA and c.withdrawn is None for c in consents
    )
    statistics_given = any(
        c.kind == Consent.Kind.STATISTICS and c.withdrawn is None for c in consents
    )
    return render(
        request,
        "members/gdpr/overview.html",
        {
            "consents": consents,
            "health_data_given": health_data_given,
            "statistics_given": statistics_given,
            "next": local_path(request, request.GET.get("next")),
        },
    )


@permission_required("members.profile:edit_own")
@require_POST
def consent_withdraw(request: HttpRequest) -> HttpResponse:
    kind = _consent_kind(request)
    try:
        services.consent_withdraw(member=request.member, kind=kind)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if kind == Consent.Kind.STATISTICS:
            messages.success(
                request,
                _(
                    "Your consent is withdrawn: the association's statistics made from now on "
                    "no longer count you."
                ),
            )
        else:
            messages.success(
                request,
                _("Your consent is withdrawn: the pathologies on your profile have been removed."),
            )
    return redirect("gdpr_overview")


def _consent_kind(request: HttpRequest) -> str:
    """The consent a form gives or withdraws: health data unless it names another one a
    member may change here; anything else is a page that does not exist."""
    kind = request.POST.get("kind") or Consent.Kind.HEALTH_DATA
    if kind not in services.CONSENTS_WITHDRAWABLE:
        raise Http404
    return kind


@permission_required("members.profile:edit_own")
@require_POST
def consent_give(request: HttpRequest) -> HttpResponse:
    kind = _consent_kind(request)
    services.consent_give(member=request.member, kind=kind)
    if kind == Consent.Kind.STATISTICS:
        messages.success(
            request,
            _("Thank you: your activity counts in the association's anonymous statistics."),
        )
        return redirect("gdpr_overview")
    messages.success(request, _("Thank you: you can state your pathologies on your profile again."))
    # Sent from the profile form: back there, to state them.
    return redirect(local_path(request, request.POST.get("next")) or "gdpr_overview")


@permission_required("members.data:export_own")
def export(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "members/gdpr/export.html")
    data = services.member_export(member=request.member)
    body = json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
    response = HttpResponse(body.encode(), content_type="application/json; charset=utf-8")
    filename = f"mes-donnees-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@permission_required("members.account:delete_own")
def erase(request: HttpRequest) -> HttpResponse:
    form = AccountEraseForm(posted(request), request=request)
    if request.method == "POST" and form.is_valid():
        services.member_erase(member=request.member, delete_content=form.delete_content)
        logout(request)
        messages.success(request, _("Your account and your personal data are deleted. Take care."))
        return redirect("home")
    return render(request, "members/gdpr/erase.html", {"form": form})
