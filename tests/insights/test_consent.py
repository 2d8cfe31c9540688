"""The statistics consent on a member's data page: off by default, dated, withdrawable, in
the export; a forged consent kind changes nothing."""

import json

import pytest

from tenant_apps.members import services as members
from tenant_apps.members.models import Consent
from tests.members.factories import account

pytestmark = pytest.mark.django_db

GIVE, WITHDRAW = "/mes-donnees/consentement/donner/", "/mes-donnees/consentement/retirer/"


@pytest.fixture
def iris(tenant):
    member = account("Iris").member
    members.consent_give(member=member, kind=Consent.Kind.HEALTH_DATA)
    lung = members.pathology_create(name="Cancer du poumon")
    members.profile_update(member=member, pathologies=[lung])
    return member


def statistics(member):
    return list(member.consents.filter(kind=Consent.Kind.STATISTICS).values_list("withdrawn"))


def test_off_by_default_given_and_withdrawn_from_the_data_page(iris, client_as):
    client = client_as(iris)
    assert statistics(iris) == []
    page = client.get("/mes-donnees/").content.decode()
    assert 'id="statistics-title"' in page
    assert 'name="kind" value="statistics"' in page and "statistics-give-help" in page

    response = client.post(GIVE, {"kind": "statistics"})
    assert response.status_code == 302 and response["Location"] == "/mes-donnees/"
    client.post(GIVE, {"kind": "statistics"})  # a second click records nothing more
    assert statistics(iris) == [(None,)]
    page = client.get("/mes-donnees/").content.decode()
    assert "statistics-withdraw-help" in page

    client.post(WITHDRAW, {"kind": "statistics"})
    [(withdrawn,)] = statistics(iris)
    assert withdrawn is not None
    # Health data and the pathologies stated stay: only the statistics consent went.
    assert iris.pathologies.count() == 1
    assert iris.consents.get(kind=Consent.Kind.HEALTH_DATA).withdrawn is None

    client.post(GIVE, {"kind": "statistics"})  # given again: a new, dated consent
    assert sorted(statistics(iris), key=str) == sorted([(withdrawn,), (None,)], key=str)

    data = json.loads(client.post("/mes-donnees/export/").content)
    exported = [c for c in data["consents"] if c["kind"] == "statistics"]
    assert len(exported) == 2 and all(c["given"] for c in exported)
    assert sorted(c["withdrawn"] is None for c in exported) == [False, True]


@pytest.mark.parametrize("kind", ["charter", "anything", "x" * 5000])
def test_a_forged_kind_is_a_404_and_changes_nothing(iris, client_as, kind):
    client = client_as(iris)
    before = list(iris.consents.order_by("pk").values_list("kind", "withdrawn"))
    for url in (GIVE, WITHDRAW):
        assert client.post(url, {"kind": kind}).status_code == 404
    assert list(iris.consents.order_by("pk").values_list("kind", "withdrawn")) == before
    assert iris.pathologies.count() == 1


def test_the_health_data_forms_without_a_kind_still_work(iris, client_as):
    client_as(iris).post(WITHDRAW)
    assert iris.consents.get(kind=Consent.Kind.HEALTH_DATA).withdrawn is not None
    assert iris.pathologies.count() == 0
    assert statistics(iris) == []
