import time
from typing import NamedTuple
from urllib.parse import urlsplit

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal.ratelimit import get_ip
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from core import emails
from shared_apps.accounts.pseudonyms import pseudonym_clean
from tenants.links import network_url


def _brand_name() -> str:
    tenant = getattr(connection, "tenant", None)
    branding = getattr(tenant, "branding", None) if tenant is not None else None
    return branding.display_name if branding else settings.PLATFORM_NAME


class _PrimarySite(NamedTuple):
    """What allauth's email templates read of ``current_site``."""

    domain: str
    name: str


class AccountAdapter(DefaultAccountAdapter):
    """allauth, per tenant: emails in the network's name; sign-up only on network sites."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_taken": _("This pseudonym is already taken."),
    }

    def clean_username(self, username: str, shallow: bool = False) -> str:
        # The one pseudonym rule (normal form, characters, look-alikes), then allauth's own.
        if not shallow:
            username = pseudonym_clean(username)
        return super().clean_username(username, shallow=shallow)

    def is_open_for_signup(self, request) -> bool:
        # Members sign up on their network; on the platform's domain, the people who manage
        # an association's directory listing do (tenant_apps.members.signup drops the
        # network's questions there). Operators are still created by operators only: a
        # sign-up is never staff, and staff must set up TOTP.
        return True

    def is_safe_url(self, url: str | None) -> bool:
        # Only a path on this site: ``next`` comes from the address bar, and a network's
        # other domains are no reason to leave the one the visitor is on.
        return bool(url) and url_has_allowed_host_and_scheme(url, allowed_hosts=set())

    def get_from_email(self) -> str:
        return emails.sender()

    def render_mail(self, template_prefix, email, context, headers=None):
        # Built again by the one function of every network's email (core.emails): the
        # sender of the network's plan, and the platform's mark on a free plan only.
        rendered = super().render_mail(template_prefix, email, context, headers=headers)
        html = rendered.body if rendered.content_subtype == "html" else None
        for content, mimetype in getattr(rendered, "alternatives", []):
            if mimetype == "text/html":
                html = content
        message = emails.network_email(
            subject=rendered.subject,
            body="" if rendered.content_subtype == "html" else rendered.body,
            to=rendered.to,
            headers=rendered.extra_headers,
            html=html,
        )
        return message

    def format_email_subject(self, subject: str) -> str:
        return f"[{_brand_name()}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth builds its links (password reset, email confirmation, sign-up) from the
        # request's Host, which anyone can forge: put them on the network's primary domain.
        links = {
            name: network_url(value)
            for name, value in context.items()
            if name.endswith("_url") and isinstance(value, str)
        }
        site = _PrimarySite(urlsplit(network_url("/")).netloc, _brand_name())
        super().send_mail(template_prefix, email, {**context, **links, "current_site": site})

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth's "key" of the login_failed limit, here one account *from one address*:
        # failures cool off that pair only, so nobody behind a shared address (a hospital,
        # a care home) can lock the others out, nor anyone lock an account out everywhere.
        # The schema, not the Host (whose port anyone can vary), names the network; IPv6
        # addresses count by their /64, as allauth's own per-address limits do.
        login = credentials.get("email", credentials.get("username", "")).lower()
        return f"{connection.schema_name}:{login}:{get_ip(request)}"

    def post_login(self, request, user, **kwargs):
        # The password typed to sign in is as fresh as the one allauth would ask again to
        # add a second factor: staff go from the sign-in form straight on to TOTP. Only the
        # records of this sign-in count, and they expire as allauth's own would.
        recent = time.time() - account_settings.REAUTHENTICATION_TIMEOUT
        records = get_authentication_records(request, user)
        marked = False
        for record in records:
            if record.get("method") == "password" and record.get("at", 0) > recent:
                record["reauthenticated"] = True
                marked = True
        if marked:
            request.session.modified = True
        return super().post_login(request, user, **kwargs)

    def pre_authenticate(self, request, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            if error.code != "too_many_login_attempts":
                raise
            # A 429 (not the form again with a 200), on the network's own translated page.
            raise ImmediateHttpResponse(
                render(request, "429.html", {"action": "login"}, status=429)
            ) from error
