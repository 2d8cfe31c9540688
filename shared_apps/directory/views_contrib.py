"""The directory's pages for contributors, on the platform's domain: proposing a listing,
claiming an association's listing, and its managers' edits.

Views parse, check access, call a service and respond. Anything out of the visitor's reach
is the same 404 as what does not exist.
"""

from allauth.core.internal.ratelimit import get_ip
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core.http import posted
from core.throttle import RateLimited, throttle_address_hit
from shared_apps.directory import forms, services
from shared_apps.directory.models import Association, Review

KIND_TITLES = {
    "association": gettext_lazy("Propose an association"),
    "initiative": gettext_lazy("Propose a patient initiative"),
    "event": gettext_lazy("Propose an event"),
}
# The French addresses of the three proposal forms.
KIND_PATHS = {"association": "association", "initiative": "initiative", "evenement": "event"}


def _kind(path: str) -> str:
    kind = KIND_PATHS.get(path)
    if kind is None:
        raise Http404
    return kind


def propose_index(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/contrib_index.html", {"paths": KIND_PATHS})


def _form_page(request, kind: str, form, *, notice: str = "", status: int = 200) -> HttpResponse:
    # Every rendering carries a fresh timestamp: a form sent back too early or too late is
    # filled again from a new start, with what the visitor typed kept.
    form.data = form.data.copy() if form.is_bound else form.data
    if form.is_bound:
        form.data[form.add_prefix("started")] = forms.form_token()
    return render(
        request,
        "directory/contrib_form.html",
        {"form": form, "kind": kind, "title": KIND_TITLES[kind], "notice": notice},
        status=status,
    )


def propose(request: HttpRequest, kind_path: str) -> HttpResponse:
    """Anyone proposes a listing; it waits for the operators' review."""
    kind = _kind(kind_path)
    form_class = forms.PROPOSAL_FORMS[kind]
    if request.method != "POST":
        return _form_page(request, kind, form_class(initial={"started": forms.form_token()}))
    form = form_class(request.POST)
    if form.honeypot_filled():
        # A robot: it is thanked like a person and nothing is kept.
        return redirect("directory_contrib:thanks")
    try:
        submission = forms.token_check(request.POST.get("started", ""))
    except forms.TooFast:
        notice = _(
            "This form was sent back very quickly, as robots do. Take a moment to check "
            "what you wrote, then send it again."
        )
        return _form_page(request, kind, form, notice=notice, status=400)
    except forms.TooOld:
        notice = _(
            "This form was opened a long time ago. Check what you wrote, then send it again."
        )
        return _form_page(request, kind, form, notice=notice)
    try:
        throttle_address_hit(action="directory.propose", address=get_ip(request))
    except RateLimited as limited:
        minutes = max(1, round(limited.retry_after / 60))
        notice = ngettext(
            "Many proposals came from your connection recently. Please send this one again "
            "in %(minutes)d minute: what you wrote is kept.",
            "Many proposals came from your connection recently. Please send this one again "
            "in %(minutes)d minutes: what you wrote is kept.",
            minutes,
        ) % {"minutes": minutes}
        return _form_page(request, kind, form, notice=notice, status=429)
    if not form.is_valid():
        return _form_page(request, kind, form)
    try:
        services.listing_propose(
            kind=kind,
            values=forms.listing_values(form),
            proposer_email=form.cleaned_data["proposer_email"],
            submission=submission,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _form_page(request, kind, form)
    return redirect("directory_contrib:thanks")


def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/contrib_thanks.html")


# --- Claims ---------------------------------------------------------------------------------


def _published_association(slug: str) -> Association:
    return get_object_or_404(Association, slug=slug, review=Review.PUBLISHED)


def claim_request(request: HttpRequest, slug: str) -> HttpResponse:
    """“This is my association”: a link to its contact address, which proves it."""
    association = _published_association(slug)
    if request.method == "POST":
        try:
            throttle_address_hit(action="directory.propose", address=get_ip(request))
        except RateLimited:
            messages.error(request, _("Too many requests from your connection: try again later."))
            return redirect("directory_contrib:claim_request", slug=slug)
        if services.claim_request(association=association):
            messages.success(
                request,
                _(
                    "A link was sent to the association's contact address. Open it, signed "
                    "in with your account, to manage the listing."
                ),
            )
        return redirect("directory_contrib:claim_request", slug=slug)
    return render(request, "directory/claim_request.html", {"association": association})


def claim(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: a signed-in platform account becomes a manager of the listing."""
    association = services.claim_check(token=token)
    if association is None:
        return render(request, "directory/claim_invalid.html", status=404)
    if not request.user.is_authenticated:
        login = f"{reverse('account_login')}?next={request.path}"
        return render(
            request, "directory/claim.html", {"association": association, "login_url": login}
        )
    if request.method == "POST":
        claimed = services.association_claim(token=token, user=request.user)
        if claimed is None:
            return render(request, "directory/claim_invalid.html", status=404)
        messages.success(request, _("You now manage this listing."))
        return redirect("directory_contrib:manage", slug=claimed.slug)
    return render(request, "directory/claim.html", {"association": association})


# --- Managers -------------------------------------------------------------------------------


def _sign_in_first(slug: str) -> HttpResponse:
    # A manager who follows the reminder's link signed out: the same answer for any slug,
    # existing or not, so it reveals nothing.
    return redirect_to_login(
        reverse("directory_contrib:manage", args=[slug]), reverse("account_login")
    )


def _managed(request: HttpRequest, slug: str) -> Association:
    """A listing the signed-in account manages, or the 404 of one that does not exist."""
    return get_object_or_404(Association, slug=slug, review=Review.PUBLISHED, managers=request.user)


def managed(request: HttpRequest) -> HttpResponse:
    """The listings the signed-in account manages."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("directory_contrib:managed"), reverse("account_login"))
    rows = Association.objects.filter(managers=request.user, review=Review.PUBLISHED).order_by(
        "name", "pk"
    )
    return render(request, "directory/contrib_managed.html", {"associations": rows})


def manage(request: HttpRequest, slug: str) -> HttpResponse:
    """A manager edits their listing (checked like a proposal)."""
    if not request.user.is_authenticated:
        return _sign_in_first(slug)
    association = _managed(request, slug)
    form = forms.ManagerForm(posted(request), request.FILES or None, instance=association)
    if request.method == "POST" and form.is_valid():
        values = forms.listing_values(form)
        if form.cleaned_data.get("new_logo"):
            values["logo"] = form.cleaned_data["new_logo"]
        elif form.cleaned_data.get("remove_logo"):
            values["logo"] = False
        try:
            services.association_manage(association=association, user=request.user, values=values)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The listing is saved."))
            return redirect("directory_contrib:manage", slug=association.slug)
    if request.method == "POST":
        # What a refused form holds is the visitor's, not the listing's: read it again.
        association.refresh_from_db()
    return render(
        request, "directory/contrib_manage.html", {"association": association, "form": form}
    )


@require_POST
def confirm(request: HttpRequest, slug: str) -> HttpResponse:
    """A manager says the listing is up to date."""
    if not request.user.is_authenticated:
        return _sign_in_first(slug)
    association = _managed(request, slug)
    services.association_confirm(association=association, user=request.user)
    messages.success(request, _("Thank you: the listing shows it is up to date."))
    return redirect("directory_contrib:manage", slug=association.slug)
