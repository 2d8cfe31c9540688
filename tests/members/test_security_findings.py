"""Findings of the outside security test on members, accounts and links, each with the
test that failed before its fix."""

import json
import re
from io import BytesIO
from urllib.parse import unquote

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import resolve, reverse
from django_tenants.utils import schema_context, tenant_context
from PIL import Image

from shared_apps.accounts.admin import UserCreateForm
from tenant_apps.members import selectors, services
from tenant_apps.members.models import (
    AuditEntry,
    Member,
    ProfileType,
    ProfileTypeRequest,
    Role,
    Visibility,
)
from tenants.links import tenant_base_url
from tenants.models import Domain

pytestmark = pytest.mark.django_db

User = get_user_model()
VISIBLE_PARTS = ("profile_type", "pathologies", "region", "bio", "avatar")

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


# --- Media follow their visibility ----------------------------------------------------------


def member(username: str, *, role: str = Role.MEMBER, profile_type: str = ProfileType.PATIENT):
    user = services.member_create(
        username=username,
        email=f"{username.lower()}@example.org",
        password=PASSWORD,
        role=role,
        profile_type=profile_type,
    )
    if role != Role.MEMBER:
        TOTP.activate(user, generate_totp_secret())  # staff must have a second factor
    return user.member


def png() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (64, 64), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile("moi.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def avatar_of(tenant):
    def make(visibility: str):
        owner = member("Alize")
        services.profile_update(member=owner, avatar=png(), visibility_avatar=visibility)
        return owner, owner.avatar.url

    return make


def viewer_client(client_for, tenant, who: str):
    client = client_for(tenant)
    viewers = {
        "patient": lambda: member("Lecteur"),
        "caregiver": lambda: member("Aidant", profile_type=ProfileType.CAREGIVER),
        "moderator": lambda: member(
            "Veilleur", role=Role.MODERATOR, profile_type=ProfileType.CAREGIVER
        ),
    }
    if who in viewers:
        client.force_login(viewers[who]().user)
    return client


AVATAR_READERS = {
    # visibility: who gets the picture (the owner always does)
    Visibility.NETWORK: {"patient", "caregiver", "moderator"},
    Visibility.SPACES: {"patient", "moderator"},  # the caregiver shares no space with her
    Visibility.NOBODY: {"moderator"},
}


@pytest.mark.parametrize("visibility", list(AVATAR_READERS))
@pytest.mark.parametrize("who", ["anonymous", "patient", "caregiver", "moderator"])
def test_an_avatar_is_served_only_to_whom_its_owner_shows_it(
    tenant, client_for, avatar_of, visibility, who
):
    owner, url = avatar_of(visibility)
    client = viewer_client(client_for, tenant, who)

    response = client.get(url)

    expected = 200 if who in AVATAR_READERS[visibility] else 404
    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"  # the JPEG
        assert "private" in response["Cache-Control"]


def test_the_owner_sees_her_own_avatar_whatever_she_chose(tenant, client_for, avatar_of):
    owner, url = avatar_of(Visibility.NOBODY)
    client = client_for(tenant)
    client.force_login(owner.user)

    assert client.get(url).status_code == 200


def test_a_suspended_members_avatar_is_not_served(tenant, client_for, avatar_of):
    owner, url = avatar_of(Visibility.NETWORK)
    Member.objects.filter(pk=owner.pk).update(status=Member.Status.SUSPENDED)

    assert viewer_client(client_for, tenant, "patient").get(url).status_code == 404


def test_no_other_media_route_serves_an_avatar(tenant, client_for, avatar_of):
    owner, url = avatar_of(Visibility.NOBODY)
    client = client_for(tenant)
    name = owner.avatar.name.removeprefix("avatars/")

    for path in (f"/media/avatars/./{name}", f"/media/avatars//{name}", f"/media/AVATARS/{name}"):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/media/branding/../avatars/{name}").status_code == 400


def test_another_networks_member_gets_no_avatar(tenant, other_tenant, client_for, avatar_of):
    owner, url = avatar_of(Visibility.NETWORK)
    client = client_for(other_tenant)
    with tenant_context(other_tenant):
        client.force_login(member("Etranger").user)

    assert client.get(url).status_code == 404


# --- One pseudonym rule: characters, normal form, look-alikes ------------------------------

LOOKALIKES = {
    "cyrillic e": "m\u0435mbre-poumon",
    "full-width": "ｍｅｍｂｒｅ-poumon",
    "other case": "MEMBRE-POUMON",
    "greek omicron": "membre-p\u03bfumon",
    "underscore for hyphen": "membre_poumon",
    "zero for o": "membre-p0umon",
}
BAD_CHARACTERS = ["a/b", "a b", "a@b", "../x", "-abc", "ab", "x" * 41, "a\u200bb"]


@pytest.fixture
def original(tenant):
    return services.member_create(
        username="membre-poumon", email="membre@example.org", password=PASSWORD
    )


def accept_invitation(client_for, tenant, username: str):
    invitation = services.invitation_create(email="invite@example.org", role=Role.MEMBER)
    return client_for(tenant).post(
        f"/invitation/{invitation.key}/",
        {"username": username, "password": PASSWORD, "password_confirm": PASSWORD},
    )


def signup(client_for, tenant, username: str):
    return client_for(tenant).post(
        "/comptes/signup/",
        {
            "username": username,
            "email": "nouveau@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "profile_type": "patient",
            "department": "",
            "accept_charter": "on",
            "consent_health_data": "on",
        },
    )


@pytest.mark.parametrize("username", BAD_CHARACTERS)
def test_the_invitation_refuses_what_sign_up_refuses(tenant, client_for, username):
    response = accept_invitation(client_for, tenant, username)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["username"]
    assert not User.objects.filter(email="invite@example.org").exists()


@pytest.mark.parametrize("username", BAD_CHARACTERS)
def test_sign_up_refuses_a_pseudonym_with_other_characters(tenant, client_for, username):
    response = signup(client_for, tenant, username)

    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert not User.objects.filter(email="nouveau@example.org").exists()


@pytest.mark.parametrize("username", LOOKALIKES.values(), ids=LOOKALIKES)
@pytest.mark.parametrize("way", ["sign-up", "invitation", "service"])
def test_a_lookalike_of_an_existing_pseudonym_is_refused(
    tenant, client_for, original, username, way
):
    before = User.objects.count()
    if way == "sign-up":
        errors = signup(client_for, tenant, username).context["form"].errors
        assert list(errors) == ["username"]
    elif way == "invitation":
        errors = accept_invitation(client_for, tenant, username).context["form"].errors
        assert list(errors) == ["username"]
    else:
        with pytest.raises(ValidationError) as refused:
            services.member_create(username=username, email="x@example.org", password=PASSWORD)
        assert list(refused.value.message_dict) == ["username"]
    assert User.objects.count() == before


def test_the_database_refuses_a_lookalike_however_it_is_written(tenant, original):
    # What two racing sign-ups would do: both passed the check, the second write fails.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="m\u0435mbre-poumon", email="course@example.org")


def test_a_pseudonym_is_stored_in_its_normal_form(tenant, client_for):
    response = signup(client_for, tenant, "Ａlizé")  # a full-width A

    assert response.status_code == 302
    assert User.objects.get(email="nouveau@example.org").username == "Alizé"


def test_the_admin_forms_apply_the_same_rule(tenant, original):
    form = UserCreateForm(data={"username": "m\u0435mbre-poumon", "usable_password": "false"})

    assert not form.is_valid()
    assert list(form.errors) == ["username"]


@pytest.mark.parametrize("username", ["Alizé", "a.b-c_d", "Ünal.92", "Zoé_Marie-3", "Ｍｉｌａ"])
def test_every_accepted_pseudonym_makes_working_member_urls(tenant, username):
    stored = services.member_create(
        username=username, email="ok@example.org", password=PASSWORD
    ).username

    for name in ("profile", "moderation:member_warn", "moderation:member_suspend"):
        url = reverse(name, kwargs={"pseudonym": stored})
        # What the server decodes from the request's path resolves back to the member.
        assert resolve(unquote(url)).kwargs == {"pseudonym": stored}, name


# --- A change of profile type that opens a space waits for a moderator ----------------------


@pytest.fixture
def caregiver(tenant):
    return member("Aidante", profile_type=ProfileType.CAREGIVER)


def space_slugs(someone) -> set[str]:
    someone.refresh_from_db()
    return {space.slug for space in selectors.spaces_for(someone)}


def test_the_api_keeps_a_space_opening_change_pending(tenant, client_for, caregiver):
    client = client_for(tenant)
    client.force_login(caregiver.user)

    response = client.patch(
        "/api/me/", data=json.dumps({"profile_type": "patient"}), content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["profile_type"] == "caregiver"
    assert response.json()["profile_type_pending"] == "patient"
    assert space_slugs(caregiver) == {"proches-aidants"}
    assert caregiver.profile_type == ProfileType.CAREGIVER


def test_the_profile_page_keeps_a_space_opening_change_pending_and_says_so(
    tenant, client_for, caregiver
):
    client = client_for(tenant)
    client.force_login(caregiver.user)
    data = {
        "profile_type": "patient",
        "department": "",
        "bio": "Nouvelle présentation",
        **{f"visibility_{name}": "network" for name in VISIBLE_PARTS},
    }

    response = client.post("/profil/", data, follow=True)

    assert response.status_code == 200
    assert space_slugs(caregiver) == {"proches-aidants"}
    assert caregiver.bio == "Nouvelle présentation"  # the rest is saved at once
    pending = ProfileTypeRequest.objects.get(member=caregiver, status="pending")
    assert (pending.previous, pending.requested) == ("caregiver", "patient")
    notes = [str(m) for m in response.context["messages"]]
    assert any("Patient" in note for note in notes), notes


def test_a_change_that_opens_no_space_applies_at_once(tenant, client_for):
    patient = member("Ancienne")
    client = client_for(tenant)
    client.force_login(patient.user)

    response = client.patch(
        "/api/me/",
        data=json.dumps({"profile_type": "former_patient"}),
        content_type="application/json",
    )

    assert response.json()["profile_type"] == "former_patient"
    assert response.json()["profile_type_pending"] is None
    assert not ProfileTypeRequest.objects.exists()


def test_a_moderator_approves_and_the_space_opens_audited(tenant, client_for, caregiver):
    services.profile_update(member=caregiver, profile_type=ProfileType.PATIENT)
    pending = ProfileTypeRequest.objects.get(member=caregiver)
    moderator = member("Veilleur", role=Role.MODERATOR, profile_type=ProfileType.CAREGIVER)
    client = client_for(tenant)
    client.force_login(moderator.user)
    listing = client.get("/association/demandes-de-profil/")
    assert listing.status_code == 200
    assert "Aidante" in listing.content.decode()

    response = client.post(
        f"/association/demandes-de-profil/{pending.pk}/", {"decision": "approve"}
    )

    assert response.status_code == 302
    assert space_slugs(caregiver) == {"patients"}
    entry = AuditEntry.objects.get(action="profile_type_approve")
    assert (entry.actor, entry.target) == (moderator, caregiver)
    assert entry.detail == {"previous": "caregiver", "requested": "patient"}


def test_a_moderator_refuses_and_nothing_opens(tenant, client_for, caregiver):
    services.profile_update(member=caregiver, profile_type=ProfileType.PATIENT)
    pending = ProfileTypeRequest.objects.get(member=caregiver)
    moderator = member("Veilleur", role=Role.MODERATOR, profile_type=ProfileType.CAREGIVER)
    client = client_for(tenant)
    client.force_login(moderator.user)

    client.post(f"/association/demandes-de-profil/{pending.pk}/", {"decision": "refuse"})

    assert space_slugs(caregiver) == {"proches-aidants"}
    pending.refresh_from_db()
    assert pending.status == ProfileTypeRequest.Status.REFUSED
    assert AuditEntry.objects.filter(action="profile_type_refuse", target=caregiver).exists()


@pytest.mark.parametrize("who", ["anonymous", "member", "the requester"])
def test_only_moderators_decide(tenant, client_for, caregiver, who):
    services.profile_update(member=caregiver, profile_type=ProfileType.PATIENT)
    pending = ProfileTypeRequest.objects.get(member=caregiver)
    client = client_for(tenant)
    if who == "member":
        client.force_login(member("Curieuse").user)
    elif who == "the requester":
        client.force_login(caregiver.user)

    listing = client.get("/association/demandes-de-profil/")
    decision = client.post(
        f"/association/demandes-de-profil/{pending.pk}/", {"decision": "approve"}
    )

    if who == "anonymous":  # sent to sign in, as on every member-only address
        assert listing.status_code == decision.status_code == 302
        assert decision["Location"].startswith("/comptes/login/")
    else:
        assert listing.status_code == decision.status_code == 404
    assert "Aidante" not in listing.content.decode()
    assert space_slugs(caregiver) == {"proches-aidants"}
    pending.refresh_from_db()
    assert pending.status == ProfileTypeRequest.Status.PENDING
    assert not AuditEntry.objects.exists()
