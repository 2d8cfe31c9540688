from email.headerregistry import Address

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.db import connection
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _


def _brand_name() -> str:
    tenant = getattr(connection, "tenant", None)
    branding = getattr(tenant, "branding", None) if tenant is not None else None
    return branding.display_name if branding else settings.PLATFORM_NAME


class AccountAdapter(DefaultAccountAdapter):
    """allauth, per tenant: emails in the network's name; sign-up only on network sites."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_taken": _("This pseudonym is already taken."),
    }

    def is_open_for_signup(self, request) -> bool:
        # Operators (public schema) are created by operators, never by sign-up.
        return connection.schema_name != "public"

    def is_safe_url(self, url: str | None) -> bool:
        # Only a path on this site: ``next`` comes from the address bar, and a network's
        # other domains are no reason to leave the one the visitor is on.
        return bool(url) and url_has_allowed_host_and_scheme(url, allowed_hosts=set())

    def get_from_email(self) -> str:
        return str(Address(_brand_name(), addr_spec=settings.DEFAULT_FROM_EMAIL))

    def format_email_subject(self, subject: str) -> str:
        return f"[{_brand_name()}] {subject}"
