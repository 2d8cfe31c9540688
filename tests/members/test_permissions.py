"""One permission check: named permissions granted by roles and by designations, the second
factor rule written once, computed once per member object and only when asked."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenant_apps.knowledge import services as knowledge
from tenant_apps.knowledge.models import EditorialRole
from tenant_apps.members.models import Role
from tenant_apps.members.permissions import (
    MEMBER_PERMISSIONS,
    has_permission,
    second_factor_missing,
)
from tests.fixtures import totp_code
from tests.members.factories import PASSWORD, account


def _without_second_factor(user):
    Authenticator.objects.filter(user=user).delete()
    user.member.__dict__.pop("_has_totp", None)
    return user


@pytest.fixture
def admin(tenant):
    return account("Alice", Role.ADMIN).member


def test_a_member_holds_only_the_members_permissions(tenant):
    bob = account("Bob").member
    assert has_permission(bob, "forums.topic:create")
    assert not has_permission(bob, "forums.topic:moderate")
    assert not has_permission(bob, "knowledge.article:write")
    assert not has_permission(None, "forums.topic:create")


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
def test_a_staff_role_gives_nothing_beyond_a_members_rights_until_totp(tenant, role):
    user = _without_second_factor(account("Mona", role))
    member = user.member
    assert has_permission(member, "forums.topic:create")
    assert not has_permission(member, "forums.topic:moderate")
    assert second_factor_missing(member)

    TOTP.activate(user, generate_totp_secret())
    member.__dict__.pop("_has_totp")
    assert has_permission(member, "forums.topic:moderate")
    assert not second_factor_missing(member)


@pytest.mark.parametrize(
    ("kind", "granted", "refused"),
    [
        (EditorialRole.Kind.EDITOR, "knowledge.article:write", "knowledge.article:review"),
        (EditorialRole.Kind.REVIEWER, "knowledge.article:review", "knowledge.article:write"),
    ],
)
def test_a_designation_grants_named_permissions_once_totp_is_set_up(
    tenant, admin, kind, granted, refused
):
    user = account("Rita")
    member = user.member
    knowledge.editorial_role_grant(member=member, kind=kind, actor=admin)
    assert not has_permission(member, granted)  # no second factor yet
    assert second_factor_missing(member)

    TOTP.activate(user, generate_totp_secret())
    member.__dict__.pop("_has_totp")
    assert has_permission(member, granted)
    assert has_permission(member, "knowledge.article:read_unpublished")
    assert not has_permission(member, refused)
    assert not has_permission(member, "forums.topic:moderate")  # a designation, not a role

    knowledge.editorial_role_revoke(member=member, kind=kind, actor=admin)
    assert not has_permission(member, granted)


def test_rights_are_looked_up_once_per_member_and_only_when_asked(tenant, admin):
    user = account("Eddy")
    knowledge.editorial_role_grant(member=user.member, kind="editor", actor=admin)
    TOTP.activate(user, generate_totp_secret())
    member = type(user.member).objects.get(pk=user.member.pk)
    with CaptureQueriesContext(connection) as members_rights:
        for permission in MEMBER_PERMISSIONS:
            assert has_permission(member, permission)
        assert not has_permission(member, "forums.topic:moderate")  # no designation grants it
    assert len(members_rights) == 0
    with CaptureQueriesContext(connection) as first:
        assert has_permission(member, "knowledge.article:write")
    with CaptureQueriesContext(connection) as again:
        assert has_permission(member, "knowledge.question:answer")
        assert not has_permission(member, "knowledge.article:review")
    assert len(first) == 2  # the designations, the second factor
    assert len(again) == 0


def test_a_plain_members_page_asks_no_designation(tenant, client_for):
    client = client_for(tenant)
    client.force_login(account("Bob"))
    with CaptureQueriesContext(connection) as page:
        assert client.get(reverse("notifications:list")).status_code == 200
    assert not [q for q in page.captured_queries if "knowledge_editorialrole" in q["sql"]]


def test_a_view_leads_a_designated_member_without_totp_to_the_setup(tenant, admin, client_for):
    user = account("Eddy")
    knowledge.editorial_role_grant(member=user.member, kind="editor", actor=admin)
    client = client_for(tenant)
    client.force_login(user)
    response = client.get(reverse("knowledge:create"))
    assert (response.status_code, response["Location"]) == (302, reverse("mfa_activate_totp"))
    # Without a designation, the same page is simply not there.
    client.force_login(account("Bob"))
    assert client.get(reverse("knowledge:create")).status_code == 404


def test_the_api_refuses_a_designated_member_without_totp(tenant, admin, client_for):
    user = account("Eddy")
    knowledge.editorial_role_grant(member=user.member, kind="editor", actor=admin)
    client = client_for(tenant)
    client.force_login(user)
    response = client.post(
        "/api/knowledge/articles/", {"title": "x"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_the_icons_a_browser_fetches_leave_the_second_factor_setup_alone(tenant, client_for):
    user = _without_second_factor(account("Alice", Role.ADMIN))
    client = client_for(tenant)
    signed_in = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    # The password was typed just now: allauth does not ask for it again (tests/members/
    # test_account.py).
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200, setup
    secret = setup.context["form"].secret
    # A browser asks for these by itself after every page: sent on to the setup page, each
    # request there would replace the secret the admin is scanning.
    # (The network's icon, tenants.views.brand_icon, answers the first two.)
    for icon, status in (
        ("/favicon.ico", 200),
        ("/apple-touch-icon.png", 200),
        ("/apple-touch-icon-precomposed.png", 404),
    ):
        assert client.get(icon).status_code == status, icon
    code = totp_code(secret)
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("mfa_view_recovery_codes"),
    )
