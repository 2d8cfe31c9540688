"""Who may open the operators' console: the platform's staff with a second factor.

Everyone else gets the 404 of a page that does not exist: a signed-out visitor, an account
of the platform without staff rights, a network's admin or member (whose session belongs to
their network's schema, so it is no session on the platform's domain). A staff account
without TOTP never reaches the views: ``SecondFactorRequiredMiddleware`` sends it to set one
up first, as for the Django admin.
"""

from allauth.mfa.models import Authenticator
from django.db import connection
from django.http import Http404, HttpRequest

from tenants.models import Tenant


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


def network_or_404(slug: str) -> Tenant:
    """A network by its slug (never the platform's own row), or 404."""
    tenant = (
        Tenant.objects.exclude(schema_name="public")
        .select_related("organization")
        .filter(slug=slug)
        .first()
    )
    if tenant is None:
        raise Http404
    return tenant


def actor_name(user) -> str:
    """How an operator is named in the audit log: their account's username, never an
    email address."""
    return user.get_username()
