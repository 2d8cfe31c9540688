"""The API's one authentication and one permission class (the REST_FRAMEWORK defaults).

The permission is decided before the request's body is read. DRF's own session
authentication runs Django's CSRF check, which reads ``request.POST`` and so parses the
body before any permission class: a member without the right got 400 or 415 for a
malformed body instead of the 404 of a missing page. Here authentication only reads the
session, and the CSRF check runs once the permission is granted, without parsing the body.
"""

from typing import TYPE_CHECKING

from django.http.multipartparser import MultiPartParserError
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from tenant_apps.members.permissions import current_member, require

if TYPE_CHECKING:  # rest_framework.views imports this module for its defaults
    from rest_framework.views import APIView


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
        required = getattr(view, "required_permissions", {"GET": None})
        permission = required.get(request.method, required["GET"])
        request.member = require(current_member(request.user), permission)
        if request.method not in SAFE_METHODS:
            # On Django's request, which leaves a JSON body unread: the view still checks
            # what it acts on (a post, a category) before it parses the body.
            try:
                SessionAuthentication().enforce_csrf(request._request)
            except MultiPartParserError as error:
                raise exceptions.ParseError from error
        return True
