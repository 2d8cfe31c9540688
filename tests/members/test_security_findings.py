"""Findings of the outside security test on members, accounts and links, each with the
test that failed before its fix."""

import re

import pytest
from django.core.cache import cache
from django_tenants.utils import schema_context

from tenant_apps.members import services
from tenants.links import tenant_base_url
from tenants.models import Domain

pytestmark = pytest.mark.django_db

PASSWORD = "une-longue-phrase-secrete"
LOGIN = "/comptes/login/"


@pytest.fixture
def iris(tenant):
    return services.member_create(username="Iris", email="iris@example.org", password=PASSWORD)


# --- Absolute links come from the network's primary domain, never from the request ---------

FORGED_HOSTS = ["alpha.localhost:9999", "alias-alpha.fr"]


@pytest.fixture
def alias(tenant):
    # A second, verified domain of the same network: it serves pages, but is not primary.
    with schema_context("public"):
        Domain.objects.create(
            domain="alias-alpha.fr", tenant=tenant, verified=True, is_primary=False
        )


def links_in(body: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", body)


@pytest.mark.parametrize("host", FORGED_HOSTS)
def test_a_password_reset_link_points_at_the_primary_domain_whatever_the_host(
    iris, tenant, alias, client, mailoutbox, host
):
    response = client.post("/comptes/password/reset/", {"email": iris.email}, HTTP_HOST=host)

    assert response.status_code == 302
    (message,) = mailoutbox
    links = links_in(message.body)
    base = tenant_base_url(tenant)
    assert any(link.startswith(f"{base}/comptes/password/reset/key/") for link in links), links
    assert all(link.startswith(f"{base}/") for link in links), links
    assert host not in message.body


@pytest.mark.parametrize("host", FORGED_HOSTS)
def test_an_unknown_address_is_told_of_the_primary_domain_whatever_the_host(
    tenant, alias, client, mailoutbox, host
):
    client.post("/comptes/password/reset/", {"email": "nobody@example.org"}, HTTP_HOST=host)

    (message,) = mailoutbox
    links = links_in(message.body)
    assert links
    assert all(link.startswith(f"{tenant_base_url(tenant)}/") for link in links), links


@pytest.mark.parametrize("host", FORGED_HOSTS)
def test_an_email_confirmation_link_points_at_the_primary_domain(
    tenant, alias, client, mailoutbox, host
):
    response = client.post(
        "/comptes/signup/",
        {
            "username": "Alize",
            "email": "alize@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "profile_type": "caregiver",
            "department": "",
            "accept_charter": "on",
            "consent_health_data": "on",
        },
        HTTP_HOST=host,
    )

    assert response.status_code == 302
    (message,) = mailoutbox
    links = links_in(message.body)
    base = tenant_base_url(tenant)
    assert any(link.startswith(f"{base}/comptes/confirm-email/") for link in links), links
    assert all(link.startswith(f"{base}/") for link in links), links


# --- Sign-in cool-off: per (account, address) pair, 429, never other accounts -------------


def login(client, email: str, password: str, ip: str):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def colleagues(tenant):
    """Two members who sign in from the same hospital address."""
    return [
        services.member_create(username=name, email=f"{name}@example.org", password=PASSWORD)
        for name in ("Noe", "Lou")
    ]


HOSPITAL = "192.0.2.10"


def test_five_failures_cool_off_that_account_from_that_address_with_a_429(
    tenant, colleagues, client_for
):
    client = client_for(tenant)
    for attempt in range(5):
        assert login(client, "noe@example.org", f"faux-{attempt}", HOSPITAL).status_code == 200

    refused = login(client, "noe@example.org", PASSWORD, HOSPITAL)

    assert refused.status_code == 429
    assert refused.wsgi_request.user.is_anonymous
    # The network's own page, in the member's language, with a way out.
    assert "429.html" in [template.name for template in refused.templates]
    html = refused.content.decode()
    assert '<html lang="fr"' in html
    assert 'href="/comptes/password/reset/"' in html


def test_a_cooled_off_address_still_lets_other_accounts_sign_in(tenant, colleagues, client_for):
    client = client_for(tenant)
    for attempt in range(5):
        login(client, "noe@example.org", f"faux-{attempt}", HOSPITAL)
    for attempt in range(20):
        login(client, f"inconnu-{attempt}@example.org", "faux", HOSPITAL)

    other = login(client, "lou@example.org", PASSWORD, HOSPITAL)

    assert other.status_code == 302
    assert other.wsgi_request.user == colleagues[1]


def test_a_cooled_off_account_still_signs_in_from_another_address(tenant, colleagues, client_for):
    client = client_for(tenant)
    for attempt in range(5):
        login(client, "noe@example.org", f"faux-{attempt}", HOSPITAL)

    elsewhere = login(client, "noe@example.org", PASSWORD, "198.51.100.7")

    assert elsewhere.status_code == 302


def test_the_cool_off_ends(tenant, colleagues, client_for):
    client = client_for(tenant)
    for attempt in range(5):
        login(client, "noe@example.org", f"faux-{attempt}", HOSPITAL)
    assert login(client, "noe@example.org", PASSWORD, HOSPITAL).status_code == 429

    cache.clear()  # the counters live in the cache for a quarter hour

    assert login(client, "noe@example.org", PASSWORD, HOSPITAL).status_code == 302


def test_the_port_in_the_host_does_not_reset_the_count(tenant, colleagues, client):
    for attempt in range(5):
        client.post(
            LOGIN,
            {"login": "noe@example.org", "password": "faux"},
            REMOTE_ADDR=HOSPITAL,
            HTTP_HOST=f"alpha.localhost:{8000 + attempt}",
        )

    refused = client.post(
        LOGIN,
        {"login": "noe@example.org", "password": PASSWORD},
        REMOTE_ADDR=HOSPITAL,
        HTTP_HOST="alpha.localhost:9000",
    )

    assert refused.status_code == 429
