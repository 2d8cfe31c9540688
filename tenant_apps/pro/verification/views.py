"""The professionals' hub (/pro/) and verification pages.

- /pro/: the hub, for professionals (``pro.access.is_professional``); 404 for anyone else.
- /pro/verification/: a member's own request, its history and, once verified, the choice
  to show their real name.
- /pro/verifications/…: the admins' queue, decisions, withdrawal, and the document.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.http import posted
from tenant_apps.members.permissions import member_required
from tenant_apps.members.views import add_errors
from tenant_apps.pro import access
from tenant_apps.pro.verification import selectors, services
from tenant_apps.pro.verification.forms import RealNameForm, ReasonForm, RequestForm

# The hub's links: (URL name, title, description), left out while a name does not exist.
HUB_LINKS = [
    ("guidelines:list", gettext_lazy("Regional guidelines"),
     gettext_lazy("The working groups' guidelines, their versions and validations.")),
    ("rcp:list", gettext_lazy("Multidisciplinary team meetings"),
     gettext_lazy("Series, agendas, cases by reference, decisions and minutes.")),
    ("trials:list", gettext_lazy("Clinical trials"),
     gettext_lazy("Trials open in the region.")),
    ("training:list", gettext_lazy("Training"),
     gettext_lazy("Events and articles marked as training.")),
    ("campaigns:list", gettext_lazy("Prevention and screening"),
     gettext_lazy("The network's campaigns.")),
    ("care:list", gettext_lazy("Care offer"),
     gettext_lazy("Who offers what care, by territory.")),
]  # fmt: skip


def _hub_links() -> list[dict]:
    links = []
    for name, title, description in HUB_LINKS:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        links.append({"url": url, "title": title, "description": description})
    return links


@member_required
def hub(request: HttpRequest) -> HttpResponse:
    member = access.professional_or_404(request.member)
    return render(
        request,
        "pro/hub.html",
        {"links": _hub_links(), "can_verify": access.can_verify(member)},
    )


@member_required
def verification_request(request: HttpRequest) -> HttpResponse:
    """The member's own page: ask, see the answer, choose to show their real name."""
    member = request.member
    requests = selectors.own_requests(member)
    pending = next((r for r in requests if r.status == r.Status.PENDING), None)
    form = None
    if not member.verified_professional and pending is None:
        form = RequestForm(posted(request), request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.verification_request_create(
                    member=member, document=form.cleaned_data.pop("document") or None,
                    **form.cleaned_data,
                )  # fmt: skip
            except ValidationError as error:
                add_errors(form, error, default_field="profession")
            else:
                messages.success(request, _("Your request is sent to the association's admins."))
                return redirect("pro:verification_request")
    elif request.method == "POST":
        messages.info(request, _("Your request is already awaiting review."))
        return redirect("pro:verification_request")
    name_form = None
    if member.verified_professional:
        name_form = RealNameForm(
            initial={"show": bool(member.real_name_shown), "real_name": member.real_name_shown}
        )
    return render(
        request,
        "pro/verification/request.html",
        {"form": form, "pending": pending, "requests": requests, "name_form": name_form},
    )


@member_required
@require_POST
def real_name(request: HttpRequest) -> HttpResponse:
    member = request.member
    if not member.verified_professional:
        raise Http404
    form = RealNameForm(request.POST)
    if form.is_valid():
        try:
            services.real_name_set(member=member, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error, default_field="real_name")
        else:
            messages.success(request, _("Your choice is saved."))
            return redirect("pro:verification_request")
    return render(
        request,
        "pro/verification/request.html",
        {"form": None, "pending": None, "requests": selectors.own_requests(member),
         "name_form": form},
    )  # fmt: skip


def _admin(request: HttpRequest):
    if not access.can_verify(request.member):
        raise Http404
    return request.member


@member_required
def queue(request: HttpRequest, form: ReasonForm | None = None, failed: int | None = None):
    admin = _admin(request)
    return render(
        request,
        "pro/verification/queue.html",
        {
            "pending": selectors.pending_requests(admin),
            "verified": selectors.verified_members(admin)[:200],
            "form": form,
            # Whose form failed, to show it again with what was typed: a request's (its id)
            # or a verified member's (minus theirs).
            "failed": failed,
            "failed_member": -failed if failed and failed < 0 else None,
            "section": "pro_verifications",
        },
    )


@member_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _admin(request)
    pending = selectors.pending_request_or_404(admin, pk)
    form = ReasonForm(request.POST)
    decision = request.POST.get("decision")
    if decision not in ("verify", "refuse") or not form.is_valid():
        form.add_error(None, _("Choose to verify or to refuse."))
        return queue(request, form=form, failed=pending.pk)
    try:
        if decision == "verify":
            services.verification_verify(admin=admin, request_id=pending.pk)
            messages.success(request, _("The member is now a verified professional."))
        else:
            services.verification_refuse(
                admin=admin, request_id=pending.pk, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The request is refused; the member is told why."))
    except ValidationError as error:
        add_errors(form, error, default_field=None)
        return queue(request, form=form, failed=pending.pk)
    return redirect("pro:verification_queue")


@member_required
@require_POST
def withdraw(request: HttpRequest, member_id: int) -> HttpResponse:
    admin = _admin(request)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.verification_withdraw(
                admin=admin, member_id=member_id, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "decided":
                raise Http404 from error
            add_errors(form, error, default_field=None)
        else:
            messages.success(request, _("The verification is withdrawn."))
            return redirect("pro:verification_queue")
    return queue(request, form=form, failed=-member_id)


@member_required
def document(request: HttpRequest, pk: int) -> FileResponse:
    """A pending request's supporting document, for admins only; never cached."""
    pending = selectors.pending_request_or_404(_admin(request), pk)
    if not pending.document:
        raise Http404
    pdf = pending.document.name.endswith(".pdf")
    response = FileResponse(
        pending.document.open("rb"),
        as_attachment=pdf,
        filename="document.pdf" if pdf else "document.jpg",
        content_type="application/pdf" if pdf else "image/jpeg",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
