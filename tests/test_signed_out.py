"""A signed-out visitor on a network is sent to sign in from every member-only address,
existing or not, and lands on the page asked for; public addresses and the API stay as
they are (DESIGN invariant 5)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests.members.factories import PASSWORD, account

MEMBER_ONLY = [
    "/profil/",
    "/membres/Bob/",
    "/membres/nobody-by-that-name/",
    "/forums/",
    "/forums/sujet/1/",
    "/forums/sujet/999999/",
    "/forums/no-such-category/",
    "/ressources/",
    "/ressources/1/",
    "/recherche/?q=cancer",
    "/moderation/",
    "/notifications/",
    "/association/membres/",
    "/mes-donnees/",
    "/no/such/page/",
]


@pytest.mark.parametrize("path", MEMBER_ONLY)
def test_a_member_only_address_sends_a_signed_out_visitor_to_sign_in(tenant, client_for, path):
    account("Bob")
    response = client_for(tenant).get(path)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/comptes/login/"
    assert parse_qs(location.query) == {"next": [path]}


def test_a_post_to_a_member_only_address_is_redirected_and_changes_nothing(tenant, client_for):
    from tenant_apps.forums.models import Topic

    before = Topic.objects.count()
    response = client_for(tenant).post("/forums/general/nouveau/", {"title": "x", "body": "y"})
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/?next=")
    assert Topic.objects.count() == before


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/charte/",
        "/mentions-legales/",
        "/comptes/login/",
        "/comptes/signup/",
        "/comptes/password/reset/",
    ],
)
def test_public_addresses_stay_open(tenant, client_for, path):
    assert client_for(tenant).get(path).status_code == 200


@pytest.mark.parametrize(
    "path", ["/invitation/no-such-key/", "/notifications/desabonnement/not-a-token/"]
)
def test_signed_links_answer_for_themselves(tenant, client_for, path):
    # Not a redirect: the link's own view decides (here, a bad key reads as missing).
    assert client_for(tenant).get(path).status_code == 404


@pytest.mark.parametrize("path", ["/api/me/", "/api/forums/categories/", "/api/nothing-here/"])
def test_the_api_answers_404_not_a_redirect(tenant, client_for, path):
    response = client_for(tenant).get(path)
    assert response.status_code == 404


def test_a_signed_in_member_is_not_redirected(tenant, client_for):
    client = client_for(tenant)
    client.force_login(account("Bob"))
    assert client.get("/forums/").status_code == 200
    assert client.get("/no/such/page/").status_code == 404


def test_signing_in_lands_on_the_page_asked_for(tenant, client_for):
    account("Bob")
    client = client_for(tenant)
    asked = client.get("/forums/")
    response = client.post(
        asked["Location"],
        {"login": "bob@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/forums/"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "http://alpha.localhost/forums/"]
)
def test_signing_in_never_leaves_for_another_address(tenant, client_for, next_url):
    account("Bob")
    response = client_for(tenant).post(
        f"{reverse('account_login')}?next={next_url}",
        {"login": "bob@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
