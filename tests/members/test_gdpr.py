"""A member's own data pages: overview, consents, export, erasure; who may reach them."""

import json

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django_tenants.utils import tenant_context

from tenant_apps.members import services
from tenant_apps.members.models import Consent, Member, Role

pytestmark = pytest.mark.django_db

PASSWORD = "un-long-secret-42"
User = get_user_model()


def person(username: str, *, role: str = Role.MEMBER, pathologies=()) -> Member:
    """An account with both consents recorded and, for staff, a second factor."""
    user = services.member_create(
        username=username, email=f"{username.lower()}@example.org", password=PASSWORD, role=role
    )
    member = user.member
    services.consent_give(member=member, kind=Consent.Kind.CHARTER, version=1)
    services.consent_give(member=member, kind=Consent.Kind.HEALTH_DATA)
    services.profile_update(member=member, pathologies=list(pathologies))
    if role != Role.MEMBER:
        TOTP.activate(user, generate_totp_secret())
    return member


@pytest.fixture
def pathologies(tenant):
    return [
        services.pathology_create(name="Cancer du poumon"),
        services.pathology_create(name="Mésothéliome"),
    ]


@pytest.fixture
def iris(tenant, pathologies):
    return person("Iris", pathologies=pathologies[:1])


@pytest.fixture
def jules(tenant, pathologies):
    """Another member of the same network, whose data must never show up for Iris."""
    member = person("Jules", pathologies=pathologies[1:])
    services.profile_update(member=member, bio="Bio secrète de Jules")
    return member


def snapshot() -> dict:
    """Everything a refused request must leave untouched."""
    return {
        "users": sorted(User.objects.values_list("pk", "username", "email", "password")),
        "members": sorted(Member.objects.values_list("pk", "user_id", "erased", "bio", "avatar")),
        "consents": sorted(Consent.objects.values_list("pk", "member_id", "kind", "withdrawn")),
        "pathologies": sorted(Member.pathologies.through.objects.values_list("pk", "member_id")),
        "sessions": Session.objects.count(),
    }


PAGES = [
    ("get", "/mes-donnees/", {}),
    ("get", "/mes-donnees/export/", {}),
    ("post", "/mes-donnees/export/", {}),
    ("post", "/mes-donnees/consentement/retirer/", {}),
    ("post", "/mes-donnees/consentement/donner/", {}),
    ("get", "/mes-donnees/supprimer/", {}),
    ("post", "/mes-donnees/supprimer/", {"password": PASSWORD, "content": "keep"}),
]


@pytest.mark.parametrize("who", ["anonymous", "other_network_member", "other_network_admin"])
@pytest.mark.parametrize(("method", "url", "data"), PAGES)
def test_strangers_are_sent_to_sign_in_and_nothing_changes(
    client_as, tenant, other_tenant, client_for, iris, who, method, url, data
):
    client = client_for(tenant)
    if who != "anonymous":
        with tenant_context(other_tenant):
            # Same pseudonym and password as Iris here: still another person's account.
            stranger = person("Iris", role=Role.ADMIN if who.endswith("admin") else Role.MEMBER)
            elsewhere = client_as(stranger, network=other_tenant)
        client.cookies = elsewhere.cookies
    before = snapshot()

    response = getattr(client, method)(url, data)

    assert response.status_code == 302
    assert response["Location"] == f"/comptes/login/?next={url}"
    assert snapshot() == before
    with tenant_context(other_tenant):
        assert Member.objects.filter(erased__isnull=True).count() == (
            0 if who == "anonymous" else 1
        )


PAGE_URLS = ["/mes-donnees/", "/mes-donnees/export/", "/mes-donnees/supprimer/"]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR, Role.ADMIN])
@pytest.mark.parametrize(
    "url", ["/mes-donnees/", "/mes-donnees/export/", "/mes-donnees/supprimer/"]
)
def test_every_role_reaches_its_own_pages(
    tenant, client_as, jules, role, url, django_assert_max_num_queries
):
    me = person("Camille", role=role)
    client = client_as(me)
    client.get(url)  # resolves and caches the host
    # session, user, member, consents, second factor check for staff, charter-free layout.
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Jules" not in page
    assert "jules@example.org" not in page


def test_the_overview_lists_consents_and_offers_to_withdraw_health_data(tenant, client_as, iris):
    page = client_as(iris).get("/mes-donnees/").content.decode()
    assert page.count("<tr>") == 3  # header + charter + health data
    assert 'action="/mes-donnees/consentement/retirer/"' in page
    # The health data's forms (the statistics consent has its own, given or not).
    assert 'id="withdraw-help"' in page and 'id="give-help"' not in page
    for link in ("/mes-donnees/export/", "/mes-donnees/supprimer/", "/profil/"):
        assert f'href="{link}"' in page


def test_withdrawing_health_data_consent_removes_pathologies_and_records_it(
    tenant, client_as, iris, jules
):
    client = client_as(iris)
    jules_before = list(jules.pathologies.values_list("pk", flat=True))

    response = client.post("/mes-donnees/consentement/retirer/")

    assert response.status_code == 302
    assert response["Location"] == "/mes-donnees/"
    assert not iris.pathologies.exists()
    health = iris.consents.get(kind=Consent.Kind.HEALTH_DATA)
    assert health.withdrawn is not None
    assert iris.consents.get(kind=Consent.Kind.CHARTER).withdrawn is None
    # Only Iris's own data: the view takes no member to act on.
    assert list(jules.pathologies.values_list("pk", flat=True)) == jules_before
    assert jules.consents.filter(withdrawn__isnull=False).count() == 0

    page = client.get("/mes-donnees/").content.decode()
    assert 'action="/mes-donnees/consentement/donner/"' in page
    assert 'id="give-help"' in page and 'id="withdraw-help"' not in page

    client.post("/mes-donnees/consentement/donner/")
    client.post("/mes-donnees/consentement/donner/")  # a second click records nothing more
    given = iris.consents.filter(kind=Consent.Kind.HEALTH_DATA).order_by("given")
    assert [c.withdrawn is None for c in given] == [False, True]


def test_a_member_id_in_the_request_targets_nobody_else(tenant, client_as, iris, jules):
    client = client_as(iris)
    before = (list(jules.pathologies.all()), list(jules.consents.values("pk", "withdrawn")))
    client.post(f"/mes-donnees/consentement/retirer/?member={jules.pk}", {"member": jules.pk})
    export = client.post(f"/mes-donnees/export/?member={jules.pk}", {"member": jules.pk})
    assert (list(jules.pathologies.all()), list(jules.consents.values("pk", "withdrawn"))) == before
    assert json.loads(export.content)["account"]["pseudonym"] == "Iris"
    assert not iris.pathologies.exists()


def test_the_export_is_a_pretty_utf8_download_of_my_data_only(
    tenant, client_as, iris, jules, pathologies
):
    client = client_as(iris)
    page = client.get("/mes-donnees/export/")
    assert page.status_code == 200
    assert '<form method="post"' in page.content.decode()

    response = client.post("/mes-donnees/export/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="mes-donnees-20')
    assert disposition.endswith('.json"')
    raw = response.content.decode("utf-8")
    assert "\n  " in raw  # indented
    assert "Mésothéliome" not in raw and "\\u" not in raw
    data = json.loads(raw)
    assert data["account"]["pseudonym"] == "Iris"
    assert data["account"]["email"] == "iris@example.org"
    assert data["profile"]["pathologies"] == ["Cancer du poumon"]
    assert sorted((c["kind"], c["withdrawn"]) for c in data["consents"]) == [
        ("charter", None),
        ("health_data", None),
    ]
    for foreign in ("Jules", "jules@example.org", "Bio secrète", "Mésothéliome"):
        assert foreign not in raw


def test_the_export_writes_accents_as_they_are(tenant, client_as, pathologies):
    member = person("Zoé", pathologies=pathologies[1:])
    raw = client_as(member).post("/mes-donnees/export/").content
    assert "Mésothéliome".encode() in raw
    assert "Zoé".encode() in raw


def test_deleting_with_a_wrong_password_changes_nothing(tenant, client_as, iris):
    client = client_as(iris)
    before = snapshot()

    response = client.post("/mes-donnees/supprimer/", {"password": "pas-le-bon", "content": "keep"})

    assert response.status_code == 200
    assert "has-error" in response.content.decode()
    assert response.context["form"].has_error("password", code="wrong_password")
    assert snapshot() == before
    assert client.get("/mes-donnees/").status_code == 200  # still signed in


def test_the_erase_form_keeps_messages_by_default_and_requires_the_password(
    tenant, client_as, iris
):
    client = client_as(iris)
    form = client.get("/mes-donnees/supprimer/").context["form"]
    assert form["content"].initial == "keep"
    before = snapshot()
    response = client.post("/mes-donnees/supprimer/", {"content": "keep"})
    assert response.context["form"].errors["password"]
    assert snapshot() == before


def test_password_guesses_are_rate_limited(tenant, client_as, iris):
    client = client_as(iris)
    for _attempt in range(10):
        client.post("/mes-donnees/supprimer/", {"password": "pas-le-bon", "content": "keep"})
    response = client.post("/mes-donnees/supprimer/", {"password": PASSWORD, "content": "keep"})
    assert response.status_code == 200
    assert response.context["form"].has_error("password", code="rate_limited")
    assert Member.objects.get(pk=iris.pk).erased is None


@pytest.mark.parametrize("content", ["keep", "delete"])
def test_deleting_my_account_signs_me_out_and_erases_me(tenant, client_as, iris, jules, content):
    client = client_as(iris)

    response = client.post("/mes-donnees/supprimer/", {"password": PASSWORD, "content": content})

    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.wsgi_request.user.is_anonymous
    assert len(list(home.context["messages"])) == 1
    iris.refresh_from_db()
    assert iris.erased is not None and iris.user is None
    assert not User.objects.filter(username="Iris").exists()
    assert User.objects.filter(username="Jules").exists()
    assert client.get("/mes-donnees/").status_code == 302  # signed out: sent to sign in


def test_pathologies_cannot_be_stated_again_without_consent(tenant, iris, pathologies):
    services.consent_withdraw(member=iris, kind=Consent.Kind.HEALTH_DATA)
    assert not iris.pathologies.exists()
    with pytest.raises(ValidationError):
        services.profile_update(member=iris, pathologies=pathologies[:1])
