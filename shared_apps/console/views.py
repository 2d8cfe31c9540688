"""The operators' console on the platform's domain (``/console/``): the networks, one
network's page and actions, the platform's activity.

Views parse, ask ``access``, call a service and answer. Every action is a POST (Django's
CSRF check applies) that redirects back to the network's page; a refused one shows the page
again with what was typed and why. Nothing here reads a network's schema: its figures are the
nightly snapshots' counts.
"""

import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from shared_apps.console import access, charts, forms, selectors, services
from tenants.models import Tenant


def operator_post(view):
    """An action: operators only (404 for anyone else, whatever the method), POST only."""

    @functools.wraps(view)
    def run(request: HttpRequest, slug: str) -> HttpResponse:
        operator = access.operator_or_404(request)
        tenant = access.network_or_404(slug)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(request, tenant, access.actor_name(operator))

    return run


def networks(request: HttpRequest) -> HttpResponse:
    """Every network with its status, plan, organization and latest counts; searched,
    filtered and paged by keyset."""
    access.operator_or_404(request)
    form = forms.NetworkFiltersForm(request.GET)
    filters = form.filters()
    rows, next_after = selectors.networks_page(filters)
    # Each row's address, reversed once for the page rather than once a row.
    prefix = reverse("console:network", args=["x"]).removesuffix("x/")
    for row in rows:
        row.console_url = f"{prefix}{row.slug}/"
    query = request.GET.copy()
    query.pop("apres", None)
    return render(
        request,
        "console/networks.html",
        {
            "form": form,
            "networks": rows,
            "next_query": f"{query.urlencode()}&apres={next_after}".lstrip("&")
            if next_after
            else "",
            "first_query": query.urlencode() if filters.after else None,
            "waiting": selectors.waiting_proposals(),
            "console_section": "networks",
        },
    )


def _network_page(request: HttpRequest, tenant: Tenant, status: int = 200, **bound) -> HttpResponse:
    subscription = selectors.subscription_of(tenant)
    history = selectors.usage_history(tenant)
    weeks = selectors.weekly_usage(history)
    latest = history[-1] if history else None
    context = {
        "console_section": "networks",
        "network": tenant,
        "domains": list(tenant.domains.order_by("-is_primary", "domain")),
        "subscription": subscription,
        "grace_open": subscription is not None and subscription.status in services.LATE,
        "latest": latest,
        "weeks": weeks,
        "members_chart": charts.column_chart(
            "members",
            _("Members"),
            _("Members of the network at the end of each week (its last count)."),
            _("Members"),
            [(start, snapshot.members if snapshot else None) for start, snapshot in weeks],
        ),
        "exports": list(tenant.exports.all()[:5]),
        "audit": selectors.audit_of(tenant.slug),
        "suspend_form": bound.get("suspend_form") or forms.SuspendForm(),
        "delete_form": bound.get("delete_form") or forms.DeleteForm(),
        "grace_form": bound.get("grace_form")
        or forms.GraceForm(
            initial={
                "days": 7,
                "seen": subscription.grace_until.isoformat()
                if subscription and subscription.grace_until
                else "",
            }
        ),
        "plan_form": bound.get("plan_form")
        or forms.PlanForm(initial={"plan": subscription.plan.code if subscription else None}),
    }
    return render(request, "console/network.html", context, status=status)


def network(request: HttpRequest, slug: str) -> HttpResponse:
    """A network's domains, subscription, usage over time, exports, audit and actions."""
    access.operator_or_404(request)
    return _network_page(request, access.network_or_404(slug))


def _back(tenant: Tenant) -> HttpResponse:
    return redirect("console:network", slug=tenant.slug)


def _refused(request: HttpRequest, tenant: Tenant, error: ValidationError, **bound) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return _network_page(request, tenant, status=400, **bound)


@operator_post
def network_suspend(request: HttpRequest, tenant: Tenant, actor: str) -> HttpResponse:
    form = forms.SuspendForm(request.POST)
    if not form.is_valid():
        return _network_page(request, tenant, status=400, suspend_form=form)
    try:
        done = services.network_suspend(
            tenant=tenant, actor=actor, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        return _refused(request, tenant, error, suspend_form=form)
    if done:
        messages.success(request, _("The network is suspended: its site answers “unavailable”."))
    else:
        messages.info(request, _("The network was already suspended."))
    return _back(tenant)


@operator_post
def network_resume(request: HttpRequest, tenant: Tenant, actor: str) -> HttpResponse:
    try:
        done = services.network_resume(tenant=tenant, actor=actor)
    except ValidationError as error:
        return _refused(request, tenant, error)
    if done:
        messages.success(request, _("The network is back online."))
    else:
        messages.info(request, _("The network was not suspended."))
    return _back(tenant)


@operator_post
def network_export(request: HttpRequest, tenant: Tenant, actor: str) -> HttpResponse:
    if services.network_export_request(tenant=tenant, actor=actor):
        messages.success(
            request, _("The export is under way; it will be listed here once written.")
        )
    else:
        messages.info(request, _("An export of this network is already waiting."))
    return _back(tenant)


@operator_post
def network_delete(request: HttpRequest, tenant: Tenant, actor: str) -> HttpResponse:
    form = forms.DeleteForm(request.POST)
    if not form.is_valid():
        return _network_page(request, tenant, status=400, delete_form=form)
    try:
        services.network_delete(
            tenant=tenant, actor=actor, confirmation=form.cleaned_data["confirmation"]
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return _network_page(request, tenant, status=400, delete_form=form)
        return _refused(request, tenant, error, delete_form=form)
    messages.success(request, _("The network “%(slug)s” is deleted.") % {"slug": tenant.slug})
    return redirect("console:networks")


@operator_post
def network_grace(request: HttpRequest, tenant: Tenant, actor: str) -> HttpResponse:
    form = forms.GraceForm(request.POST)
    if not form.is_valid():
        return _network_page(request, tenant, status=400, grace_form=form)
    try:
        services.network_grace_extend(
            tenant=tenant, actor=actor, days=form.cleaned_data["days"],
            seen=form.cleaned_data["seen"],
        )  # fmt: skip
    except ValidationError as error:
        return _refused(request, tenant, error, grace_form=form)
    messages.success(request, _("The grace period is extended."))
    return _back(tenant)


@operator_post
def network_plan(request: HttpRequest, tenant: Tenant, actor: str) -> HttpResponse:
    form = forms.PlanForm(request.POST)
    if not form.is_valid():
        return _network_page(request, tenant, status=400, plan_form=form)
    try:
        changed = services.network_plan_change(
            tenant=tenant, actor=actor, plan=form.cleaned_data["plan"]
        )
    except ValidationError as error:
        return _refused(request, tenant, error, plan_form=form)
    if changed:
        messages.success(request, _("The organization's plan is changed."))
    else:
        messages.info(request, _("The organization already has this plan."))
    return _back(tenant)


def activity(request: HttpRequest) -> HttpResponse:
    """Sign-ups, active networks and active members, week by week."""
    access.operator_or_404(request)
    weeks = selectors.weekly_activity()
    created = [(w.start, w.signups + w.created) for w in weeks]
    return render(
        request,
        "console/activity.html",
        {
            "console_section": "activity",
            "weeks": weeks,
            "created_chart": charts.column_chart(
                "created", _("New networks"),
                _("Networks created each week, by an association's sign-up or by an operator."),
                _("New networks"), created,
            ),
            "charts": [
                charts.column_chart(
                    "active-networks", _("Active networks"),
                    _("Networks with a member seen in the 30 days before the week's last count."),
                    _("Active networks"), [(w.start, w.active_networks) for w in weeks],
                ),
                charts.column_chart(
                    "active-members", _("Active members"),
                    _("Members seen in the 30 days before the week's last count, "
                      "all networks together."),
                    _("Active members"), [(w.start, w.active_members) for w in weeks],
                ),
            ],
        },
    )  # fmt: skip
