"""Training, campaigns and clinical trials beyond who may (tests/test_matrix_pro_research.py):
registry numbers, centres, the trials' French search and filters, their keyset pages and
queries, bad input re-rendered or 400, training hidden by the events' own space rule, the
training mark set from the events' and articles' forms."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext

from tenant_apps.events import services as events
from tenant_apps.events.models import Event
from tenant_apps.members.models import Member, ProfileType, Role, Space
from tenant_apps.pro.models import Campaign, ClinicalTrial
from tenant_apps.pro.research import access, selectors, services
from tenant_apps.pro.research.selectors import TrialFilters
from tests.members.factories import account

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("NCT01234567", "NCT01234567"), (" nct01234567 ", "NCT01234567"),
        ("2024-512345-12-00", "2024-512345-12-00"), ("2022-500123-45", "2022-500123-45"),
        ("2024-A01234-56", "2024-A01234-56"), ("2024-a01234-56", "2024-A01234-56"),
    ],
)  # fmt: skip
def test_accepted_registry_numbers(given, kept):
    assert services.registry_number_clean(given) == kept


@pytest.mark.parametrize(
    "given",
    ["NCT1234567", "NCT012345678", "1999-512345-12", "2024-51234-12", "2024-A1234-56",
     "2024-B01234-56", "EUCT 2024-512345-12", "", "2024-512345-12-0"],
)  # fmt: skip
def test_refused_registry_numbers(given):
    with pytest.raises(ValidationError) as raised:
        services.registry_number_clean(given)
    assert "registry_number" in raised.value.message_dict


@pytest.mark.django_db
def test_centres_take_a_departement_or_a_region_and_name_the_bad_line(tenant):
    centres = services.centres_parse(
        "CHU de Poitiers ; Poitiers ; 86\n\nHôpital Larrey;Toulouse;occitanie\n"
        "Hôpital ; Ajaccio ; 2a"
    )
    assert [c["region"] for c in centres] == ["75", "76", "94"]
    with pytest.raises(
        ValidationError,
        match=gettext("Line %(line)d: unknown département or région.") % {"line": 2},
    ):
        services.centres_parse("CHU ; Poitiers ; 86\nCHU de Nulle-part ; Ville ; 99")
    with pytest.raises(
        ValidationError,
        match=re.escape(
            gettext('Line %(line)d: write "centre ; city ; département".') % {"line": 1}
        ),
    ):
        services.centres_parse("CHU sans ville")


@pytest.fixture
def admin(tenant):
    return account("Ada", role=Role.ADMIN).member


def _trial(admin, i: int, **fields) -> ClinicalTrial:
    values = {
        "title": f"Essai {i:03}", "phase": "2", "conditions": "Cancer du poumon",
        "registry_number": f"NCT{i:08}", "contact": "URC",
        "centres": [{"name": "CHU de Poitiers", "city": "Poitiers", "region": "75"}],
    }  # fmt: skip
    values.update(fields)
    return services.trial_create(actor=admin, **values)


def test_the_search_is_french_and_ignores_accents_and_filters_combine(admin):
    targeted = _trial(admin, 1, title="Thérapie ciblée des mutations EGFR", phase="3")
    _trial(admin, 2, title="Immunothérapie et radiothérapie", status="closed",
           centres=[{"name": "Hôpital Larrey", "city": "Toulouse", "region": "76"}])  # fmt: skip

    def ids(**given) -> list[int]:
        return [t.pk for t in selectors.trials(admin, TrialFilters(**given))]

    assert ids(q="therapie ciblee") == [targeted.pk]
    assert ids(q="THÉRAPIES CIBLÉES") == [targeted.pk]
    assert ids(q="Poitiers", phase="3") == [targeted.pk]
    assert ids(phase="2", status="closed", region="76") != []
    assert ids(region="76", phase="3") == []
    assert ids(q="egfr", region="75") == [targeted.pk]


def test_the_list_pages_by_keyset_with_the_same_queries_whatever_its_size(admin, client_as):
    for i in range(3):
        _trial(admin, i)
    client = client_as(admin)
    client.get("/essais-cliniques/")  # warm the session and the network's caches
    with CaptureQueriesContext(connection) as small:
        assert client.get("/essais-cliniques/").status_code == 200
    for i in range(3, 40):
        _trial(admin, i)
    with CaptureQueriesContext(connection) as large:
        first = client.get("/essais-cliniques/?phase=2")
    assert len(large) == len(small)
    body = first.content.decode()
    cursor = first.context["page"].next_cursor
    assert cursor is not None and "Essai 024" in body and "Essai 025" not in body
    second = client.get(f"/essais-cliniques/?phase=2&apres={cursor}").content.decode()
    assert "Essai 025" in second and "Essai 024" not in second
    api = client.get(f"/api/pro/research/trials/?phase=2&after={cursor}").json()
    assert api["trials"][0]["title"] == "Essai 025" and api["next_cursor"] is None


def test_bad_input_re_renders_the_form_or_answers_400(admin, client_as):
    client = client_as(admin)
    _trial(admin, 1)
    response = client.post(
        "/essais-cliniques/nouveau/",
        {"title": "Essai X", "phase": "2", "status": "recruiting", "conditions": "Sein",
         "registry_number": "NCT123", "contact": "URC", "summary": "x" * 1_000_000,
         "centres": "CHU ; Poitiers ; 86"},
    )  # fmt: skip
    assert response.status_code == 200
    assert 'value="Essai X"' in response.content.decode()
    response = client.post(
        "/essais-cliniques/nouveau/",
        {"title": "Essai X", "phase": "2", "status": "recruiting", "conditions": "Sein",
         "registry_number": "NCT00000001", "contact": "URC", "centres": "CHU ; Poitiers ; 99"},
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200 and "already listed" not in body  # centres first
    response = client.post(
        "/api/pro/research/trials/",
        {"title": "", "phase": "9", "registry_number": "NCT00000001", "contact": "URC",
         "conditions": "Sein"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400 and {"title", "phase"} <= set(response.json())
    response = client.post(
        "/api/pro/research/trials/",
        {"title": "Doublon", "phase": "2", "registry_number": "nct00000001", "contact": "URC",
         "conditions": "Sein"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400 and "registry_number" in response.json()
    response = client.post(
        "/prevention/nouvelle/",
        {"title": "Mars bleu", "kind": "screening", "summary": "Dépistage.",
         "starts_on": "2027-03-31", "ends_on": "2027-03-01"},
    )  # fmt: skip
    assert response.status_code == 200 and 'value="Mars bleu"' in response.content.decode()
    assert ClinicalTrial.objects.count() == 1
    assert client.get("/essais-cliniques/?apres=99999999999999999999").status_code == 200


def test_training_follows_the_events_own_space_rule_and_the_forms_set_the_mark(admin, client_as):
    pro = account("Rosalie").member
    Member.objects.filter(pk=pro.pk).update(verified_professional=True)
    pro = Member.objects.get(pk=pro.pk)
    caregiver_pro = account("Camille", profile_type=ProfileType.CAREGIVER).member
    Member.objects.filter(pk=caregiver_pro.pk).update(verified_professional=True)
    caregiver_pro = Member.objects.get(pk=caregiver_pro.pk)
    starts = timezone.now() + datetime.timedelta(days=4)
    caregivers_only = events.event_create(
        author=admin, title="Formation : accompagner les aidants", description="Programme.",
        format="webinar", starts_at=starts, ends_at=starts + datetime.timedelta(hours=1),
        online=True, space=Space.objects.get(slug="proches-aidants"), status="published",
        training=True,
    )  # fmt: skip
    assert list(access.training_events(pro)) == []
    assert list(access.training_events(caregiver_pro)) == [caregivers_only]
    assert list(access.training_events(account("Bob").member)) == []

    client = client_as(admin)
    response = client.post(
        f"/evenements/{caregivers_only.pk}/modifier/",
        {"title": "Formation : accompagner les aidants", "format": "webinar",
         "description": "Programme.", "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
         "ends_at": (starts + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
         "online": "on", "status": "published",
         "speakers-TOTAL_FORMS": "0", "speakers-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert Event.objects.get(pk=caregivers_only.pk).training is False


def test_the_campaign_api_creates_changes_and_deletes_with_the_page_services(admin, client_as):
    client = client_as(admin)
    response = client.post(
        "/api/pro/research/campaigns/",
        {"title": "Mars bleu", "kind": "screening", "summary": "Dépistage.",
         "starts_on": "2027-03-31", "ends_on": "2027-03-01", "articles": [99999999]},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400 and set(response.json()) == {"articles"}
    response = client.post(
        "/api/pro/research/campaigns/",
        {"title": "Mars bleu", "kind": "screening", "summary": "Dépistage.",
         "starts_on": "2027-03-31", "ends_on": "2027-03-01"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400 and set(response.json()) == {"ends_on"}
    assert not Campaign.objects.exists()
    response = client.post(
        "/api/pro/research/campaigns/",
        {"title": "Mars bleu", "kind": "screening", "summary": "Dépistage.",
         "starts_on": "2027-03-01", "ends_on": "2027-03-31", "body": "## Qui ?\nDès 50 ans."},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201
    slug = response.json()["slug"]
    campaign = Campaign.objects.get(slug=slug)
    assert "<h3>Qui ?</h3>" in campaign.body_html and not campaign.published
    response = client.patch(
        f"/api/pro/research/campaigns/{slug}/", {"published": True, "kind": "nothing"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400 and set(response.json()) == {"kind"}
    response = client.patch(
        f"/api/pro/research/campaigns/{slug}/", {"published": True},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200 and response.json()["published"] is True
    assert Campaign.objects.get(pk=campaign.pk).title == "Mars bleu"
    assert client.delete(f"/api/pro/research/campaigns/{slug}/").status_code == 204
    assert not Campaign.objects.filter(pk=campaign.pk).exists()
    assert client.delete(f"/api/pro/research/campaigns/{slug}/").status_code == 404
