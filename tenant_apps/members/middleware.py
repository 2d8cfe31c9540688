from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import logout
from django.db import connection
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tenant_apps.members import services
from tenant_apps.members.permissions import SECOND_FACTOR_ROLES

# Pages a user without a second factor can still reach, to set one up or leave.
_OPEN_PREFIXES = ("/comptes/", "/static/", "/media/", "/i18n/", "/healthz")


class SecondFactorRequiredMiddleware:
    """Moderators, association admins and platform operators must use TOTP.

    Also ends the session of a member who was suspended while signed in, and lifts a
    suspension whose end date has passed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            response = self._check(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request, user):
        # The API answers for itself: out of reach is a 404 there, never an HTML redirect.
        is_api = request.path.startswith("/api/")
        if connection.schema_name == "public":
            needs_second_factor = user.is_staff
        else:
            member = getattr(user, "member", None)
            if member is None:
                return None
            if member.status == member.Status.SUSPENDED:
                if member.suspended_until and member.suspended_until <= timezone.now():
                    member.status = member.Status.ACTIVE
                    member.save(update_fields=["status"])
                elif is_api:
                    return None  # current_member() is None for them: the API refuses
                else:
                    logout(request)
                    messages.error(request, _("Your account is suspended."))
                    return redirect("home")
            services.member_seen(member=member)
            needs_second_factor = member.role in SECOND_FACTOR_ROLES
        if not needs_second_factor or request.path.startswith(_OPEN_PREFIXES):
            return None
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            return None
        if is_api:
            raise Http404
        messages.warning(
            request, _("Your role requires a second factor: set up an authenticator app first.")
        )
        return redirect(reverse("mfa_activate_totp"))
