"""Self-registration on a network's site (allauth's /comptes/signup/ with our SignupForm), and
signing in: what is recorded, what is refused and how, in French by default."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.utils.html import escape
from django_tenants.utils import schema_context, tenant_context

from provisioning import services as provisioning
from tenant_apps.members import selectors
from tenant_apps.members import services as members
from tenant_apps.members.models import Consent, Member

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "une-longue-phrase-secrete"
SIGNUP = "/comptes/signup/"
LOGIN = "/comptes/login/"
WRONG_CREDENTIALS = "L’adresse e-mail ou le mot de passe sont incorrects."


@pytest.fixture
def pathologies(tenant):
    return [members.pathology_create(name=name) for name in ("Cancer du poumon", "Lymphome")]


def signup_data(pathologies, /, **overrides) -> dict:
    data = {
        "username": "Alizé",
        "email": "Alize@Example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "profile_type": "caregiver",
        "pathologies": [pathologies[1].pk],
        "department": "2A",
        "accept_charter": "on",
        "consent_health_data": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def state() -> dict:
    """What a refused sign-up must leave untouched (in the current schema)."""
    return {
        "users": sorted(User.objects.values_list("username", flat=True)),
        "members": Member.objects.count(),
        "consents": Consent.objects.count(),
        "mails": len(mail.outbox),
    }


def confirmation_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/comptes/confirm-email/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


# --- A sign-up that works --------------------------------------------------------------------


def test_registration_records_the_member_their_choices_and_two_consents(
    tenant, pathologies, client_for
):
    members.charter_publish(title="Charte v2", body="Soyons bienveillants.")  # now version 2
    response = client_for(tenant).post(SIGNUP, signup_data(pathologies))

    assert response.status_code == 302
    assert response["Location"] == "/comptes/confirm-email/"
    user = User.objects.get(username="Alizé")
    assert user.email == "alize@example.org"
    assert user.check_password(PASSWORD)
    member = Member.objects.get(user=user)
    assert member.role == "member"
    assert member.profile_type == "caregiver"
    assert member.department == "2A"
    assert list(member.pathologies.all()) == [pathologies[1]]
    consents = {c.kind: c for c in member.consents.all()}
    assert set(consents) == {Consent.Kind.CHARTER, Consent.Kind.HEALTH_DATA}
    assert consents[Consent.Kind.CHARTER].version == 2
    assert consents[Consent.Kind.HEALTH_DATA].version == 1
    assert all(c.withdrawn is None for c in consents.values())
    # Email verification is mandatory: not signed in, one message with the link.
    address = user.emailaddress_set.get()
    assert (address.email, address.verified, address.primary) == ("alize@example.org", False, True)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alize@example.org"]
    assert mail.outbox[0].subject.startswith("[Réseau alpha]")
    assert "/comptes/confirm-email/" in mail.outbox[0].body


def test_the_sign_up_page_is_in_french_and_offers_the_networks_choices(
    tenant, pathologies, client_for
):
    html = client_for(tenant).get(SIGNUP).content.decode()
    assert '<html lang="fr">' in html
    assert "Création de compte" in html
    assert f'name="pathologies" value="{pathologies[0].pk}"' in html
    assert '<optgroup label="Corse">' in html
    assert '<option value="2A">Corse-du-Sud (2A)</option>' in html
    for field in ("accept_charter", "consent_health_data"):
        assert f'type="checkbox" name="{field}"' in html
        assert f'<label for="id_{field}">' in html


def test_the_sign_up_form_calls_the_username_a_pseudonym(tenant, client_for):
    html = client_for(tenant).get(SIGNUP).content.decode()
    assert '<label for="id_username">Pseudonyme</label>' in html


# --- Refusals: the form comes back with the error on the right field -------------------------


@pytest.fixture
def existing(tenant):
    return members.member_create(
        username="Alizé", email="alize@example.org", password=PASSWORD, verified=True
    )


REFUSALS = {
    # name: (overrides, field, French message or None when the catalogue lags)
    "pseudonym taken, other case": (
        {"username": "ALIZÉ", "email": "autre@example.org"},
        "username",
        None,  # see the next test for its wording
    ),
    "weak password": (
        {"password1": "123456789", "password2": "123456789"},
        "password1",
        "Ce mot de passe est trop court. Il doit contenir au minimum 10 caractères.",
    ),
    "passwords differ": (
        {"password2": "une-autre-phrase"},
        "password2",
        "Vous devez saisir deux fois le même mot de passe.",
    ),
    "unknown pathology": (
        {"pathologies": ["987654"]},
        "pathologies",
        "Sélectionnez un choix valide. 987654 n’en fait pas partie.",
    ),
    "charter not accepted": ({"accept_charter": None}, "accept_charter", None),
    "no consent to health data": (
        {"consent_health_data": None},
        "consent_health_data",
        None,
    ),
    "unknown département": ({"department": "99"}, "department", None),
    "unknown profile type": ({"profile_type": "doctor"}, "profile_type", None),
}


@pytest.mark.parametrize(("overrides", "field", "message"), REFUSALS.values(), ids=REFUSALS)
def test_a_refused_sign_up_shows_the_error_on_its_field_and_keeps_what_was_typed(
    tenant, pathologies, existing, client_for, overrides, field, message
):
    data = signup_data(
        pathologies, **{"username": "Mistral", "email": "mistral@example.org", **overrides}
    )
    before = state()

    response = client_for(tenant).post(SIGNUP, data)

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    html = response.content.decode()
    if message is None:  # our own string: the French catalogue is filled in later
        message = form.errors[field][0]
    else:
        assert message in form.errors[field]
    # Rendered in the field's own error list (the one its control points to), in French.
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{escape(message)}</li>' in html
    assert f'value="{escape(data["username"])}"' in html
    assert f'value="{escape(data["email"])}"' in html
    assert PASSWORD not in html  # passwords are never sent back
    assert state() == before


def test_a_taken_pseudonym_is_called_a_pseudonym(tenant, existing, client_for):
    response = client_for(tenant).post(SIGNUP, {"username": "alizé"})
    assert response.context["form"].errors["username"] == ["Ce pseudonyme est déjà pris."]


def test_required_fields_are_reported_in_french(tenant, client_for):
    response = client_for(tenant).post(SIGNUP, {"username": "Mistral"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    for field in ("email", "password1", "accept_charter", "consent_health_data"):
        assert errors[field] == ["Ce champ est obligatoire."], field
    assert 'value="Mistral"' in response.content.decode()


def test_a_taken_email_gets_no_error_that_would_tell_who_is_a_member(
    tenant, pathologies, existing, client_for
):
    """Knowing that an address has an account here says its owner is ill (allauth's
    enumeration prevention): the visitor sees the usual "check your inbox" page, no second
    account is made, and the owner of the address is told by email."""
    before = state()
    response = client_for(tenant).post(
        SIGNUP, signup_data(pathologies, username="Mistral", email="ALIZE@example.org")
    )
    assert response.status_code == 302
    assert response["Location"] == "/comptes/confirm-email/"
    assert sorted(User.objects.values_list("username", flat=True)) == before["users"]
    assert (Member.objects.count(), Consent.objects.count()) == (
        before["members"],
        before["consents"],
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alize@example.org"]
    assert "/comptes/password/reset/" in mail.outbox[0].body


# --- Where sign-up is open -------------------------------------------------------------------


def test_sign_up_on_the_platform_domain_makes_a_plain_account(db, client):
    """On the platform's domain, people sign up to manage their association's directory
    listing: none of a network's questions, no member, never staff (operators are created by
    operators), and the address is confirmed first."""
    with schema_context("public"):
        provisioning.platform_ensure()
        users = User.objects.count()
    page = client.get(SIGNUP, HTTP_HOST="localhost").content.decode()
    assert 'name="password1"' in page
    assert 'name="accept_charter"' not in page and 'name="profile_type"' not in page
    response = client.post(
        SIGNUP,
        {"username": "Camille", "email": "camille@example.org", "password1": PASSWORD,
         "password2": PASSWORD},
        HTTP_HOST="localhost",
    )  # fmt: skip
    assert response.status_code == 302
    with schema_context("public"):
        assert User.objects.count() == users + 1
        user = User.objects.get(username="Camille")
        assert not (user.is_staff or user.is_superuser)
    (message,) = mail.outbox
    assert "/comptes/confirm-email/" in message.body


def test_one_email_registers_in_two_networks_as_two_unrelated_accounts(
    tenant, other_tenant, client_for
):
    for network in (tenant, other_tenant):
        with tenant_context(network):
            members.pathology_create(name="Cancer du poumon")
            members.pathology_create(name="Lymphome")

    alpha, beta = client_for(tenant), client_for(other_tenant)
    for network, client in ((tenant, alpha), (other_tenant, beta)):
        with tenant_context(network):
            data = signup_data(list(selectors.pathologies_list()))
        assert client.post(SIGNUP, data).status_code == 302
    assert [m.to for m in mail.outbox] == [["alize@example.org"]] * 2
    assert mail.outbox[0].subject.startswith("[Réseau alpha]")
    assert mail.outbox[1].subject.startswith("[Réseau beta]")

    # Alpha's link confirms alpha's address only, and signs in on alpha only.
    link = confirmation_link(mail.outbox[0])
    response = alpha.post(link)
    assert response.status_code == 302
    assert alpha.get("/").wsgi_request.user.username == "Alizé"
    with tenant_context(tenant):
        alpha_user = User.objects.get(username="Alizé")
        assert alpha_user.emailaddress_set.get().verified
    with tenant_context(other_tenant):
        beta_user = User.objects.get(username="Alizé")
        assert not beta_user.emailaddress_set.get().verified
        assert Member.objects.get(user=beta_user).consents.count() == 2

    # Alpha's session cookie means nothing on beta.
    stranger = client_for(other_tenant)
    stranger.cookies = alpha.cookies
    page = stranger.get("/")
    assert page.wsgi_request.user.is_anonymous
    assert "Alizé" not in page.content.decode()
    # Signed out there: sent to beta's sign-in like any visitor (DESIGN invariant 5).
    profile = stranger.get("/profil/")
    assert (profile.status_code, profile["Location"]) == (302, "/comptes/login/?next=/profil/")


def test_a_confirmation_link_of_one_network_confirms_nothing_on_another(
    tenant, other_tenant, client_for
):
    """The address rows of two networks have the same ids (1, 2, …); a link must not carry
    over. Here someone registers on alpha with their own address and opens their link on beta,
    where a stranger's address has the same id."""
    # The session's networks keep their sequences from test to test: line them up, so that
    # the next address gets the same id on both, as in two new networks.
    next_id = 1
    for network in (tenant, other_tenant):
        with tenant_context(network), connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) + 1 FROM account_emailaddress")
            next_id = max(next_id, cursor.fetchone()[0])
    for network in (tenant, other_tenant):
        with tenant_context(network), connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('account_emailaddress', 'id'), %s, false)",
                [next_id],
            )
    for network, email in ((other_tenant, "victime@example.org"), (tenant, "pirate@example.org")):
        with tenant_context(network):
            members.pathology_create(name="Cancer du poumon")
            members.pathology_create(name="Lymphome")
            data = signup_data(list(selectors.pathologies_list()), email=email, pathologies=[])
        assert client_for(network).post(SIGNUP, data).status_code == 302
    with tenant_context(other_tenant):
        victim = User.objects.get(email="victime@example.org").emailaddress_set.get()
    with tenant_context(tenant):
        pirate = User.objects.get(email="pirate@example.org").emailaddress_set.get()
    assert victim.pk == pirate.pk  # the precondition of the attack, not a wish

    pirate_link = confirmation_link(mail.outbox[1])
    response = client_for(other_tenant).post(pirate_link)
    with tenant_context(other_tenant):
        victim.refresh_from_db()
        assert not victim.verified, "alpha's link verified a stranger's address on beta"
    assert response.status_code == 404


# --- Signing in, and its throttling ----------------------------------------------------------


def login(client, email: str, password: str, ip: str):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


def login_error(response) -> str:
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1, errors
    return errors[0]


def test_signing_in_uses_the_email_not_the_pseudonym(tenant, existing, client_for):
    client = client_for(tenant)
    response = client.post(LOGIN, {"login": "Alizé", "password": PASSWORD})
    assert response.status_code == 200
    assert "login" in response.context["form"].errors
    response = client.post(LOGIN, {"login": "ALIZE@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == existing


def test_a_cooled_off_sign_in_shows_no_error_that_would_tell_who_is_a_member(
    tenant, existing, client_for
):
    # The cool-off itself (per account and address, a 429) is tested with the security
    # findings, in test_security_findings.py.
    client = client_for(tenant)
    for email in ("alize@example.org", "personne@example.org"):
        for attempt in range(5):
            response = login(client, email, f"faux-{attempt}", ip="10.0.0.1")
            assert login_error(response) == WRONG_CREDENTIALS
    known = login(client, "alize@example.org", PASSWORD, ip="10.0.0.1")
    unknown = login(client, "personne@example.org", PASSWORD, ip="10.0.0.1")
    assert known.status_code == unknown.status_code == 429
    assert [t.name for t in known.templates] == [t.name for t in unknown.templates]
    assert "alize@example.org" not in known.content.decode()


def test_the_throttle_of_one_network_does_not_reach_another(
    tenant, other_tenant, existing, client_for
):
    with tenant_context(other_tenant):
        members.member_create(username="Alizé", email="alize@example.org", password=PASSWORD)
    alpha = client_for(tenant)
    for attempt in range(5):
        login(alpha, "alize@example.org", f"faux-{attempt}", ip="10.0.0.1")
    assert login(alpha, "alize@example.org", PASSWORD, ip="10.0.0.1").status_code == 429
    beta = client_for(other_tenant)
    assert login(beta, "alize@example.org", PASSWORD, ip="10.0.0.1").status_code == 302
