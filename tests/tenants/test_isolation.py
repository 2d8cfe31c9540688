"""Tenancy invariants, through real requests on each tenant's host."""

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django_tenants.utils import schema_context, tenant_context

from provisioning import services
from tenant_apps.members import services as members
from tenants.models import Domain, Tenant

pytestmark = pytest.mark.django_db


def test_a_session_of_one_tenant_is_anonymous_on_another(tenant, other_tenant, client_for):
    members.member_create(username="Iris", email="iris@example.org", password="un-long-secret-42")
    alpha = client_for(tenant)
    response = alpha.post(
        "/comptes/login/", {"login": "iris@example.org", "password": "un-long-secret-42"}
    )
    assert response.status_code == 302
    assert "Iris" in alpha.get("/").content.decode()

    beta = client_for(other_tenant)
    beta.cookies = alpha.cookies
    page = beta.get("/")
    assert page.status_code == 200
    assert page.wsgi_request.user.is_anonymous
    assert "Iris" not in page.content.decode()


def test_the_same_pseudonym_and_email_are_two_accounts_in_two_networks(tenant, other_tenant):
    members.member_create(username="Iris", email="iris@example.org", password="un-long-secret-42")
    with tenant_context(other_tenant):
        other = members.member_create(
            username="Iris", email="iris@example.org", password="un-autre-secret-43"
        )
        assert other.check_password("un-autre-secret-43")
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.get(username="Iris").check_password("un-autre-secret-43")


def test_cache_keys_carry_the_schema(tenant, other_tenant):
    cache.set("greeting", "bonjour alpha")
    with tenant_context(other_tenant):
        assert cache.get("greeting") is None
        cache.set("greeting", "bonjour beta")
    assert cache.get("greeting") == "bonjour alpha"
    key = cache.make_key("greeting")
    assert key.startswith(f"{tenant.schema_name}:")


def test_files_live_under_the_tenant_prefix_and_are_served_on_its_host_only(
    tenant, other_tenant, client_for, settings
):
    # Branding is the one public prefix (members' files go through their access rules).
    name = default_storage.save("branding/fiche.txt", ContentFile(b"contenu alpha"))
    assert default_storage.path(name).startswith(str(settings.MEDIA_ROOT / tenant.schema_name))
    assert default_storage.url(name) == f"/media/{name}"

    response = client_for(tenant).get(f"/media/{name}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"contenu alpha"
    assert client_for(other_tenant).get(f"/media/{name}").status_code == 404
    private = default_storage.save("notes/fiche.txt", ContentFile(b"contenu alpha"))
    assert client_for(tenant).get(f"/media/{private}").status_code == 404
    # Traversal out of the prefix is refused before any file is opened.
    assert client_for(tenant).get("/media/../beta/notes/fiche.txt").status_code == 400


def test_an_unknown_host_gets_the_not_found_page(db, client):
    response = client.get("/", HTTP_HOST="inconnu.example")
    assert response.status_code == 404
    assert "Cette page n'existe pas" in response.content.decode()


def test_a_suspended_tenant_answers_503_in_french_then_comes_back(tenant, client_for):
    services.tenant_suspend(slug="alpha", actor="test", reason="impayé")
    response = client_for(tenant).get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "3600"
    assert 'lang="fr"' in response.content.decode()
    assert "3114" in response.content.decode()
    english = client_for(tenant).get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert "temporarily unavailable" in english.content.decode()

    services.tenant_resume(slug="alpha", actor="test")
    assert client_for(tenant).get("/").status_code == 200


@pytest.mark.parametrize("status", [Tenant.Status.PROVISIONING, Tenant.Status.ARCHIVED])
def test_a_tenant_not_serving_answers_404(tenant, client_for, status):
    with schema_context("public"):
        Tenant.objects.filter(pk=tenant.pk).update(status=status)
    assert client_for(tenant).get("/").status_code == 404


def test_host_resolution_is_cached_and_forgotten_when_a_domain_changes(
    tenant, client_for, django_assert_num_queries
):
    client = client_for(tenant)
    client.get("/")
    # search_path once, then spaces, charter and crisis resources; the host costs nothing.
    with django_assert_num_queries(4):
        client.get("/")
    with schema_context("public"):
        Domain.objects.filter(tenant=tenant).update(domain="renamed.localhost")
        Domain.objects.get(domain="renamed.localhost").save()
    assert client.get("/").status_code == 404


def test_tls_ask_answers_yes_only_for_verified_domains_of_serving_tenants(tenant, client):
    with schema_context("public"):
        Domain.objects.create(domain="reseau-poumon.fr", tenant=tenant, verified=False)
        Domain.objects.create(domain="verifie.fr", tenant=tenant, verified=True)
    ask = "/internal/tls-ask"
    assert client.get(ask, {"domain": "alpha.localhost"}, HTTP_HOST="web").status_code == 200
    assert client.get(ask, {"domain": "verifie.fr"}, HTTP_HOST="web").status_code == 200
    assert client.get(ask, {"domain": "reseau-poumon.fr"}, HTTP_HOST="web").status_code == 404
    assert client.get(ask, {"domain": "inconnu.fr"}, HTTP_HOST="web").status_code == 404
    assert client.get(ask, HTTP_HOST="web").status_code == 404
    with schema_context("public"):
        Tenant.objects.filter(pk=tenant.pk).update(status=Tenant.Status.READ_ONLY)
    assert client.get(ask, {"domain": "verifie.fr"}, HTTP_HOST="web").status_code == 200
    with schema_context("public"):
        Tenant.objects.filter(pk=tenant.pk).update(status=Tenant.Status.ARCHIVED)
    assert client.get(ask, {"domain": "verifie.fr"}, HTTP_HOST="web").status_code == 404


def test_healthz_checks_the_database_on_any_host(db, client):
    response = client.get("/healthz", HTTP_HOST="anything.internal")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_log_records_carry_the_tenant(tenant, caplog):
    import logging

    from tenants.logging import TenantFilter

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "message", None, None)
    TenantFilter().filter(record)
    assert record.tenant == "alpha"
    with schema_context("public"):
        TenantFilter().filter(record)
        assert record.tenant == "public"


def test_error_reports_carry_the_tenant_and_no_personal_data(tenant):
    from core.observability import tag_tenant_and_scrub

    event = {
        "request": {"data": {"email": "iris@example.org"}, "cookies": "sessionid=x", "url": "/"},
        "user": {"email": "iris@example.org"},
    }
    scrubbed = tag_tenant_and_scrub(event, {})
    assert scrubbed["tags"]["tenant"] == connection.schema_name == "alpha"
    assert "iris@example.org" not in repr(scrubbed)
