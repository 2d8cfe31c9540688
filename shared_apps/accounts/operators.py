"""Who is a platform operator: the one rule behind the console, the directory's review
queue and its API.

An operator is a staff account of the platform (public schema) with TOTP set up. Everyone
else gets the 404 of a page that does not exist: a signed-out visitor, a platform account
without staff rights, a network's admin or member (whose session belongs to their network's
schema, so it is no session on the platform's domain). A staff account without TOTP never
reaches the views: ``SecondFactorRequiredMiddleware`` sends it to set one up first.
"""

from allauth.mfa.models import Authenticator
from django.db import connection
from django.http import Http404, HttpRequest


def is_operator(user) -> bool:
    """Staff of the platform (public schema) with TOTP set up."""
    return bool(
        connection.schema_name == "public"
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )


def operator_or_404(request: HttpRequest):
    """The signed-in operator, or the 404 of a page that does not exist."""
    if not is_operator(request.user):
        raise Http404
    return request.user
