"""The members API through real requests on a network's host: who may do what, input
errors, what each call changes, the admins' list, and the OpenAPI schema."""

import json

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenant_apps.members import services
from tenant_apps.members.models import AuditEntry, Consent, Member, ProfileType, Role

pytestmark = pytest.mark.django_db

PASSWORD = "un-long-secret-42"
User = get_user_model()

WHO = ["anonymous", "member", "moderator", "admin", "other_network"]
# endpoint → (method, path, JSON body, status on success, who may call it)
EVERYONE_IN = {"member", "moderator", "admin"}
ENDPOINTS = {
    "me_get": ("get", "/api/me/", None, 200, EVERYONE_IN),
    "me_patch": ("patch", "/api/me/", {"bio": "Nouvelle présentation"}, 200, EVERYONE_IN),
    "me_delete": (
        "delete",
        "/api/me/",
        {"password": PASSWORD, "delete_content": False},
        204,
        EVERYONE_IN,
    ),
    "me_export": ("get", "/api/me/export/", None, 200, EVERYONE_IN),
    "members_list": ("get", "/api/members/", None, 200, {"admin"}),
}


MEMBER_FIELDS = [f.attname for f in Member._meta.concrete_fields if f.name != "last_seen"]


def call(client: Client, method: str, path: str, body=None, **extra):
    if body is None:
        return getattr(client, method)(path, **extra)
    return getattr(client, method)(
        path, data=json.dumps(body), content_type="application/json", **extra
    )


def snapshot() -> tuple:
    """Everything these endpoints could change in the network's schema (last_seen aside:
    any signed-in request may refresh it)."""
    return (
        list(Member.objects.order_by("pk").values(*MEMBER_FIELDS)),
        list(User.objects.order_by("pk").values_list("pk", "username", "email", "password")),
        list(Member.pathologies.through.objects.order_by("pk").values_list()),
        list(Consent.objects.order_by("pk").values_list()),
        list(AuditEntry.objects.order_by("pk").values_list()),
        sorted(Session.objects.values_list("session_key", flat=True)),
    )


def person(username: str, role: str = Role.MEMBER, **kwargs):
    user = services.member_create(
        username=username,
        email=f"{username.lower()}@example.org",
        password=PASSWORD,
        role=role,
        **kwargs,
    )
    services.consent_give(member=user.member, kind=Consent.Kind.HEALTH_DATA)
    if role != Role.MEMBER:
        # Staff without TOTP are sent to the TOTP setup page on every request.
        TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def people(tenant):
    return {
        "member": person("Iris"),
        "moderator": person("Mona", Role.MODERATOR),
        "admin": person("Ada", Role.ADMIN),
    }


@pytest.fixture
def role_accounts(people):
    """``client_as`` signs in as these people."""
    return people


# --- Authorization matrix --------------------------------------------------------------------


REFUSED = [
    (endpoint, who) for endpoint, spec in ENDPOINTS.items() for who in WHO if who not in spec[4]
]
ALLOWED = [(endpoint, who) for endpoint, spec in ENDPOINTS.items() for who in WHO if who in spec[4]]


@pytest.mark.parametrize(("endpoint", "who"), REFUSED)
def test_refusals_are_404_and_change_nothing(client_as, endpoint, who):
    method, path, body, _status, _allowed = ENDPOINTS[endpoint]
    client = client_as(who)
    before = snapshot()

    response = call(client, method, path, body)

    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize(("endpoint", "who"), ALLOWED)
def test_allowed_callers_get_an_answer(client_as, people, endpoint, who):
    method, path, body, status, _allowed = ENDPOINTS[endpoint]

    response = call(client_as(who), method, path, body)

    assert response.status_code == status
    member = Member.objects.get(pk=people[who].member.pk)
    if endpoint == "me_patch":
        assert member.bio == "Nouvelle présentation"
    if endpoint == "me_delete":
        assert member.user is None


def test_an_unknown_api_address_is_a_404_too(client_as):
    assert client_as("admin").get("/api/nothing-here/").status_code == 404


def test_a_method_the_endpoint_lacks_is_405_for_a_member_and_404_for_a_stranger(client_as):
    assert call(client_as("member"), "put", "/api/me/", {"bio": "x"}).status_code == 405
    assert call(client_as("anonymous"), "put", "/api/me/", {"bio": "x"}).status_code == 404
    assert call(client_as("admin"), "post", "/api/members/", {}).status_code == 405


def test_a_suspended_member_is_no_longer_let_in(client_as, people):
    client = client_as("member")
    Member.objects.filter(user=people["member"]).update(status=Member.Status.SUSPENDED)
    before = snapshot()

    response = call(client, "patch", "/api/me/", {"bio": "Encore là"})

    assert response.status_code == 404
    assert Member.objects.get(user=people["member"]).bio == ""
    assert snapshot()[0] == before[0]


# --- My profile --------------------------------------------------------------------------------


def test_get_me_shows_the_profile_without_the_email(client_as, people):
    lung = services.pathology_create(name="Cancer du poumon")
    services.profile_update(
        member=people["member"].member, pathologies=[lung], department="69", bio="Bonjour"
    )

    response = client_as("member").get("/api/me/")

    assert response.status_code == 200
    data = response.json()
    assert data["pseudonym"] == "Iris"
    assert data["role"] == Role.MEMBER
    assert data["pathologies"] == [{"id": lung.pk, "name": "Cancer du poumon"}]
    assert data["department"] == "69"
    assert data["region"] == "Auvergne-Rhône-Alpes"
    assert data["bio"] == "Bonjour"
    assert data["avatar"] is None
    assert data["visibility_pathologies"] == "spaces"
    assert "email" not in data
    assert "iris@example.org" not in response.content.decode()


def test_patch_me_changes_every_writable_field(client_as, people):
    lung, breast = (services.pathology_create(name=n) for n in ("Poumon", "Sein"))
    body = {
        # A change that opens no space (one that does waits for a moderator).
        "profile_type": ProfileType.FORMER_PATIENT,
        "pathologies": [lung.pk, breast.pk],
        "department": "2A",
        "bio": "  Aidante de mon père.  ",
        "visibility_profile_type": "nobody",
        "visibility_pathologies": "nobody",
        "visibility_region": "network",
        "visibility_bio": "spaces",
        "visibility_avatar": "nobody",
    }

    response = call(client_as("member"), "patch", "/api/me/", body)

    assert response.status_code == 200, response.content
    member = Member.objects.get(user=people["member"])
    assert member.profile_type == ProfileType.FORMER_PATIENT
    assert set(member.pathologies.values_list("pk", flat=True)) == {lung.pk, breast.pk}
    assert member.department == "2A"
    assert member.bio == "Aidante de mon père."
    assert (
        member.visibility_profile_type,
        member.visibility_pathologies,
        member.visibility_region,
        member.visibility_bio,
        member.visibility_avatar,
    ) == ("nobody", "nobody", "network", "spaces", "nobody")
    data = response.json()
    assert data["region"] == "Corse"
    assert {p["id"] for p in data["pathologies"]} == {lung.pk, breast.pk}
    assert "email" not in data


def test_patch_me_changes_only_what_is_sent(client_as, people):
    lung = services.pathology_create(name="Poumon")
    member = people["member"].member
    services.profile_update(member=member, pathologies=[lung], bio="Bonjour", department="75")
    client = client_as("member")

    assert call(client, "patch", "/api/me/", {"visibility_bio": "nobody"}).status_code == 200
    member.refresh_from_db()
    assert (member.bio, member.department, member.visibility_bio) == ("Bonjour", "75", "nobody")
    assert list(member.pathologies.all()) == [lung]

    assert call(client, "patch", "/api/me/", {"pathologies": []}).status_code == 200
    assert not member.pathologies.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"profile_type": "astronaut"}, "profile_type"),
        ({"pathologies": [999999]}, "pathologies"),
        ({"pathologies": ["poumon"]}, "pathologies"),
        ({"pathologies": 3}, "pathologies"),
        ({"department": "999"}, "department"),
        ({"bio": "x" * 601}, "bio"),
        ({"visibility_region": "everyone"}, "visibility_region"),
        ({"visibility_avatar": None}, "visibility_avatar"),
    ],
)
def test_patch_me_with_bad_input_is_a_field_error_and_changes_nothing(
    client_as, people, body, field
):
    services.pathology_create(name="Poumon")
    client = client_as("member")
    before = snapshot()

    response = call(client, "patch", "/api/me/", body)

    assert response.status_code == 400
    assert field in response.json()
    assert snapshot() == before


def test_patch_me_pathologies_without_health_data_consent_is_a_field_error(client_as, people):
    lung = services.pathology_create(name="Poumon")
    services.consent_withdraw(member=people["member"].member, kind=Consent.Kind.HEALTH_DATA)
    client = client_as("member")
    before = snapshot()

    response = call(client, "patch", "/api/me/", {"pathologies": [lung.pk], "bio": "Bonjour"})

    assert response.status_code == 400
    assert "pathologies" in response.json()
    assert snapshot() == before


def test_patch_me_with_a_body_that_is_not_json_is_a_400(client_as):
    client = client_as("member")
    before = snapshot()

    response = client.patch("/api/me/", data="{not json", content_type="application/json")

    assert response.status_code == 400
    assert snapshot() == before


def test_unsafe_methods_need_the_csrf_token(client_as, people):
    client = client_as("member", enforce_csrf_checks=True)
    before = snapshot()

    refused = call(client, "patch", "/api/me/", {"bio": "Sans jeton"})

    assert refused.status_code == 403
    assert snapshot() == before

    # A page of the site gives the browser its token; sent back, the call goes through.
    assert client.get("/profil/").status_code == 200
    token = client.cookies["csrftoken"].value
    accepted = call(client, "patch", "/api/me/", {"bio": "Avec jeton"}, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200
    assert Member.objects.get(user=people["member"]).bio == "Avec jeton"


# --- Export and deletion -----------------------------------------------------------------------


def test_export_is_my_data_as_json_with_my_email(client_as, people):
    response = client_as("member").get("/api/me/export/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["account"]["pseudonym"] == "Iris"
    assert data["account"]["email"] == "iris@example.org"
    assert data["membership"]["role"] == Role.MEMBER


def test_delete_me_erases_the_account_and_ends_the_session(client_as, people):
    user = people["member"]
    member = user.member
    client = client_as("member")

    response = call(client, "delete", "/api/me/", {"password": PASSWORD, "delete_content": True})

    assert response.status_code == 204
    member.refresh_from_db()
    assert member.user is None
    assert member.erased is not None
    assert not User.objects.filter(pk=user.pk).exists()
    assert not User.objects.filter(email="iris@example.org").exists()
    assert client.get("/api/me/").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"password": "pas-le-bon-mot-de-passe"},
        {"password": ""},
        {"delete_content": False},
        None,
    ],
)
def test_delete_me_without_the_right_password_is_a_field_error(client_as, people, body):
    client = client_as("member")
    before = snapshot()

    if body is None:
        response = client.delete("/api/me/")
    else:
        response = call(client, "delete", "/api/me/", body)

    assert response.status_code == 400
    assert "password" in response.json()
    assert snapshot() == before
    assert Member.objects.get(user=people["member"]).user_id == people["member"].pk


def test_delete_me_password_attempts_are_rate_limited(client_as, people):
    client = client_as("member")
    for _attempt in range(10):
        call(client, "delete", "/api/me/", {"password": "devine-encore"})

    response = call(client, "delete", "/api/me/", {"password": PASSWORD})

    assert response.status_code == 400
    assert response.json()["password"]
    assert Member.objects.get(user=people["member"]).user_id == people["member"].pk


# --- The admins' member list -------------------------------------------------------------------


def test_members_list_filters_and_never_shows_an_email(client_as, people):
    person("Irene", profile_type=ProfileType.CAREGIVER)
    person("Mirko", Role.MODERATOR)
    suspended = person("Sacha")
    Member.objects.filter(user=suspended).update(status=Member.Status.SUSPENDED)
    client = client_as("admin")

    def pseudonyms(**params):
        response = client.get("/api/members/", params)
        assert response.status_code == 200
        assert "email" not in response.content.decode()
        assert "@example.org" not in response.content.decode()
        return [row["pseudonym"] for row in response.json()["results"]]

    assert pseudonyms() == ["Ada", "Irene", "Iris", "Mirko", "Mona", "Sacha"]
    assert pseudonyms(q="ir") == ["Irene", "Iris", "Mirko"]
    assert pseudonyms(role="moderator") == ["Mirko", "Mona"]
    assert pseudonyms(status="suspended") == ["Sacha"]
    assert pseudonyms(profile_type="caregiver") == ["Irene"]
    assert pseudonyms(q="ir", role="member", status="active") == ["Irene", "Iris"]
    assert pseudonyms(role="") == pseudonyms()

    row = client.get("/api/members/", {"q": "Irene"}).json()["results"][0]
    assert set(row) == {"id", "pseudonym", "role", "status", "profile_type", "joined"}
    assert row["profile_type"] == ProfileType.CAREGIVER


def test_erased_members_are_not_listed(client_as, people):
    gone = person("Gaspard")
    services.member_erase(member=gone.member)

    names = [r["pseudonym"] for r in client_as("admin").get("/api/members/").json()["results"]]

    assert "Gaspard" not in names
    assert len(names) == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"role": "king"}, "role"),
        ({"status": "gone"}, "status"),
        ({"profile_type": "astronaut"}, "profile_type"),
        ({"q": "x" * 151}, "q"),
    ],
)
def test_members_list_with_an_invalid_filter_is_a_400(client_as, params, field):
    response = client_as("admin").get("/api/members/", params)

    assert response.status_code == 400
    assert field in response.json()


def test_members_list_is_paginated_with_a_constant_number_of_queries(
    client_as, people, django_assert_max_num_queries
):
    client = client_as("admin")
    client.get("/api/members/")  # The first request also resolves the host, then cached.
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/members/").json()["count"] == 3
    for n in range(30):
        services.member_create(username=f"Membre{n:02d}", email=f"m{n}@example.org", password=None)

    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get("/api/members/")

    data = response.json()
    assert data["count"] == 33
    assert len(data["results"]) == 25
    assert data["next"] is not None
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(client.get("/api/members/", {"page": 2}).json()["results"]) == 8


# --- OpenAPI schema ----------------------------------------------------------------------------


def test_schema_documents_every_endpoint_with_its_methods(client_as):
    response = client_as("anonymous").get(
        "/api/schema/", {"format": "json"}, HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )

    assert response.status_code == 200
    schema = json.loads(response.content)
    paths = schema["paths"]
    assert set(paths["/api/me/"]) == {"get", "patch", "delete"}
    assert set(paths["/api/me/export/"]) == {"get"}
    assert set(paths["/api/members/"]) == {"get"}

    def ref(content):
        return content["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]

    me = paths["/api/me/"]
    assert ref(me["get"]["responses"]["200"]["content"]) == "Profile"
    assert ref(me["patch"]["requestBody"]["content"]) == "PatchedProfileUpdate"
    assert ref(me["patch"]["responses"]["200"]["content"]) == "Profile"
    assert ref(me["delete"]["requestBody"]["content"]) == "AccountDelete"
    assert "204" in me["delete"]["responses"]
    assert "avatar" in me["patch"]["description"].lower()
    members = paths["/api/members/"]["get"]
    assert ref(members["responses"]["200"]["content"]) == "PaginatedMemberListList"
    assert {p["name"] for p in members["parameters"]} == {
        "page",
        "q",
        "role",
        "status",
        "profile_type",
    }
    components = schema["components"]["schemas"]
    assert "email" not in components["Profile"]["properties"]
    assert "email" not in components["MemberList"]["properties"]
    assert "avatar" not in components["PatchedProfileUpdate"]["properties"]


def test_schema_generation_is_valid_and_has_no_warning(tmp_path):
    target = tmp_path / "schema.yaml"

    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--urlconf",
        "config.urls_tenant",
        "--file",
        str(target),
    )

    assert "/api/members/" in target.read_text()
