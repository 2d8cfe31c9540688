"""The platform's own pages on its domain: home and operators' admin."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django_tenants.utils import schema_context, tenant_context

from provisioning import services
from shared_apps.accounts.services import operator_create
from tenant_apps.members import services as members

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform_client(db):
    services.platform_ensure()
    return Client(HTTP_HOST="localhost")


def test_home_lists_only_active_networks_that_opted_in(
    make_tenant, platform_client, django_assert_max_num_queries
):
    make_tenant("listed", name="Réseau visible", listed=True, tagline="Entraide poumon")
    make_tenant("hidden", name="Réseau discret")
    make_tenant("paused", name="Réseau en pause", listed=True)
    services.tenant_suspend(slug="paused", actor="test")
    platform_client.get("/")  # resolves and caches the host
    # Networks with branding and organization, then their primary domains: not one per network;
    # the directory's home adds its four kinds' counts (one query) and the coming events
    # (one, and their pathologies when there are some).
    with django_assert_max_num_queries(6):
        page = platform_client.get("/").content.decode()
    assert "Réseau visible" in page
    assert "https://listed.localhost/" in page
    assert "Entraide poumon" in page
    assert "Réseau discret" not in page
    assert "Réseau en pause" not in page


def test_operators_use_the_admin_on_the_platform_domain_only(make_tenant, platform_client):
    tenant = make_tenant("gamma")
    with schema_context("public"):
        operator = operator_create(
            username="operateur", email="ops@example.org", password="x-long-secret-1"
        )
    assert platform_client.get("/admin/").status_code == 302
    platform_client.login(username="operateur", password="x-long-secret-1")
    # Operators must set up a second factor before anything else.
    response = platform_client.get("/admin/tenants/tenant/")
    assert response.status_code == 302
    assert response["Location"] == "/comptes/2fa/totp/activate/"
    with schema_context("public"):
        TOTP.activate(operator, generate_totp_secret())
    page = platform_client.get("/admin/tenants/tenant/")
    assert page.status_code == 200
    assert "Réseau gamma" in page.content.decode()

    # On a network's domain there is no admin: signed out, it is a member-only address like
    # any other (sent to sign in); signed in as the network's member, it does not exist.
    tenant_host = Client(HTTP_HOST=tenant.domains.get().domain)
    for path in ("/admin/", "/admin/login/"):
        response = tenant_host.get(path)
        assert (response.status_code, response["Location"]) == (
            302,
            f"/comptes/login/?next={path}",
        )
    with tenant_context(tenant):
        user = members.member_create(
            username="Iris", email="i@example.org", password="long-secret-42x"
        )
        tenant_host.force_login(user)
    for path in ("/admin/", "/admin/login/"):
        assert tenant_host.get(path).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "tenant_member"])
def test_the_admin_refuses_everyone_but_operators(make_tenant, platform_client, who):
    if who == "tenant_member":
        tenant = make_tenant("gamma")
        with tenant_context(tenant):
            members.member_create(
                username="Iris", email="i@example.org", password="long-secret-42x"
            )
        # A tenant account does not exist in the public schema.
        assert not platform_client.login(username="Iris", password="long-secret-42x")
    response = platform_client.get("/admin/tenants/tenant/")
    assert response.status_code == 302
    # The admin's own login page hands over to allauth (throttling, second factor).
    handover = platform_client.get(response["Location"])
    assert handover.status_code == 302
    assert handover["Location"].startswith("/comptes/login/")
