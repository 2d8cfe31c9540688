"""Sign-up's pages, on the platform's domain: the steps, the form, the progress page, the
one-time link into the new network, and "My networks".

Views parse, check access (``signup.access``), call a service and respond. A signed-out
visitor is sent to sign in; a request or organization of someone else is the 404 of one
that does not exist. Every page that acts on the way to a network (the form, paying, trying
again, the one-time link into it) asks ``_representative`` first: an account whose email is
no longer verified, or whose authenticator app was removed since it asked, is sent to the
steps, as before its first request.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import posted
from shared_apps.signup import access, plans, selectors, services
from shared_apps.signup.forms import NetworkForm
from shared_apps.signup.models import SignupRequest
from tenants.links import tenant_base_url
from tenants.models import Tenant

# How often the progress page asks again, in seconds (htmx, or the page itself without
# JavaScript). A creation takes well under a second (a spare clone renamed), so the first
# poll usually finds the network ready; an unchanged state is a bodiless 204.
POLL_SECONDS = 1
NO_SCRIPT_REFRESH_SECONDS = 2


def _render(request: HttpRequest, template: str, context: dict, status: int = 200):
    context = {"platform_domain": settings.PLATFORM_DOMAIN, **context}
    return render(request, template, context, status=status)


def _sign_in(request: HttpRequest) -> HttpResponse:
    return redirect_to_login(request.get_full_path(), reverse("account_login"))


def _representative(request: HttpRequest) -> HttpResponse | None:
    """A response for someone who may not create a network (or pay for, retry or enter
    one they asked for) now, or None: checked on each request, not only at the first."""
    if not request.user.is_authenticated:
        return _sign_in(request)
    if access.steps_missing(request.user):
        messages.info(request, _("A few steps remain before you can create your network."))
        return redirect("signup:start")
    return None


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_messages)
    else:
        form.add_error(None, error.messages)


def start(request: HttpRequest) -> HttpResponse:
    """What creating a network takes, and where this visitor stands."""
    missing = access.steps_missing(request.user)
    return _render(
        request,
        "signup/start.html",
        {
            "missing": missing,
            "ready": not missing,
            "has_networks": request.user.is_authenticated
            and access.requests_of(request.user).exists(),
        },
    )


def create(request: HttpRequest) -> HttpResponse:
    """A new organization and its first network: names, address, plan."""
    refused = _representative(request)
    if refused is not None:
        return refused
    offered = plans.offered_plans()
    form = NetworkForm(posted(request), plans=offered)
    if request.method == "POST" and form.is_valid():
        try:
            signup = services.request_create(
                account=request.user,
                organization_name=form.cleaned_data["organization_name"],
                network_name=form.cleaned_data["network_name"],
                subdomain=form.cleaned_data["subdomain"],
                plan=form.cleaned_data.get("plan"),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if signup.status == SignupRequest.Status.AWAITING_PAYMENT:
                return _checkout(request, signup)
            return redirect("signup:progress", pk=signup.pk)
    return _render(
        request,
        "signup/create.html",
        {"form": form, "plans": offered, "organization": None},
        status=400 if form.errors else 200,
    )


def network_add(request: HttpRequest, organization_pk: int) -> HttpResponse:
    """One more network for an organization of this representative."""
    refused = _representative(request)
    if refused is not None:
        return refused
    organization = access.organization_or_404(request.user, organization_pk)
    form = NetworkForm(posted(request), plans=[], with_organization=False)
    if request.method == "POST" and form.is_valid():
        try:
            signup = services.request_create(
                account=request.user,
                organization=organization,
                network_name=form.cleaned_data["network_name"],
                subdomain=form.cleaned_data["subdomain"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("signup:progress", pk=signup.pk)
    return _render(
        request,
        "signup/create.html",
        {"form": form, "plans": [], "organization": organization},
        status=400 if form.errors else 200,
    )


def subdomain_check(request: HttpRequest) -> HttpResponse:
    """The form's answer while the subdomain is typed (htmx): available, or why not."""
    if not request.user.is_authenticated:
        return _sign_in(request)
    value = request.GET.get("subdomain", "")[:100]
    availability = (
        services.subdomain_availability(subdomain=value, account_id=request.user.pk)
        if value.strip()
        else None
    )
    return _render(request, "signup/_subdomain_status.html", {"availability": availability})


def _progress_context(request: HttpRequest, signup: SignupRequest) -> dict:
    context = {
        "signup": signup,
        "poll_seconds": POLL_SECONDS,
        "refresh_seconds": NO_SCRIPT_REFRESH_SECONDS,
    }
    if signup.status == SignupRequest.Status.READY and signup.invitation_url and signup.tenant_id:
        # No link into the network for an account with steps left (the handover view would
        # send it to the steps anyway): the page says to finish them.
        context["steps_missing"] = access.steps_missing(request.user)
        if context["steps_missing"]:
            return context
        token = services.handover_token(request=signup)
        context["handover_url"] = (
            reverse("signup:handover", args=[signup.pk]) + "?" + f"jeton={token}"
        )
    return context


def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the creation of a network stands; htmx asks again until it is done."""
    if not request.user.is_authenticated:
        return _sign_in(request)
    signup = access.request_or_404(request.user, pk)
    return _render(request, "signup/progress.html", _progress_context(request, signup))


def progress_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress page's status block alone (htmx polling)."""
    if not request.user.is_authenticated:
        return _sign_in(request)
    signup = access.request_or_404(request.user, pk)
    if signup.status == SignupRequest.Status.AWAITING_PAYMENT and services.payment_confirm(
        request_id=signup.pk
    ):
        signup = access.request_or_404(request.user, pk)
    if request.GET.get("vu") == signup.status:
        # Nothing new: htmx leaves the live region alone, so nothing is said again.
        return HttpResponse(status=204)
    context = {**_progress_context(request, signup), "swap_oob": True}
    return _render(request, "signup/_progress_status.html", context)


def handover(request: HttpRequest, pk: int) -> HttpResponse:
    """The one-time link: on to the new network's invitation, to become its admin."""
    refused = _representative(request)
    if refused is not None:
        return refused
    signup = access.request_or_404(request.user, pk)
    target = services.handover_use(request=signup, token=request.GET.get("jeton", ""))
    if target is None:
        messages.warning(
            request,
            _("This link was already used or is too old: use the new one below."),
        )
        return redirect("signup:progress", pk=signup.pk)
    return redirect(target)


@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Try a failed creation again."""
    refused = _representative(request)
    if refused is not None:
        return refused
    signup = access.request_or_404(request.user, pk)
    if signup.status != SignupRequest.Status.FAILED:
        raise Http404
    try:
        services.request_retry(request=signup)
    except ValidationError as error:
        for field_messages in error.message_dict.values():
            for message in field_messages:
                messages.error(request, message)
    return redirect("signup:progress", pk=signup.pk)


def _platform_url(name: str, *args: object) -> str:
    """A sign-up page on the platform's own domain, whatever Host the request named."""
    base = tenant_base_url(Tenant(), domain=settings.PLATFORM_DOMAIN)
    return base + reverse(name, args=args)


def _checkout(request: HttpRequest, signup: SignupRequest) -> HttpResponse:
    try:
        url = services.payment_checkout_url(
            request=signup,
            success_url=_platform_url("signup:payment_return", signup.pk),
            cancel_url=_platform_url("signup:progress", signup.pk),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("signup:progress", pk=signup.pk)
    return redirect(url)


@require_POST
def pay(request: HttpRequest, pk: int) -> HttpResponse:
    """Pay for a request's paid plan: on to Stripe Checkout."""
    refused = _representative(request)
    if refused is not None:
        return refused
    signup = access.request_or_404(request.user, pk)
    if signup.status != SignupRequest.Status.AWAITING_PAYMENT:
        return redirect("signup:progress", pk=signup.pk)
    return _checkout(request, signup)


def payment_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Back from Stripe Checkout: if billing has recorded the payment, the network's
    creation starts; else the progress page waits for it (the webhook, or the polling job)."""
    if not request.user.is_authenticated:
        return _sign_in(request)
    signup = access.request_or_404(request.user, pk)
    services.payment_confirm(request_id=signup.pk)
    return redirect("signup:progress", pk=signup.pk)


def networks(request: HttpRequest) -> HttpResponse:
    """My networks: each organization of this representative and its networks."""
    if not request.user.is_authenticated:
        return _sign_in(request)
    return _render(
        request,
        "signup/networks.html",
        {
            "organizations": selectors.usage_add(selectors.networks_of(request.user)),
            "missing": access.steps_missing(request.user),
        },
    )
