"""The association admins' area: members, invitations, network settings, audit log.

Every view is behind a named permission; anything out of reach is the same 404 as a
missing page.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.hooks import tenant_app_hooks
from core.http import posted
from tenant_apps.members import audit, selectors, services
from tenant_apps.members.forms_admin import (
    AudienceForm,
    BrandingForm,
    CharterForm,
    InviteForm,
    MemberFilterForm,
    PathologyForm,
    RetentionForm,
    RoleForm,
    SpaceEditForm,
    SpaceForm,
    SuspendForm,
)
from tenant_apps.members.models import (
    AuditEntry,
    NetworkSettings,
    Pathology,
    ProfileType,
    Role,
    Space,
)
from tenant_apps.members.permissions import permission_required
from tenant_apps.members.views import add_errors
from tenants.models import Branding
from tenants.selectors import branding_for

MEMBERS_PER_PAGE = 25
AUDIT_PER_PAGE = 50

MANAGE = "members.member:manage"
INVITE = "members.member:invite"
CONFIGURE = "members.network:configure"
AUDIT = "members.audit:read"
DECIDE_PROFILE_TYPE = "members.profile_type:decide"


# --- Members ---------------------------------------------------------------------------------


@permission_required(MANAGE)
def member_list(request: HttpRequest) -> HttpResponse:
    form = MemberFilterForm(request.GET or None)
    members = selectors.members_search(**form.filters())
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "members/admin/member_list.html", {"form": form, "page": page})


@permission_required(MANAGE)
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_page(request, selectors.access_member_for_admin(pk))


@permission_required(MANAGE)
@require_POST
def member_role(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.access_member_for_admin(pk)
    form = RoleForm(request.POST, prefix="role")
    if form.is_valid():
        try:
            services.member_role_change(
                actor=request.member, member=member, role=form.cleaned_data["role"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s now has the role: %(role)s.")
                % {"name": member.display_name, "role": member.get_role_display()},
            )
            return redirect("members_admin:member_detail", pk=member.pk)
    return _member_page(request, member, role_form=form)


@permission_required(MANAGE)
@require_POST
def member_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.access_member_for_admin(pk)
    form = SuspendForm(request.POST, prefix="suspend")
    if form.is_valid():
        try:
            services.member_suspend(
                actor=request.member,
                member=member,
                reason=form.cleaned_data["reason"],
                until=form.cleaned_data["until"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is suspended and signed out.") % {"name": member.display_name},
            )
            return redirect("members_admin:member_detail", pk=member.pk)
    return _member_page(request, member, suspend_form=form)


@permission_required(MANAGE)
@require_POST
def member_reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.access_member_for_admin(pk)
    services.member_reinstate(actor=request.member, member=member)
    messages.success(request, _("%(name)s is reinstated.") % {"name": member.display_name})
    return redirect("members_admin:member_detail", pk=member.pk)


def _member_page(request, member, *, role_form=None, suspend_form=None) -> HttpResponse:
    return render(
        request,
        "members/admin/member_detail.html",
        {
            "target": member,
            "is_self": member.pk == request.member.pk,
            "role_form": role_form or RoleForm(initial={"role": member.role}, prefix="role"),
            "suspend_form": suspend_form or SuspendForm(prefix="suspend"),
        },
    )


# --- Changes of profile type that open a space -----------------------------------------------


@permission_required(DECIDE_PROFILE_TYPE)
def profile_type_requests(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "members/admin/profile_type_requests.html",
        {"requests": selectors.profile_type_requests_pending()},
    )


@permission_required(DECIDE_PROFILE_TYPE)
@require_POST
def profile_type_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    pending = selectors.access_profile_type_request(pk)
    decision = request.POST.get("decision")
    if decision not in ("approve", "refuse"):
        messages.error(request, _("Choose to approve or to refuse the request."))
        return redirect("members_admin:profile_type_requests")
    try:
        services.profile_type_request_decide(
            actor=request.member, request=pending, approve=decision == "approve"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = (
            _("%(name)s's new profile is approved.")
            if decision == "approve"
            else _("%(name)s's change of profile is refused.")
        )
        messages.success(request, done % {"name": pending.member.display_name})
    return redirect("members_admin:profile_type_requests")


# --- Invitations -----------------------------------------------------------------------------


@permission_required(INVITE)
def invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(posted(request), initial={"role": Role.MEMBER})
    if request.method == "POST" and form.is_valid():
        services.invitation_create(
            email=form.cleaned_data["email"], role=form.cleaned_data["role"], actor=request.member
        )
        messages.success(
            request,
            _("The invitation is on its way to %(email)s.") % {"email": form.cleaned_data["email"]},
        )
        return redirect("members_admin:invite")
    return render(request, "members/admin/invite.html", {"form": form})


# --- Network settings ------------------------------------------------------------------------


@permission_required(CONFIGURE)
def settings_page(request: HttpRequest) -> HttpResponse:
    return _settings_page(request)


@permission_required(CONFIGURE)
@require_POST
def branding_edit(request: HttpRequest) -> HttpResponse:
    form = BrandingForm(
        request.POST, request.FILES, instance=_fresh_branding(request), prefix="branding"
    )
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.branding_update(
                tenant=request.tenant,
                actor=request.member,
                logo=data.pop("logo") or None,
                remove_logo=data.pop("remove_logo"),
                **data,
            )
        except ValidationError as error:
            add_errors(form, error, default_field="logo")
        else:
            return _saved(request, _("The branding is saved."), "branding")
    return _settings_page(request, form)


@permission_required(CONFIGURE)
@require_POST
def pathology_add(request: HttpRequest) -> HttpResponse:
    form = PathologyForm(request.POST, prefix="pathology-new")
    if form.is_valid():
        services.pathology_create(name=form.cleaned_data["name"], actor=request.member)
        return _saved(request, _("The pathology is added."), "pathologies")
    return _settings_page(request, form)


@permission_required(CONFIGURE)
@require_POST
def pathology_rename(request: HttpRequest, pk: int) -> HttpResponse:
    pathology = get_object_or_404(Pathology, pk=pk)
    form = PathologyForm(request.POST, pathology=pathology, prefix=f"pathology-{pk}")
    if form.is_valid():
        try:
            services.pathology_rename(
                actor=request.member, pathology=pathology, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _saved(request, _("The pathology is renamed."), "pathologies")
    return _settings_page(request, form)


@permission_required(CONFIGURE)
@require_POST
def pathology_delete(request: HttpRequest, pk: int) -> HttpResponse:
    pathology = get_object_or_404(Pathology, pk=pk)
    services.pathology_delete(actor=request.member, pathology=pathology)
    return _saved(request, _("The pathology is deleted."), "pathologies")


@permission_required(CONFIGURE)
@require_POST
def charter_publish(request: HttpRequest) -> HttpResponse:
    form = CharterForm(request.POST, prefix="charter")
    if form.is_valid():
        charter = services.charter_publish(
            title=form.cleaned_data["title"], body=form.cleaned_data["body"], actor=request.member
        )
        return _saved(
            request,
            _("Version %(version)s of the charter is published.") % {"version": charter.version},
            "charter",
        )
    return _settings_page(request, form)


@permission_required(CONFIGURE)
@require_POST
def space_add(request: HttpRequest) -> HttpResponse:
    form = SpaceForm(request.POST, prefix="space-new")
    if form.is_valid():
        services.space_create(**form.cleaned_data, actor=request.member)
        return _saved(request, _("The space is created."), "spaces")
    return _settings_page(request, form)


@permission_required(CONFIGURE)
@require_POST
def space_edit(request: HttpRequest, pk: int) -> HttpResponse:
    space = get_object_or_404(Space, pk=pk)
    form = SpaceEditForm(request.POST, prefix=f"space-{pk}")
    if form.is_valid():
        try:
            services.space_update(actor=request.member, space=space, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _saved(request, _("The space is saved."), "spaces")
    return _settings_page(request, form)


@permission_required(CONFIGURE)
@require_POST
def retention_edit(request: HttpRequest) -> HttpResponse:
    form = RetentionForm(request.POST, instance=_policy(), prefix="retention")
    if form.is_valid():
        try:
            services.network_settings_update(
                actor=request.member,
                inactive_retention_days=form.cleaned_data["inactive_retention_days"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _saved(request, _("The retention period is saved."), "retention")
    return _settings_page(request, form)


@permission_required(CONFIGURE)
@require_POST
def audience_edit(request: HttpRequest) -> HttpResponse:
    form = AudienceForm(request.POST, instance=_policy(), prefix="audience")
    if form.is_valid():
        try:
            services.network_audience_update(
                actor=request.member,
                audience=form.cleaned_data["audience"],
                local_groups_open=form.cleaned_data["local_groups_open"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _saved(request, _("Who the network is for is saved."), "audience")
    return _settings_page(request, form)


def _saved(request: HttpRequest, message: str, section: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("members_admin:settings") + f"#{section}")


def _fresh_branding(request: HttpRequest) -> Branding:
    # Not request.tenant.branding: that object is shared through the host cache, and a
    # bound form writes the typed (maybe refused) values onto its instance.
    return branding_for(request.tenant)


def _policy() -> NetworkSettings:
    return selectors.network_settings()


def _settings_page(request: HttpRequest, bound=None) -> HttpResponse:
    """The settings page; ``bound`` is a refused form shown again with its errors."""

    def form(prefix, make):
        return bound if bound is not None and bound.prefix == prefix else make()

    charter = selectors.charter_current()
    policy = _policy()  # the retention's and the audience's forms: one read
    context = {
        "branding_form": form(
            "branding", lambda: BrandingForm(instance=_fresh_branding(request), prefix="branding")
        ),
        "pathology_form": form("pathology-new", lambda: PathologyForm(prefix="pathology-new")),
        "pathologies": [
            (
                pathology,
                form(
                    f"pathology-{pathology.pk}",
                    lambda p=pathology: PathologyForm(
                        initial={"name": p.name}, pathology=p, prefix=f"pathology-{p.pk}"
                    ),
                ),
            )
            for pathology in selectors.pathologies_list()
        ],
        "charter": charter,
        "charter_form": form(
            "charter",
            lambda: CharterForm(
                initial={"title": charter.title, "body": charter.body} if charter else None,
                prefix="charter",
            ),
        ),
        "space_form": form("space-new", lambda: SpaceForm(prefix="space-new")),
        "spaces": [
            (
                space,
                form(
                    f"space-{space.pk}",
                    lambda s=space: SpaceEditForm(
                        initial={
                            "name": s.name,
                            "description": s.description,
                            "audience": s.audience,
                            "professionals_only": s.professionals_only,
                        },
                        prefix=f"space-{s.pk}",
                    ),
                ),
            )
            for space in selectors.spaces_list()
        ],
        "retention_form": form(
            "retention", lambda: RetentionForm(instance=policy, prefix="retention")
        ),
        "audience_form": form("audience", lambda: AudienceForm(instance=policy, prefix="audience")),
    }
    return render(request, "members/admin/settings.html", context)


# --- Audit log -------------------------------------------------------------------------------


@permission_required(AUDIT)
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.audit_entries(), AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    labels = audit.action_labels()
    # Other apps (moderation, knowledge, …) describe their own entries, whose actions are
    # prefixed with the app's name: "moderation.post_hide".
    describers = dict(tenant_app_hooks("audit", "describe"))
    rows = []
    for entry in page:
        describe = describers.get(entry.action.partition(".")[0], _describe)
        rows.append(
            {
                "entry": entry,
                "action": labels.get(entry.action, entry.action),
                "detail": describe(entry),
            }
        )
    return render(request, "members/admin/audit_log.html", {"page": page, "rows": rows})


def _role_name(value) -> str:
    return str(Role(value).label) if value in Role.values else str(value or "")


def _profile_name(value) -> str:
    return str(ProfileType(value).label) if value in ProfileType.values else str(value or "")


def _describe(entry: AuditEntry) -> str:
    """The entry's details in words; details never hold an email or a pseudonym."""
    detail = entry.detail or {}
    if entry.action == "role_change":
        return _("from %(previous)s to %(role)s") % {
            "previous": _role_name(detail.get("previous")),
            "role": _role_name(detail.get("role")),
        }
    if entry.action == "suspend":
        until = parse_datetime(detail["until"]) if detail.get("until") else None
        if until is None:
            return _("until reinstated")
        return _("until %(date)s") % {"date": formats.date_format(until, "SHORT_DATE_FORMAT")}
    if entry.action == "invite":
        return _("as %(role)s") % {"role": _role_name(detail.get("role"))}
    if entry.action in ("profile_type_approve", "profile_type_refuse"):
        return f"{_profile_name(detail.get('previous'))} → {_profile_name(detail.get('requested'))}"
    if entry.action == "pathology_rename":
        return f"{detail.get('previous', '')} → {detail.get('name', '')}"
    if entry.action == "pathology_delete":
        return str(detail.get("name", ""))
    if entry.action == "space_update":
        return str(detail.get("space", ""))
    if entry.action == "charter_publish":
        return _("version %(version)s") % {"version": detail.get("version", "?")}
    if entry.action == "erase":
        if detail.get("content_deleted"):
            return _("with their messages")
        return _("messages kept, signed “Deleted member”")
    if entry.action == "retention":
        return _("%(count)s accounts") % {"count": detail.get("erased", "?")}
    if "group" in detail:
        return _("group #%(id)s") % {"id": detail["group"]}
    if entry.action == "retention_change":
        days = detail.get("days")
        if days is None:
            return _("keep inactive accounts")
        return _("%(days)s days") % {"days": days}
    return ""
