"""Personal access tokens for the API (tenant_apps/members/tokens.py, drf.TokenAuthentication)
and the API's throttles (core/throttle.ApiThrottle): a token works on its own network only,
without CSRF, until it is revoked, its member suspended or, for staff, their second factor
removed; staff make one only with a current code; reads, writes and signed-out addresses are
limited with 429 and Retry-After; the OpenAPI schema documents both ways to sign in."""

import hashlib
import json

import pytest
import yaml
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context, tenant_context

from core import throttle
from tenant_apps.members import services, tokens
from tenant_apps.members.models import ApiToken, Member, Role
from tests.fixtures import host_of, totp_code
from tests.members.factories import PASSWORD, account

pytestmark = pytest.mark.django_db

NOW = 1_800_000_010  # ten seconds into a minute: the window ends in 50 s


def app_client(network, secret: str | None = None, **extra) -> Client:
    """An app on the network's host: no cookie, only the token's header."""
    if secret is not None:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    with schema_context("public"):
        return Client(HTTP_HOST=host_of(network), enforce_csrf_checks=True, **extra)


def staff_with_code(username: str, role: str = Role.MODERATOR):
    """A staff account and its authenticator's secret, to compute its codes."""
    user = services.member_create(
        username=username, email=f"{username.lower()}@example.org", password=PASSWORD, role=role
    )
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def test_a_member_makes_a_token_on_the_page_and_an_app_reads_and_writes_with_it(tenant, client_as):
    bob = account("Bob")
    page = client_as(bob)

    made = page.post(
        "/compte/acces-api/nouveau/", {"name": "Mon téléphone", "confirmation": PASSWORD}
    )

    assert made.status_code == 200
    secret = made.content.decode().split("<pre><code>")[1].split("</code>")[0]
    assert secret.startswith("ent_") and len(secret) > 40
    token = ApiToken.objects.get(member=bob.member)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in json.dumps(list(ApiToken.objects.values()), default=str)
    # Shown once: the list afterwards names it, never shows it again.
    listed = page.get("/compte/acces-api/").content.decode()
    assert "Mon téléphone" in listed and secret not in listed

    app = app_client(tenant, secret)
    me = app.get("/api/me/")
    assert me.status_code == 200
    assert me.json()["pseudonym"] == "Bob"
    # A write without a cookie needs no CSRF token (the client enforces CSRF checks).
    changed = app.patch(
        "/api/me/", data=json.dumps({"bio": "Écrit par mon appli"}), content_type="application/json"
    )
    assert changed.status_code == 200, changed.content
    assert Member.objects.get(pk=bob.member.pk).bio == "Écrit par mon appli"
    token.refresh_from_db()
    assert token.last_used is not None


def test_a_token_costs_no_more_queries_than_a_session(tenant, client_as):
    bob = account("Bob")
    secret = tokens.api_token_create(member=bob.member, name="A", confirmation=PASSWORD).secret
    session, app = client_as(bob), app_client(tenant, secret)
    # Warmed up: last_seen and last_used are written by the first request only.
    assert session.get("/api/me/").status_code == app.get("/api/me/").status_code == 200

    with CaptureQueriesContext(connection) as by_session:
        session.get("/api/me/")
    with CaptureQueriesContext(connection) as by_token:
        app.get("/api/me/")

    assert len(by_token) <= len(by_session), [q["sql"] for q in by_token]


def test_a_wrong_password_makes_no_token(tenant, client_as):
    bob = account("Bob")

    refused = client_as(bob).post(
        "/compte/acces-api/nouveau/", {"name": "Appli", "confirmation": "pas-le-bon"}
    )

    assert refused.status_code == 400
    assert "<pre><code>" not in refused.content.decode()
    assert not ApiToken.objects.exists()


def test_a_session_write_still_needs_its_csrf_token(tenant, client_as):
    bob = account("Bob")
    client = client_as(bob, enforce_csrf_checks=True)

    refused = client.patch(
        "/api/me/", data=json.dumps({"bio": "Sans jeton CSRF"}), content_type="application/json"
    )

    assert refused.status_code == 403
    assert Member.objects.get(pk=bob.member.pk).bio == ""


def test_a_token_works_on_its_own_network_only(tenant, other_tenant):
    with tenant_context(other_tenant):
        beta_bob = account("Bob")
        secret = tokens.api_token_create(
            member=beta_bob.member, name="Appli", confirmation=PASSWORD
        ).secret
        assert app_client(other_tenant, secret).get("/api/me/").status_code == 200
    with tenant_context(tenant):
        account("Bob")  # a namesake on alpha: still nobody the token stands for

    refused = app_client(tenant, secret).get("/api/me/")

    assert refused.status_code == 401
    assert refused["WWW-Authenticate"] == 'Bearer realm="api"'
    assert set(refused.json()) == {"detail"}


@pytest.mark.parametrize("header", ["Bearer ent_inventé", "Bearer", "Bearer a b", "Bearer ent_x"])
def test_a_malformed_or_unknown_token_is_401(tenant, header):
    assert app_client(tenant, HTTP_AUTHORIZATION=header).get("/api/me/").status_code == 401


def test_without_credentials_the_api_still_answers_404(tenant):
    assert app_client(tenant).get("/api/me/").status_code == 404


def test_a_revoked_token_is_refused(tenant, client_as):
    bob = account("Bob")
    made = tokens.api_token_create(member=bob.member, name="Appli", confirmation=PASSWORD)
    assert app_client(tenant, made.secret).get("/api/me/").status_code == 200

    revoked = client_as(bob).post(f"/compte/acces-api/{made.token.pk}/revoquer/")

    assert revoked.status_code == 302
    assert app_client(tenant, made.secret).get("/api/me/").status_code == 401


def test_revoking_through_htmx_answers_the_section_alone(tenant, client_as):
    bob = account("Bob")
    made = tokens.api_token_create(member=bob.member, name="Appli", confirmation=PASSWORD)

    swapped = client_as(bob).post(
        f"/compte/acces-api/{made.token.pk}/revoquer/", HTTP_HX_REQUEST="true"
    )

    assert swapped.status_code == 200
    html = swapped.content.decode()
    assert html.lstrip().startswith('<div id="api-tokens">')
    assert "<html" not in html
    made.token.refresh_from_db()
    assert made.token.revoked is not None


def test_a_suspended_members_token_is_refused_until_the_suspension_ends(tenant):
    admin = account("Alice", Role.ADMIN)
    bob = account("Bob")
    secret = tokens.api_token_create(member=bob.member, name="Appli", confirmation=PASSWORD).secret
    services.member_suspend(actor=admin.member, member=bob.member, reason="Test", until=None)

    assert app_client(tenant, secret).get("/api/me/").status_code == 401

    services.member_reinstate(actor=admin.member, member=Member.objects.get(pk=bob.member.pk))
    assert app_client(tenant, secret).get("/api/me/").status_code == 200


def test_staff_confirm_with_a_current_code_not_their_password(tenant, client_as):
    mona, secret = staff_with_code("Mona")
    page = client_as(mona)

    with pytest.raises(ValidationError):
        tokens.api_token_create(member=mona.member, name="Script", confirmation=PASSWORD)
    refused = page.post("/compte/acces-api/nouveau/", {"name": "Script", "confirmation": "000000"})
    assert refused.status_code == 400
    assert not ApiToken.objects.exists()

    made = page.post(
        "/compte/acces-api/nouveau/", {"name": "Script", "confirmation": totp_code(secret)}
    )

    assert made.status_code == 200
    token_secret = made.content.decode().split("<pre><code>")[1].split("</code>")[0]
    # The token carries the moderator's rights: the moderation queue's API answers.
    assert app_client(tenant, token_secret).get("/api/moderation/queue/").status_code == 200


def test_staff_without_a_second_factor_get_no_token_and_lose_theirs(tenant, client_as):
    mona, secret = staff_with_code("Mona")
    made = tokens.api_token_create(
        member=mona.member, name="Script", confirmation=totp_code(secret)
    )
    Authenticator.objects.filter(user=mona).delete()

    # The token stops working with the second factor, as the session's pages do.
    assert app_client(tenant, made.secret).get("/api/me/").status_code == 401
    member = Member.objects.get(pk=mona.member.pk)
    with pytest.raises(ValidationError) as refused:
        tokens.api_token_create(member=member, name="Autre", confirmation=PASSWORD)
    assert refused.value.code == "second_factor_required"
    # The page sends them to the setup first (the middleware's rule for staff).
    assert client_as(mona).get("/compte/acces-api/")["Location"].startswith("/comptes/2fa/")
    assert ApiToken.objects.count() == 1


def test_a_member_keeps_at_most_ten_live_tokens(tenant):
    bob = account("Bob")
    for n in range(tokens.MAX_ACTIVE_TOKENS):
        tokens.api_token_create(member=bob.member, name=f"Appli {n}", confirmation=PASSWORD)

    with pytest.raises(ValidationError):
        tokens.api_token_create(member=bob.member, name="Une de trop", confirmation=PASSWORD)
    tokens.api_token_revoke(token=ApiToken.objects.filter(member=bob.member).first())
    tokens.api_token_create(member=bob.member, name="À la place", confirmation=PASSWORD)


# --- Throttles -------------------------------------------------------------------------------


@pytest.fixture
def limits(settings, monkeypatch):
    """Three reads, two writes a minute per member, four requests per signed-out address; the
    clock stands still, so no test crosses a window's edge."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"member_reads": "3/min", "member_writes": "2/min",
                                   "anonymous": "4/min"},
    }  # fmt: skip
    monkeypatch.setattr(throttle, "_now", lambda: NOW)


def test_a_members_reads_are_limited_per_member_with_retry_after(tenant, limits):
    bob, paul = account("Bob"), account("Paul")
    bob_app = app_client(
        tenant, tokens.api_token_create(member=bob.member, name="A", confirmation=PASSWORD).secret
    )
    paul_app = app_client(
        tenant, tokens.api_token_create(member=paul.member, name="A", confirmation=PASSWORD).secret
    )
    for _ in range(3):
        assert bob_app.get("/api/me/").status_code == 200

    limited = bob_app.get("/api/me/")

    assert limited.status_code == 429
    assert limited["Retry-After"] == "50"
    assert set(limited.json()) == {"detail"}
    assert paul_app.get("/api/me/").status_code == 200  # another member goes on


def test_a_members_writes_have_their_own_smaller_limit(tenant, limits):
    bob = account("Bob")
    app = app_client(
        tenant, tokens.api_token_create(member=bob.member, name="A", confirmation=PASSWORD).secret
    )

    statuses = [
        app.patch(
            "/api/me/", data=json.dumps({"bio": f"v{n}"}), content_type="application/json"
        ).status_code
        for n in range(3)
    ]

    assert statuses == [200, 200, 429]
    assert Member.objects.get(pk=bob.member.pk).bio == "v1"  # the third wrote nothing


def test_signed_out_requests_are_limited_per_address_refusals_and_bad_tokens_included(
    tenant, limits
):
    first = app_client(tenant, REMOTE_ADDR="203.0.113.7")
    assert first.get("/api/schema/").status_code == 200
    assert first.get("/api/me/").status_code == 404  # counted before the refusal
    guess = app_client(tenant, "ent_devine", REMOTE_ADDR="203.0.113.7")
    assert guess.get("/api/me/").status_code == 401
    assert first.get("/api/schema/").status_code == 200

    limited = [first.get("/api/me/"), guess.get("/api/me/"), first.get("/api/schema/")]

    assert [r.status_code for r in limited] == [429, 429, 429]
    assert {r["Retry-After"] for r in limited} == {"50"}
    assert app_client(tenant, REMOTE_ADDR="198.51.100.9").get("/api/schema/").status_code == 200


# --- The OpenAPI schema ----------------------------------------------------------------------


def test_the_schema_documents_both_ways_to_sign_in(tenant):
    response = app_client(tenant).get("/api/schema/")
    schema = yaml.safe_load(response.content)

    schemes = schema["components"]["securitySchemes"]
    assert schemes["tokenAuth"]["type"] == "http"
    assert schemes["tokenAuth"]["scheme"] == "bearer"
    assert "/compte/acces-api/" in schemes["tokenAuth"]["description"]
    assert schemes["sessionAuth"] == {
        **schemes["sessionAuth"], "type": "apiKey", "in": "cookie", "name": "sessionid"
    }  # fmt: skip
    me = schema["paths"]["/api/me/"]["get"]
    assert {"tokenAuth": []} in me["security"] and {"sessionAuth": []} in me["security"]
    # The answers no view writes itself: a refused token, a limit reached.
    assert "WWW-Authenticate" in me["responses"]["401"]["headers"]
    assert "Retry-After" in me["responses"]["429"]["headers"]


def test_attempts_to_make_a_token_are_limited_per_member(tenant, client_as, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "members.api_token": "2/hour"}
    bob = account("Bob")
    page = client_as(bob)
    for _ in range(2):
        wrong = {"name": "Appli", "confirmation": "devine"}
        assert page.post("/compte/acces-api/nouveau/", wrong).status_code == 400

    limited = page.post("/compte/acces-api/nouveau/", {"name": "Appli", "confirmation": PASSWORD})

    assert limited.status_code == 429
    assert not ApiToken.objects.exists()  # even the right password waits
    other = client_as(account("Paul"))
    made = other.post("/compte/acces-api/nouveau/", {"name": "Appli", "confirmation": PASSWORD})
    assert made.status_code == 200
