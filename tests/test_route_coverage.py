"""No route escapes the authorization matrices: every URL pattern of a network's site
(config/urls_tenant.py), of the platform's domain (config/urls_public.py) and of the API
(config/urls_api.py) is declared by a matrix's ``ROUTES`` (tests/test_matrix_*.py), or is a
third-party route listed here with the reason it needs no matrix of ours."""

import importlib
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

URLCONFS = ("config.urls_tenant", "config.urls_public", "config.urls_api")
TESTS = Path(__file__).parent

_ALLAUTH = "allauth: sign-in, sign-up, password and email pages, guarded by allauth itself"
_MFA = "allauth.mfa: the second factor's pages, for the signed-in account only"
_ADMIN = "Django admin on the platform's domain: operators only (staff and TOTP)"
THIRD_PARTY = {
    **{name: _ALLAUTH for name in (
        "account_change_password", "account_confirm_email", "account_confirm_login_code",
        "account_confirm_reauthentication_code", "account_email",
        "account_email_verification_sent", "account_inactive", "account_login",
        "account_logout", "account_reauthenticate", "account_request_reauthentication_code",
        "account_reset_password", "account_reset_password_done",
        "account_reset_password_from_key", "account_reset_password_from_key_done",
        "account_set_password", "account_signup",
    )},
    **{name: _MFA for name in (
        "mfa_activate_totp", "mfa_authenticate", "mfa_deactivate_totp",
        "mfa_download_recovery_codes", "mfa_generate_recovery_codes", "mfa_index",
        "mfa_reauthenticate", "mfa_view_recovery_codes",
    )},
    "set_language": "Django i18n: sets the language cookie, reads and writes no one's data",
    **{f"admin:{name}": _ADMIN for name in (
        "index", "login", "logout", "password_change", "password_change_done",
        "autocomplete", "jsi18n", "view_on_site", "app_list", "auth_user_password_change",
    )},
    **{f"admin:{model}_{view}": _ADMIN
       for model in (
           "tenants_organization", "tenants_tenant", "tenants_auditentry", "tenants_export",
           "auth_group", "accounts_user", "account_emailconfirmation",
           "account_emailaddress", "mfa_authenticator", "procrastinate_procrastinatejob",
       )
       for view in ("changelist", "add", "history", "delete", "change")},
    # Unnamed patterns of the admin, by pattern: its old change-URL redirect and its
    # catch-all 404.
    **{f"admin/{model}/<path:object_id>/": _ADMIN for model in (
        "tenants/organization", "tenants/tenant", "tenants/auditentry", "tenants/export",
        "auth/group", "accounts/user", "account/emailconfirmation", "account/emailaddress",
        "mfa/authenticator", "procrastinate/procrastinatejob",
    )},
    "admin/(?P<url>.*)$": _ADMIN,
}  # fmt: skip


def routes(urlconf: str) -> set[str]:
    """Every route of a URLconf: its namespaced name, or its full pattern when unnamed."""

    def walk(patterns, prefix: str, namespace: str | None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                if pattern.name is None:
                    yield prefix + str(pattern.pattern)
                else:
                    yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver(urlconf).url_patterns, "", None))


def matrix_routes() -> dict[str, set[str]]:
    """Each matrix module's declared routes, by module."""
    found = {}
    for path in sorted([*TESTS.glob("test_matrix*.py"), *TESTS.glob("*/test_matrix.py")]):
        module = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)
        routes_ = getattr(importlib.import_module(module), "ROUTES", None)
        if routes_:
            found[module] = set(routes_)
    # The platform's home is tried in the members' matrix by its own tests.
    found.setdefault("platform", set()).add("platform_home")
    return found


def uncovered(covered: set[str]) -> dict[str, set[str]]:
    return {
        urlconf: missing
        for urlconf in URLCONFS
        if (missing := routes(urlconf) - covered - set(THIRD_PARTY))
    }


def covered_routes() -> set[str]:
    return set().union(*matrix_routes().values())


def test_every_route_is_in_an_authorization_matrix():
    assert uncovered(covered_routes()) == {}


def test_removing_any_route_from_its_matrix_is_caught():
    covered = covered_routes()
    first_party = set().union(*(routes(urlconf) for urlconf in URLCONFS)) - set(THIRD_PARTY)
    assert first_party <= covered
    for route in sorted(first_party):
        missing = uncovered(covered - {route})
        assert route in set().union(*missing.values()), route


def test_matrices_declare_only_routes_that_exist():
    every = set().union(*(routes(urlconf) for urlconf in URLCONFS))
    assert covered_routes() - every == set()


def test_third_party_routes_still_exist():
    """A third-party route that is gone leaves its entry behind: remove it, so the list
    stays the list of what is really served."""
    every = set().union(*(routes(urlconf) for urlconf in URLCONFS))
    assert set(THIRD_PARTY) - every == set()
