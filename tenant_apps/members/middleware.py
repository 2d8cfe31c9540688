from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tenant_apps.members import services
from tenant_apps.members.permissions import (
    SECOND_FACTOR_ROLES,
    has_second_factor,
    second_factor_setup,
)

# Pages a user without a second factor can still reach, to set one up or leave. Browsers
# fetch their icons by themselves after every page: sent on to the setup, that request
# would replace the secret the page shows, and the code scanned from it would be refused.
_OPEN_PREFIXES = (
    "/comptes/",
    # The palette's stylesheet and CSP reports, which the set-up page itself asks for.
    "/couleurs/",
    "/csp-report/",
    "/static/",
    "/media/",
    "/i18n/",
    "/healthz",
    "/favicon.ico",
    "/apple-touch-icon",
    "/icone/",
)

# A network's addresses that a signed-out visitor may open; every other one is for members.
_PUBLIC_PATHS = frozenset({"/", "/charte/", "/mentions-legales/"})
_PUBLIC_PREFIXES = (
    "/comptes/",  # sign in, sign up, password reset: allauth guards its own private pages
    "/invitation/",
    "/notifications/desabonnement/",  # the signed link in every email
    "/static/",
    "/media/",  # the media view applies each file's own visibility
    "/i18n/",
    "/api/",  # the API answers for itself: 404, never an HTML redirect
    "/agenda/",  # calendar feeds for calendar apps: public events, or a member's secret token
    "/statistiques/",  # a statistics release shared by its secret link (tenant_apps.insights)
    "/favicon.ico",  # the network's icon (tenants.views.brand_icon), public like its logo
    "/apple-touch-icon",
    "/icone/",
    "/couleurs/",  # the network's palette (tenants.views.brand_stylesheet), on every page
    "/csp-report/",  # browsers' reports of Content-Security-Policy violations (core.security)
)


class SignedOutRedirectMiddleware:
    """A signed-out visitor on a network's member-only address is sent to sign in.

    It runs before URL resolution, so a missing page and an existing one answer the same
    redirect and nothing about the network's content is revealed (DESIGN invariant 5).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            connection.schema_name != "public"
            and not request.user.is_authenticated
            and request.path_info not in _PUBLIC_PATHS
            and not request.path_info.startswith(_PUBLIC_PREFIXES)
        ):
            return redirect_to_login(request.get_full_path(), reverse("account_login"))
        return self.get_response(request)


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
            missing = (
                user.is_staff
                and not Authenticator.objects.filter(
                    user=user, type=Authenticator.Type.TOTP
                ).exists()
            )
        else:
            member = getattr(user, "member", None)
            if member is None:
                return None
            if member.status == member.Status.SUSPENDED:
                if member.suspended_until and member.suspended_until <= timezone.now():
                    services.member_suspension_lapse(member=member)
                elif is_api:
                    return None  # current_member() is None for them: the API refuses
                else:
                    logout(request)
                    messages.error(request, _("Your account is suspended."))
                    return redirect("home")
            services.member_seen(member=member)
            # Staff are led to the setup from every page. A designation is not checked here
            # (that would cost every member a query): has_permission refuses its rights until
            # the setup, and permission_required leads there.
            missing = member.role in SECOND_FACTOR_ROLES and not has_second_factor(member)
        if not missing or request.path.startswith(_OPEN_PREFIXES):
            return None
        if is_api:
            raise Http404
        return second_factor_setup(request)
