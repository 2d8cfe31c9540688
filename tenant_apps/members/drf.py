"""The API's one authentication and one permission class (the REST_FRAMEWORK defaults).

The permission is decided before the request's body is read. DRF's own session
authentication runs Django's CSRF check, which reads ``request.POST`` and so parses the
body before any permission class: a member without the right got 400 or 415 for a
malformed body instead of the 404 of a missing page. Here authentication only reads the
session, and the CSRF check runs once the permission is granted, without parsing the body.

Apps send a personal access token instead (``Authorization: Bearer ent_…``,
tenant_apps/members/tokens.py): no cookie, so no CSRF check. A token that is presented but
unknown in this network, revoked or refused answers 401, so that the app knows to ask its
member for a new one; with no credentials at all, refusals stay the 404 of a missing page.
"""

from typing import TYPE_CHECKING

from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from core.throttle import api_address_hit
from tenant_apps.members.permissions import current_member, require
from tenant_apps.members.tokens import api_token_authenticate

if TYPE_CHECKING:  # rest_framework.views imports this module for its defaults
    from rest_framework.views import APIView


class TokenAuthentication(authentication.BaseAuthentication):
    """A personal access token in ``Authorization: Bearer``; 401 when it is refused."""

    keyword = "Bearer"

    def authenticate(self, request: Request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from error
        member = api_token_authenticate(secret)
        if member is None:
            api_address_hit(request)  # guessing tokens is counted as a signed-out visitor
            raise exceptions.AuthenticationFailed(_("This token is invalid or was revoked."))
        return (member.user, member)

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The session's user; the CSRF check waits for ``NetworkPermission``."""

    def authenticate(self, request: Request):
        user = getattr(request._request, "user", None)
        if not user or not user.is_active:
            return None
        return (user, None)


class NetworkPermission(BasePermission):
    """The view's named permission for the request's method, or the 404 of a missing page.

    Views declare ``required_permissions = {"GET": "...", "POST": "..."}``; ``None`` means
    any active member of the network, and so does a view that declares nothing. Other
    methods (HEAD, OPTIONS, unsupported ones) need the GET permission, then get 405 if
    unsupported. Sets ``request.member``.
    """

    def has_permission(self, request: Request, view: "APIView") -> bool:
        if not request.user.is_authenticated:
            api_address_hit(request)  # before the 404: scanning is counted too
        required = getattr(view, "required_permissions", {"GET": None})
        permission = required.get(request.method, required["GET"])
        request.member = require(current_member(request.user), permission)
        if request.method not in SAFE_METHODS and not isinstance(
            request.successful_authenticator, TokenAuthentication
        ):
            # On Django's request, which leaves a JSON body unread: the view still checks
            # what it acts on (a post, a category) before it parses the body.
            try:
                SessionAuthentication().enforce_csrf(request._request)
            except MultiPartParserError as error:
                raise exceptions.ParseError from error
        return True
