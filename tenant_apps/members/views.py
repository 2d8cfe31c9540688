from allauth.account.internal.flows.reauthentication import reauthenticate_by_password
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.static import serve

from core.http import posted
from tenant_apps.members import selectors, services
from tenant_apps.members.forms import InvitationAcceptForm, ProfileForm
from tenant_apps.members.models import Consent
from tenant_apps.members.permissions import (
    SECOND_FACTOR_NEXT,
    SECOND_FACTOR_ROLES,
    current_member,
    has_second_factor,
    member_required,
    permission_required,
)


def charter(request: HttpRequest) -> HttpResponse:
    return render(request, "members/charter.html", {"charter": selectors.charter_current()})


def invitation(request: HttpRequest, key: str) -> HttpResponse:
    pending = selectors.access_invitation(key)
    form = InvitationAcceptForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                key=key,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            # The password was typed just now: staff go straight on to their second factor.
            reauthenticate_by_password(request)
            return redirect("home")
    return render(request, "members/invitation.html", {"form": form, "invitation": pending})


@member_required
def profile(request: HttpRequest, pseudonym: str) -> HttpResponse:
    viewer = request.member
    member = selectors.access_member(viewer, pseudonym)
    return render(
        request,
        "members/profile.html",
        {"profile_member": member, "fields": selectors.visible_profile(viewer, member)},
    )


@permission_required("members.profile:edit_own")
def profile_edit(request: HttpRequest) -> HttpResponse:
    member = request.member
    form = ProfileForm(posted(request), request.FILES or None, instance=member)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data.pop("consent_health_data", False):
            services.consent_give(member=member, kind=Consent.Kind.HEALTH_DATA)
        try:
            services.profile_update(
                member=member,
                pathologies=list(data.pop("pathologies")),
                avatar=data.pop("avatar") or None,
                remove_avatar=data.pop("remove_avatar"),
                **data,
            )
        except ValidationError as error:
            add_errors(form, error, default_field="avatar")
        else:
            messages.success(request, _("Your profile is saved."))
            pending = selectors.profile_type_request_pending(member)
            if pending is not None:
                messages.info(
                    request,
                    _(
                        "Your new profile (%(profile)s) opens other spaces: it waits for a "
                        "moderator's approval. Until then, your profile stays as it was."
                    )
                    % {"profile": pending.get_requested_display()},
                )
            return redirect("profile", pseudonym=member.user.username)
    return render(
        request,
        "members/profile_edit.html",
        {"form": form, "pending": selectors.profile_type_request_pending(member)},
    )


@member_required
def account_home(request: HttpRequest) -> HttpResponse:
    """The "My account" page: it leads to everything members manage about themselves."""
    member = request.member
    return render(
        request,
        "members/account.html",
        {
            "member": member,
            "second_factor_on": has_second_factor(member),
            "second_factor_required": member.role in SECOND_FACTOR_ROLES,
            "health_consent": services.health_consent_active(member=member),
        },
    )


@member_required
def account_continue(request: HttpRequest) -> HttpResponse:
    """After the second factor's setup: on to the page the person had asked for."""
    wanted = request.session.pop(SECOND_FACTOR_NEXT, None)
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts=set()):
        return redirect(wanted)
    return redirect("home")


def avatar(request: HttpRequest, name: str) -> HttpResponse:
    """An avatar file, for whom its owner shows it (an image, not a page: 404, never the
    sign-in page). Browsers revalidate each time, so a change of mind applies at once."""
    member = selectors.access_avatar(current_member(request.user), name)
    response = serve(request, member.avatar.name, document_root=member.avatar.storage.location)
    response["Cache-Control"] = "private, no-cache"
    return response


def add_errors(form, error: ValidationError, default_field: str | None = None) -> None:
    """Put a service's validation errors on the form that collected the input."""
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_messages)
    else:
        form.add_error(default_field, error.messages)
