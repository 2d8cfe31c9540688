"""Who may open the operators' console (the platform's operators: one rule,
``shared_apps.accounts.operators``), and which network a console page is about."""

from django.http import Http404

from shared_apps.accounts.operators import is_operator, operator_or_404
from tenants.models import Tenant

__all__ = ["is_operator", "network_or_404", "operator_or_404"]


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
