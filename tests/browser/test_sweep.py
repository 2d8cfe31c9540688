"""Every page of the site in a real browser, at 1280 px and 390 px: it opens (200, where it
was asked for), logs no console error, does not scroll sideways and has no serious or
critical axe-core violation.

The pages are the routes of the route-coverage list (tests/test_route_coverage.py): each
matrix's GET routes (tests/test_matrix_*.py ``ROUTES``), opened with the world's real objects
(tests/fixtures.py ``build_world``) as a role the matrix lets in; the forms some POST routes
also show on GET; allauth's and the second factor's pages; the platform's home and the Django
admin, as an operator with a second factor. What is not opened is in ``SKIPPED`` with its
reason, and ``test_every_route_is_swept_or_skipped_with_a_reason`` makes a new route join one
or the other.

One browser, one context per role, each signed in once through the real sign-in form. A
page is loaded once and checked at both widths (the viewport is resized in between). Every
problem is collected before the test fails, so one failure hides nothing; the summary is
printed, and written to ``$SWEEP_REPORT`` when that is set.
"""

import contextlib
import importlib
import inspect
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django_tenants.utils import schema_context, tenant_context
from procrastinate.contrib.django.models import ProcrastinateJob

from shared_apps.accounts.services import operator_create
from tenant_apps.forums import services as forums
from tenants.models import AuditEntry, Export
from tests import matrix
from tests.browser.checks import WIDTHS, ConsoleErrors, axe_path, page_problems, with_axe
from tests.browser.conftest import totp_code
from tests.fixtures import build_role_accounts, build_world
from tests.test_route_coverage import THIRD_PARTY, URLCONFS, routes

pytestmark = pytest.mark.browser

TESTS = Path(__file__).resolve().parents[1]


def matrix_modules() -> list[str]:
    """The matrix modules, found as tests/test_route_coverage.py finds them."""
    paths = sorted([*TESTS.glob("test_matrix*.py"), *TESTS.glob("*/test_matrix.py")])
    return [".".join(path.relative_to(TESTS.parent).with_suffix("").parts) for path in paths]


# Who opens a page among those a matrix lets in: a plain member when it can (what most
# people see), else the narrowest role that can.
PREFERENCE = ("member", "caregiver", "group_member", "moderator", "admin", "anonymous")
PASSWORD = "un-long-secret-42"  # tests/members/factories.py
LONG_LINK = (
    "Le guide : https://www.e-cancer.fr/Patients-et-proches/Les-cancers/Cancer-du-poumon/"
    "Se-faire-soigner/Traitements-medicamenteux/Immunotherapie-specifique-effets-indesirables"
)
OPERATOR = {"username": "operateur", "email": "ops@example.org", "password": "x-long-secret-1"}

_API = "API: JSON for programs, not a page"
_POST = "POST only: a button's action, answers 405 to GET"
_FILE = "a file download, not a page"
_REDIRECT = "a redirect by design"
SKIPPED: dict[str, str] = {
    # Files
    "media": _FILE + " (the network's branding)",
    "member_avatar": _FILE + " (an avatar)",
    "mfa_download_recovery_codes": _FILE + " (the recovery codes as text)",
    "events:cover": _FILE + " (an event's cover picture)",
    "social:experience_image": _FILE + " (an experience's picture)",
    "events:ics": _FILE + " (an event for a calendar app, .ics)",
    "event_feeds:public": _FILE + " (the network's calendar feed, .ics)",
    "event_feeds:private": _FILE + " (a member's calendar feed, .ics)",
    "directory:agenda_ics": _FILE + " (the directory's calendar feed, .ics)",
    "directory:export": _FILE + " (a CSV export of a directory list)",
    "insights:release_csv": _FILE + " (a statistics release's figures, CSV)",
    "insights_shared:csv": _FILE + " (a shared statistics release's figures, CSV)",
    "rcp:ics": _FILE + " (an RCP meeting's invitation for a calendar app, .ics)",
    "brand_icon": _FILE + " (the network's icon)",
    "favicon": _FILE + " (the network's icon)",
    "apple_touch_icon": _FILE + " (the network's icon)",
    "brand_stylesheet": _FILE + " (the network's palette, a stylesheet every page loads)",
    "csp_report": _POST + " (where browsers report CSP violations)",
    # Redirects by design
    "notifications:open": _REDIRECT + ": marks the notification read, goes to what it is about",
    "notifications:unread_badge": "a fragment that htmx puts into the header, not a page",
    "events:questions": _REDIRECT + ": to the event's page, where the questions are shown",
    "account_continue": _REDIRECT + ": sends a member on to the next step of their account",
    "set_language": _REDIRECT + ": sets the language cookie and goes back (POST)",
    "account_set_password": _REDIRECT + ": every account has a password, so it goes to change it",
    "account_confirm_login_code": _REDIRECT + ": sign-in by emailed code is off",
    "account_request_reauthentication_code": _REDIRECT + ": reauthentication by code is off",
    "account_confirm_reauthentication_code": _REDIRECT + ": reauthentication by code is off",
    "admin:login": _REDIRECT + ": the admin's login hands over to allauth's sign-in",
    "admin:logout": _POST,
    "admin:view_on_site": _REDIRECT + ": to the object's own page",
    "admin:autocomplete": _API + " (the admin's autocomplete)",
    "admin:jsi18n": "JavaScript: the admin's translation catalogue",
    "admin/(?P<url>.*)$": "the admin's catch-all 404",
    **{f"admin/{model}/<path:object_id>/": _REDIRECT + ": the admin's old change URL"
       for model in (
           "tenants/organization", "tenants/tenant", "tenants/auditentry", "tenants/export",
           "auth/group", "accounts/user", "account/emailconfirmation",
           "account/emailaddress", "mfa/authenticator", "procrastinate/procrastinatejob",
       )},
    # POST-only routes of the matrices
    **{name: _POST for name in (
        "forums:follow", "forums:group_decide", "forums:group_join", "forums:group_moderator",
        "forums:group_request", "forums:react",
        "knowledge:question_answer", "knowledge:restore", "knowledge:team_revoke",
        "knowledge:theme_webinar", "knowledge:workflow",
        "gdpr_consent_give", "gdpr_consent_withdraw",
        "members_admin:branding", "members_admin:charter_publish",
        "members_admin:member_reinstate", "members_admin:member_role",
        "members_admin:member_suspend", "members_admin:pathology_add",
        "members_admin:pathology_delete", "members_admin:pathology_rename",
        "members_admin:profile_type_request_decide", "members_admin:retention",
        "members_admin:space_add", "members_admin:space_edit",
        "members_admin:domain_verify", "members_admin:domain_primary",
        "members_admin:domain_remove",
        "moderation:duty_add", "moderation:duty_remove", "moderation:duty_toggle",
        "moderation:post_action", "moderation:premoderation", "moderation:term_add",
        "moderation:term_remove", "moderation:topic_action", "moderation:warning_add",
        "moderation:warning_remove", "moderation:word_add", "moderation:word_remove",
        "notifications:read_all", "notifications:read",
        "forums:topic_read", "events:register", "events:unregister", "events:organizer_revoke",
        "events:cancel", "events:question_ask", "events:question_vote",
        "events:question_moderate", "events:challenge_leaderboard", "events:theme_webinar",
        "messaging:hide", "messaging:block", "moderation:message_action",
        "social:experience_react", "moderation:experience_action", "moderation:comment_action",
        "relations:follow", "relations:block", "relations:follower_remove", "relations:unblock",
        "directory_contrib:confirm", "directory_contrib:resource_publish",
        "insights:release_publish", "insights:release_delete", "insights:release_share",
        "insights:release_directory",
        "billing_admin:checkout", "billing_admin:portal", "stripe_webhook",
    )},
    # Professionals' verification (tenant_apps.pro.verification): buttons of the verification
    # page and of the admins' queue, which the sweep opens; the document is a file.
    **{f"pro:{name}": _POST for name in ("real_name", "verification_decide",
                                        "verification_withdraw")},
    "pro:verification_document": _FILE + " (a verification request's supporting document)",
    "members_admin:audience": _POST,
    # "My account" → "API access": the page's two buttons (tenant_apps.members.views_tokens).
    "api_token_create": _POST,
    "api_token_revoke": _POST,
    # RCP meetings' actions (tenant_apps.pro.rcp): forms of the meeting's page, which the
    # sweep opens.
    **{f"rcp:{name}": _POST for name in ("attendance", "presence", "case_add", "decision",
                                         "meeting_invite")},
    # Cancelling a meeting: a form of its change page (rcp:meeting_edit), which the sweep opens.
    "rcp:meeting_cancel": _POST,
    # Working groups' and guidelines' actions (tenant_apps.pro.guidelines): forms of the group's
    # and the guideline's pages, which the sweep opens; the PDF is a file.
    **{f"guidelines:{name}": _POST for name in (
        "member_name", "member_remove", "validate", "validity",
    )},
    "guidelines:pdf": _FILE + " (a guideline's version as PDF)",
    # The operators' console's actions (shared_apps.console): each a button of the network's
    # page, which the sweep opens.
    **{f"console:{name}": _POST for name in (
        "suspend", "resume", "export", "delete", "grace", "plan",
    )},
    # Sign-up's actions, fragments and links (shared_apps.signup).
    **{name: _POST for name in ("signup:retry", "signup:pay")},
    "signup:subdomain_check": "a fragment that htmx puts into the sign-up form, not a page",
    "signup:progress_status": "a fragment that htmx puts into the progress page, not a page",
    "signup:handover": _REDIRECT + ": the one-time link, on to the new network's invitation",
    "signup:payment_return": _REDIRECT + ": back from Stripe Checkout, to the progress page",
    # The admin refuses these by design (403): networks are created and deleted by
    # provisioning's commands, audit entries and exports are written by it, jobs by the queue.
    **{f"admin:{name}": "403 by design: " + why for name, why in (
        ("tenants_tenant_add", "a network is created by provisioning"),
        ("tenants_tenant_delete", "a network is deleted by provisioning"),
        ("tenants_auditentry_add", "the platform's audit log is written by the code"),
        ("tenants_auditentry_delete", "the platform's audit log is kept"),
        ("tenants_export_add", "an export is made by provisioning"),
        ("procrastinate_procrastinatejob_add", "jobs are deferred by the code"),
        ("procrastinate_procrastinatejob_delete", "jobs are not deleted by hand"),
    )},
}  # fmt: skip
# Every API route of the matrices (``api(...)`` routes): JSON, not pages.
SKIPPED.update(
    {
        name: _API
        for module in matrix_modules()
        for name, route in getattr(importlib.import_module(module), "ROUTES", {}).items()
        if route.is_api and name not in SKIPPED
    }
)

# POST routes of the matrices that show their form on GET (role: None picks as above).
FORMS: dict[str, str | None] = {
    "forums:group_propose": None,
    "forums:post_edit": None,
    "forums:reply": None,
    "forums:topic_new": None,
    "knowledge:question_ask": None,
    "members_admin:invite": None,
    "moderation:member_suspend": None,
    "moderation:member_warn": None,
    "moderation:post_edit": None,
    "moderation:report": None,
    "moderation:topic_move": None,
    "notifications:preferences": None,
    "profile_edit": None,
    "events:create": None,
    "events:replay": None,
    "events:challenge_log": None,
    "events:challenge_team": None,
    "events:challenge_rules": None,
    "relations:matching": None,
    "social:experience_new": None,
    "social:experience_delete": None,
    "social:comment_create": None,
    "social:comment_delete": None,
    "moderation:report_experience": None,
    "moderation:report_comment": None,
    "care:provider_new": None,
    "care:provider_edit": None,
    "care:pathway_new": None,
    "care:pathway_edit": None,
    "local_groups:new": None,
    "notifications:unsubscribe": "anonymous",  # the email's link, opened signed out
    # The directory's forms, on the platform's domain.
    "directory_contrib:propose_kind": "anonymous",
    "directory_contrib:claim_request": "anonymous",
    "directory_contrib:claim": "anonymous",  # the emailed link, signed out: sign in first
    "directory_contrib:manage": "manager",
    "directory_contrib:review": "operator",
    "directory_contrib:resource_new": "operator",
    "directory_contrib:resource_edit": "operator",
    # Sign-up's forms, on the platform's domain, as a representative.
    "signup:create": "representative",
    "signup:network_add": "representative",
}


@dataclass(frozen=True)
class Visit:
    route: str
    role: str  # a role of tests.fixtures.ROLES, or "operator" (the platform's domain)
    path: Callable[[Any], str]
    # Where the page is, when a visit is sent on by design (a password-reset key is moved
    # into the session): a callable of the world, like ``path``.
    lands: Callable[[Any], str] | None = None
    platform: bool = False  # on the platform's domain, not the network's
    # A skipped route's GET, asked without rendering it, to show that its reason holds:
    # 405 for "POST only", a redirect for "a redirect by design".
    probe: bool = False


def _pick(allowed) -> str:
    return next((role for role in PREFERENCE if role in allowed), None) or sorted(allowed)[0]


def matrix_visits() -> list[Visit]:
    """The matrices' pages: their GET routes that answer 200, and the forms of ``FORMS``."""
    visits, seen = [], set()
    for module in matrix_modules():
        imported = importlib.import_module(module)
        # A matrix of the platform's domain (the directory) says so: ``PLATFORM = True``.
        platform = getattr(imported, "PLATFORM", False)
        for name, route in getattr(imported, "ROUTES", {}).items():
            if name in SKIPPED or name in seen:
                continue
            seen.add(name)
            if name in FORMS:
                role = FORMS[name] or _pick(route.allowed)
            elif route.method == "get" and route.status == 200:
                role = _pick(route.allowed)
            else:
                continue
            visits.append(Visit(name, role, route.path, platform=platform))
            # A public page is seen signed out too (the network's home, its charter, an
            # invitation, the legal notice), and may look different then.
            if route.public and role != "anonymous" and "anonymous" in route.allowed:
                visits.append(Visit(name, "anonymous", route.path, platform=platform))
    return visits


def _operator(route: str, path: Callable[[Any], str]) -> Visit:
    return Visit(route, "operator", path, platform=True)


def _admin_visits() -> list[Visit]:
    """Every page of the Django admin, with the objects ``_admin_objects`` makes."""
    visits = [
        _operator("admin:index", lambda w: "/admin/"),
        _operator("admin:app_list", lambda w: "/admin/tenants/"),
        _operator("admin:password_change", lambda w: "/admin/password_change/"),
        _operator("admin:password_change_done", lambda w: "/admin/password_change/done/"),
        _operator(
            "admin:auth_user_password_change",
            lambda w: f"/admin/accounts/user/{w.admin_objects['accounts_user']}/password/",
        ),
    ]
    for model in ADMIN_MODELS:
        app, name = model.split("_", 1)
        base = f"/admin/{app}/{name}/"
        visits += [
            _operator(f"admin:{model}_changelist", lambda w, b=base: b),
            _operator(f"admin:{model}_add", lambda w, b=base: f"{b}add/"),
        ]
        for view, tail in (("change", "change/"), ("history", "history/"), ("delete", "delete/")):
            visits.append(
                _operator(
                    f"admin:{model}_{view}",
                    lambda w, b=base, m=model, t=tail: f"{b}{w.admin_objects[m]}/{t}",
                )
            )
    return [visit for visit in visits if visit.route not in SKIPPED]


ADMIN_MODELS = (
    "tenants_organization", "tenants_tenant", "tenants_auditentry", "tenants_export",
    "auth_group", "accounts_user", "account_emailconfirmation", "account_emailaddress",
    "mfa_authenticator", "procrastinate_procrastinatejob",
)  # fmt: skip

# allauth's and the second factor's pages on the network, and the platform's home.
OTHER_VISITS = [
    Visit("platform_home", "anonymous", lambda w: "/", platform=True),
    # The platform's sign-in page, where operators start.
    Visit("account_login", "anonymous", lambda w: "/comptes/login/", platform=True),
    Visit("account_login", "anonymous", lambda w: "/comptes/login/"),
    Visit("account_signup", "anonymous", lambda w: "/comptes/signup/"),
    Visit("account_reset_password", "anonymous", lambda w: "/comptes/password/reset/"),
    Visit("account_reset_password_done", "anonymous", lambda w: "/comptes/password/reset/done/"),
    Visit(
        "account_reset_password_from_key",
        "anonymous",
        lambda w: f"/comptes/password/reset/key/{w.reset_key}/",
        lands=lambda w: f"/comptes/password/reset/key/{w.reset_key.split('-')[0]}-set-password/",
    ),
    Visit(
        "account_reset_password_from_key_done",
        "anonymous",
        lambda w: "/comptes/password/reset/key/done/",
    ),
    Visit("account_email_verification_sent", "anonymous", lambda w: "/comptes/confirm-email/"),
    Visit("account_confirm_email", "anonymous", lambda w: f"/comptes/confirm-email/{w.email_key}/"),
    Visit("account_inactive", "anonymous", lambda w: "/comptes/inactive/"),
    Visit("account_logout", "member", lambda w: "/comptes/logout/"),
    Visit("account_email", "member", lambda w: "/comptes/email/"),
    Visit("account_change_password", "member", lambda w: "/comptes/password/change/"),
    Visit("account_reauthenticate", "member", lambda w: "/comptes/reauthenticate/"),
    Visit("mfa_activate_totp", "member", lambda w: "/comptes/2fa/totp/activate/"),
    Visit("mfa_index", "admin", lambda w: "/comptes/2fa/"),
    Visit("mfa_deactivate_totp", "admin", lambda w: "/comptes/2fa/totp/deactivate/"),
    Visit("mfa_view_recovery_codes", "admin", lambda w: "/comptes/2fa/recovery-codes/"),
    Visit(
        "mfa_generate_recovery_codes", "admin", lambda w: "/comptes/2fa/recovery-codes/generate/"
    ),
    Visit("mfa_reauthenticate", "admin", lambda w: "/comptes/2fa/reauthenticate/"),
]
# Checked on the way, while a staff member signs in: the second factor's code page.
SIGN_IN_PAGES = {"mfa_authenticate"}


def all_visits() -> list[Visit]:
    return matrix_visits() + OTHER_VISITS + _admin_visits()


def skip_probes() -> list[Visit]:
    """A GET of each matrix route skipped as POST only or as a redirect, as a role that may
    use it."""
    probes, seen = [], set()
    for module in matrix_modules():
        imported = importlib.import_module(module)
        platform = getattr(imported, "PLATFORM", False)
        for name, route in getattr(imported, "ROUTES", {}).items():
            reason = SKIPPED.get(name, "")
            if name in seen or not (reason == _POST or reason.startswith(_REDIRECT)):
                continue
            seen.add(name)
            probes.append(
                Visit(name, _pick(route.allowed), route.path, platform=platform, probe=True)
            )
    return probes


def every_route() -> set[str]:
    return set().union(*(routes(urlconf) for urlconf in URLCONFS))


def test_every_route_is_swept_or_skipped_with_a_reason():
    visited = {visit.route for visit in all_visits()} | SIGN_IN_PAGES
    assert visited.isdisjoint(SKIPPED), visited & set(SKIPPED)
    assert every_route() - visited - set(SKIPPED) == set()
    # Nothing listed that is not a route (a renamed route leaves its entry behind).
    assert (visited | set(SKIPPED) | set(FORMS)) - every_route() == set()
    assert all(reason.strip() for reason in SKIPPED.values())
    # The route-coverage list stays the reference: no route of it escapes.
    assert set(THIRD_PARTY) <= visited | set(SKIPPED)


def test_the_checks_catch_a_wide_page_an_axe_violation_and_a_console_error(page):
    """The sweep's checks can fail: a page too wide for a phone, with an unlabelled field
    and a script error, fails all three."""
    errors = ConsoleErrors()
    errors.listen(page)
    page.set_viewport_size({"width": 390, "height": WIDTHS[390]})
    page.set_content(
        '<!doctype html><html lang="fr"><head><title>Essai</title></head><body><main>'
        '<h1>Essai</h1><div class="wide" style="width: 600px">Trop large</div>'
        '<input type="text" name="nom"><script>missing();</script></main></body></html>'
    )
    problems = page_problems(page)
    assert any(p.startswith("horizontal scroll: ") and "div.wide" in p for p in problems), problems
    assert any(p.startswith("axe critical label ") and p.endswith(": input") for p in problems), (
        problems
    )
    assert any("missing is not defined" in error for error in errors.take())
    # Narrow enough and labelled: nothing to report.
    page.set_content(
        '<!doctype html><html lang="fr"><head><title>Essai</title></head><body><main>'
        '<h1>Essai</h1><label for="nom">Nom</label><input id="nom" type="text"></main>'
        "</body></html>"
    )
    assert page_problems(page) == []
    assert errors.take() == []


def _admin_objects(creation) -> dict[str, int]:
    """The operator, and one object of each model of the admin, in the public schema."""
    with schema_context("public"):
        operator = operator_create(**OPERATOR)
        secret = generate_totp_secret()
        TOTP.activate(operator, secret)
        address = EmailAddress.objects.create(user=operator, email="ops2@example.org")
        export = Export.objects.create(
            tenant=creation.tenant, path="/exports/alpha.tar.gz", size_bytes=2048
        )
        return {
            "secret": secret,
            "tenants_organization": creation.tenant.organization_id,
            "tenants_tenant": creation.tenant.pk,
            "tenants_auditentry": AuditEntry.objects.filter(tenant_slug="alpha").first().pk,
            "tenants_export": export.pk,
            "auth_group": Group.objects.create(name="Astreinte").pk,
            "accounts_user": operator.pk,
            "account_emailconfirmation": EmailConfirmation.create(address).pk,
            "account_emailaddress": address.pk,
            "mfa_authenticator": Authenticator.objects.get(user=operator).pk,
            "procrastinate_procrastinatejob": ProcrastinateJob.objects.order_by("-id")[0].pk,
        }


def _build(site):
    """Network alpha with the matrices' world, and what allauth's and the admin's pages
    take; committed (the live server reads it)."""
    creation = site.create("alpha")
    # The console's actions act on beta (tests/test_matrix_console.py): the sweep checks
    # that they refuse a GET, which needs the network to exist.
    site.create("beta")
    world_tenant = creation.tenant
    with tenant_context(world_tenant):
        world = build_world(build_role_accounts())
        _matrix_worlds(world, world_tenant)
        tina = world.tina.user
        world.reset_key = f"{user_pk_to_url_str(tina)}-{default_token_generator.make_token(tina)}"
        # Pia adds a second address, whose confirmation link she has not opened yet.
        pending = EmailAddress.objects.create(user=world.pia.user, email="pia.bis@example.org")
        world.email_key = EmailConfirmation.create(pending).key
        RecoveryCodes.activate(world.accounts["admin"])
        # What members really paste: a long address without a space, which must wrap on a
        # phone (the topic page the sweep opens is the group's).
        forums.post_create(
            author=world.group_member_member, topic=world.group_topic, body=LONG_LINK
        )
    world.admin_objects = _admin_objects(creation)
    world.tenant = world_tenant
    return world


class _Networks:
    """What a matrix's world fixture asks of ``session_networks``: alpha, the sweep's."""

    def __init__(self, tenant):
        self.tenant = tenant

    def get(self, slug: str):
        assert slug == "alpha", slug
        return self.tenant


class _Blocker:
    """``django_db_blocker``: the sweep's test has the database already."""

    def unblock(self):
        return contextlib.nullcontext()


def _matrix_worlds(world, tenant) -> None:
    """Each matrix's own additions to the shared world (its ``world`` fixture and the
    fixtures that one takes, like the events' ``events_world``), run on the sweep's world,
    so that every route's path finds its objects."""
    given = {
        "shared_world": world,
        "tenant": tenant,
        "session_networks": _Networks(tenant),
        "django_db_blocker": _Blocker(),
        "db": None,  # pytest-django's marker fixture: the sweep's test has the database
    }
    for name in matrix_modules():
        module = importlib.import_module(name)
        own = getattr(module, "world", None)
        if own is None or own is matrix.world or not hasattr(own, "__wrapped__"):
            continue
        # A matrix of JSON routes only (the directory's API) opens no page: its world,
        # built for its own clients, is not the sweep's to build.
        if all(route.is_api for route in getattr(module, "ROUTES", {}).values()):
            continue
        _call_fixture(module, own, dict(given))


def _call_fixture(module, fixture, values: dict):
    function = fixture.__wrapped__
    arguments = {}
    for parameter in inspect.signature(function).parameters:
        if parameter not in values:
            values[parameter] = _call_fixture(module, getattr(module, parameter), values)
        arguments[parameter] = values[parameter]
    if inspect.isgeneratorfunction(function):
        return next(function(**arguments))  # a yield fixture: what it yields
    return function(**arguments)


def _secret(user) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return get_adapter().decrypt(authenticator.data["secret"])


# A GET that does not follow redirects: its status, or "redirect".
PROBE = """async (url) => {
  const response = await fetch(url, {redirect: "manual", credentials: "same-origin"});
  return response.type === "opaqueredirect" ? "redirect" : response.status;
}"""


class Sweep:
    def __init__(self, site, browser, world):
        self.site, self.browser, self.world = site, browser, world
        self.problems: list[str] = []
        self.pages = 0
        self.routes: set[str] = set()
        self.probes = 0
        self.timings = {"load": 0.0, "checks": 0.0, "sign-in": 0.0}

    def url(self, visit_platform: bool, path: str) -> str:
        if visit_platform:
            return f"http://localhost:{self.site.port}{path}"
        return self.site.url("alpha", path)

    def context(self, role: str):
        context = self.browser.new_context(
            locale="fr-FR", viewport={"width": 1280, "height": WIDTHS[1280]}
        )
        with_axe(context)
        context.set_default_timeout(10_000)
        context.set_default_navigation_timeout(15_000)
        page = context.new_page()
        errors = ConsoleErrors()
        errors.listen(page)
        if role != "anonymous":
            started = time.monotonic()
            self.sign_in(page, errors, role)
            self.timings["sign-in"] += time.monotonic() - started
        return context, page, errors

    def sign_in(self, page, errors, role: str) -> None:
        if role == "operator":
            email, password = OPERATOR["email"], OPERATOR["password"]
            secret = self.world.admin_objects["secret"]
            platform = True
        elif role in getattr(self.world, "platform_logins", {}):
            # A platform account a matrix of the platform's domain made (a listing's manager).
            (email, password), secret = self.world.platform_logins[role], None
            # A representative of sign-up's matrix has an authenticator app.
            secret = getattr(self.world, "platform_secrets", {}).get(role)
            platform = True
        else:
            with tenant_context(self.world.tenant):
                user = self.world.accounts.get(role) or self.world.people[role].user
                email, password = user.email, PASSWORD
                secret = _secret(user) if role in ("moderator", "admin") else None
            platform = False
        page.goto(self.url(platform, "/comptes/login/"))
        page.locator("#id_login").fill(email)
        page.locator("#id_password").fill(password)
        page.locator("#id_password").press("Enter")
        page.wait_for_load_state()
        if secret:
            page.wait_for_url("**/comptes/2fa/authenticate/")
            if role == "admin":  # the code's page, checked once
                self.check("mfa_authenticate", role, page, errors, expected_path=None)
            page.locator("#id_code").fill(totp_code(secret))
            page.locator("#id_code").press("Enter")
            page.wait_for_load_state()
        path = urlsplit(page.url).path
        if path.startswith("/comptes/"):
            self.problems.append(f"sign-in | {role} | - | {page.url} | still on {path}")
        errors.take()  # the sign-in's own pages are swept as visits

    def visit(self, visit: Visit, page, errors) -> None:
        url = self.url(visit.platform, visit.path(self.world))
        if visit.probe:
            self.probe(visit, page, url)
            return
        started = time.monotonic()
        try:
            response = page.goto(url)
        except Exception as error:  # a timeout: say so and go on with the next page
            self.problems.append(f"{visit.route} | {visit.role} | - | {url} | {error}")
            return
        self.timings["load"] += time.monotonic() - started
        expected = (visit.lands or visit.path)(self.world)
        status = response.status if response else None
        if status != 200:
            self.problems.append(f"{visit.route} | {visit.role} | - | {url} | status {status}")
            errors.take()
            return
        # Every page is checked under the Content-Security-Policy: a refused inline script or
        # style is a console error (tests/browser/test_csp.py).
        if "script-src 'self'" not in response.headers.get("content-security-policy", ""):
            self.problems.append(f"{visit.route} | {visit.role} | - | {url} | no CSP header")
        kind = response.headers.get("content-type", "")
        if not kind.startswith("text/html"):
            self.problems.append(
                f"{visit.route} | {visit.role} | - | {url} | answers {kind}, not a page: "
                "list it in SKIPPED with its reason"
            )
            return
        self.check(visit.route, visit.role, page, errors, expected_path=expected)

    def probe(self, visit: Visit, page, url: str) -> None:
        # From the page, with its cookies (Playwright's own request client resolves names
        # without Chromium's, and *.localhost is Chromium's).
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
        if not page.url.startswith(origin):
            page.goto(origin + "/")
        status = page.evaluate(PROBE, url)
        if SKIPPED[visit.route] == _POST:
            if status != 405:
                self.problems.append(
                    f"{visit.route} | {visit.role} | - | {url} | skipped as POST only, but GET "
                    f"answers {status}: sweep its page (FORMS) or correct SKIPPED"
                )
        elif status != "redirect":
            self.problems.append(
                f"{visit.route} | {visit.role} | - | {url} | skipped as a redirect, but GET "
                f"answers {status}: sweep its page or correct SKIPPED"
            )
        self.probes += 1

    def check(self, route, role, page, errors, expected_path) -> None:
        url = page.url
        if expected_path is not None:
            split = urlsplit(url)
            landed = split.path + (f"?{split.query}" if split.query else "")
            if landed != expected_path:
                self.problems.append(f"{route} | {role} | - | {url} | sent on to {landed}")
        self.pages += 1
        self.routes.add(route)
        started = time.monotonic()
        # The width the page was loaded at first, then the other: one resize per page.
        current = page.viewport_size["width"]
        for width in sorted(WIDTHS, key=lambda width: width != current):
            if width != current:
                page.set_viewport_size({"width": width, "height": WIDTHS[width]})
            for problem in page_problems(page):
                self.problems.append(f"{route} | {role} | {width} | {url} | {problem}")
        self.timings["checks"] += time.monotonic() - started
        for error in errors.take():
            self.problems.append(f"{route} | {role} | - | {url} | {error}")

    def run(self, visits: list[Visit]) -> None:
        by_role: dict[str, list[Visit]] = {}
        for visit in visits:
            by_role.setdefault(visit.role, []).append(visit)
        for role, role_visits in by_role.items():
            context, page, errors = self.context(role)
            try:
                for visit in role_visits:
                    self.visit(visit, page, errors)
            finally:
                context.close()


def test_every_page_opens_fits_at_both_widths_and_passes_axe(site, browser, capsys):
    axe_path()  # fails at once, with what to run, when axe-core is not installed
    started = time.monotonic()
    world = _build(site)
    built = time.monotonic()
    visits = all_visits() + skip_probes()
    sweep = Sweep(site, browser, world)
    sweep.run(visits)
    summary = (
        f"Sweep: {sweep.pages} pages ({len(sweep.routes)} routes) at {len(WIDTHS)} widths "
        f"({', '.join(f'{w} px' for w in WIDTHS)}), {len(SKIPPED)} routes skipped with a "
        f"reason ({sweep.probes} of them checked to refuse GET or redirect); world built in "
        f"{built - started:.1f} s, pages checked in {time.monotonic() - built:.1f} s ("
        + ", ".join(f"{name} {spent:.1f} s" for name, spent in sweep.timings.items())
        + f"); {len(sweep.problems)} problem(s)."
    )
    report = "\n".join([summary, *sweep.problems]) + "\n"
    if os.environ.get("SWEEP_REPORT"):
        Path(os.environ["SWEEP_REPORT"]).write_text(report)
    with capsys.disabled():
        print("\n" + summary)
    assert not sweep.problems, report
