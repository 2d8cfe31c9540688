"""The directory API's behaviour beyond who may call it (tests/test_matrix_directory_api.py):
filters and search like the pages, pages of results with a fixed number of queries, and an
operator's bad input answered 400 with errors by field, never 500, writing nothing."""

import json

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from provisioning import services as provisioning
from shared_apps.accounts.services import operator_create
from shared_apps.directory import selectors
from shared_apps.directory.models import Association, DirectoryEvent, Initiative, Review
from shared_apps.directory.selectors import Filters
from tests.directory import browse_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous():
    with schema_context("public"):
        provisioning.platform_ensure()
        return Client(HTTP_HOST="localhost")


@pytest.fixture
def operator(anonymous):
    with schema_context("public"):
        user = operator_create(username="ops", email="ops@example.org", password="x-long-1-pw")
        TOTP.activate(user, generate_totp_secret())
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
    return client


def send(client, method: str, path: str, body) -> tuple[int, dict]:
    with schema_context("public"):
        response = getattr(client, method)(
            path, data=json.dumps(body), content_type="application/json"
        )
    return response.status_code, response.json()


def get(client, path: str) -> dict:
    with schema_context("public"):
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.json()


@pytest.fixture
def cancer():
    return data.pathology("Cancer du poumon")


def test_lists_take_the_pages_filters_and_search(anonymous, cancer):
    bzh = data.association("Souffles d'Armor", pathologies=[cancer], regions=["53"])
    finistere = data.association("Entraide Finistère", departments=["29"])
    data.association("Souffles de Paris", pathologies=[cancer], regions=["11"])
    data.association("Souffles cachés", regions=["53"], review=Review.PROPOSED)
    ids = lambda page: [row["id"] for row in page["results"]]  # noqa: E731
    assert ids(get(anonymous, "/api/annuaire/associations/?region=53")) == [finistere.pk, bzh.pk]
    query = "/api/annuaire/associations/?region=53&pathology=cancer-du-poumon"
    assert ids(get(anonymous, query)) == [bzh.pk]
    # Accents optional, like the pages; the same rows as the selector the pages use.
    page = get(anonymous, "/api/annuaire/associations/?q=souffles%20armor")
    expected = selectors.listings("association", Filters(q="souffles armor"))
    assert ids(page) == list(expected.values_list("pk", flat=True)) == [bzh.pk]
    # A filter that does not concern associations (a form of initiative) leaves none.
    assert get(anonymous, "/api/annuaire/associations/?form=volunteer")["count"] == 0


def test_pages_of_results_read_a_fixed_number_of_queries(
    anonymous, cancer, django_assert_max_num_queries
):
    theme = data.theme("Information")
    for n in range(3):
        data.initiative(f"Initiative {n}", pathologies=[cancer], themes=[theme])
    get(anonymous, "/api/annuaire/initiatives/")  # the host's lookup, cached once
    with django_assert_max_num_queries(8) as small:
        first = get(anonymous, "/api/annuaire/initiatives/?page_size=50")
    for n in range(30):
        data.initiative(f"Autre {n}", pathologies=[cancer], themes=[theme])
    with django_assert_max_num_queries(8) as large:
        second = get(anonymous, "/api/annuaire/initiatives/?page_size=50")
    assert (first["count"], len(second["results"])) == (3, 33)
    assert len(small.captured_queries) == len(large.captured_queries)
    assert second["results"][0]["pathologies"] == ["cancer-du-poumon"]
    assert second["results"][0]["themes"] == ["information"]
    paged = get(anonymous, "/api/annuaire/initiatives/?page_size=10&page=4")
    assert (len(paged["results"]), paged["next"]) == (3, None)


VALID = {
    "name": "Association fictive Les Ailes",
    "description": "Écoute et entraide.",
    "regions": ["53"],
    "pathologies": ["cancer-du-poumon"],
    "legal_form": "association",
}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"regions": ["99"]}, "regions"),
        ({"pathologies": ["inventee"]}, "pathologies"),
        ({"rna": "W12"}, "rna"),
        ({"approval": "regional"}, "approval_ends"),
        ({"description": "x" * 1_000_000}, "description"),
        ({"name": ""}, "name"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"legal_form": "sarl"}, "legal_form"),
        ({"regions": "53"}, "regions"),
        ({"approval_ends": "demain"}, "approval_ends"),
    ],
)
def test_bad_input_is_400_with_its_field_and_writes_nothing(operator, cancer, changes, field):
    status, body = send(operator, "post", "/api/annuaire/associations/", {**VALID, **changes})
    assert status == 400, body
    assert field in body, body
    assert not Association.objects.exists()


def test_initiatives_and_events_are_checked_by_the_review_forms_rules(operator, cancer):
    initiative = {
        "title": "Podcast fictif", "description": "Des voix.", "carrier": "patient",
        "form": "volunteer", "motivation": "Partager.", "success_text": "La ténacité.",
        "activity": "active", "region": "53", "department": "2A",
    }  # fmt: skip
    status, body = send(operator, "post", "/api/annuaire/initiatives/", initiative)
    assert (status, list(body)) == (400, ["department"])
    status, body = send(
        operator, "post", "/api/annuaire/initiatives/", {**initiative, "region": ""}
    )
    assert status == 201, body
    assert (body["region"], body["department"], body["review"]) == ("94", "2A", "proposed")

    start = timezone.now() + timezone.timedelta(days=3)
    event = {
        "title": "Atelier fictif", "format": "in_person", "starts_at": start.isoformat(),
        "ends_at": (start - timezone.timedelta(hours=1)).isoformat(), "online": False,
        "place": "", "network_name": "Association fictive", "url": "https://e.example/",
    }  # fmt: skip
    status, body = send(operator, "post", "/api/annuaire/evenements/", event)
    assert (status, set(body)) == (400, {"ends_at", "place"})
    assert not DirectoryEvent.objects.exists()


def test_an_operator_publishes_a_proposal_with_corrections_and_it_is_found(operator, cancer):
    status, created = send(operator, "post", "/api/annuaire/associations/", VALID)
    assert (status, created["review"]) == (201, "proposed")
    pk = created["id"]
    # A proposal is corrected as it is published, not before.
    status, body = send(operator, "patch", f"/api/annuaire/associations/{pk}/", {"name": "X"})
    assert (status, list(body)) == (400, ["review"])
    status, body = send(
        operator,
        "post",
        f"/api/annuaire/associations/{pk}/publish/",
        {"name": "Association fictive Les Ailes du Léon"},
    )
    assert (status, body["review"], body["name"]) == (
        200,
        "published",
        "Association fictive Les Ailes du Léon",
    )
    found = selectors.listings("association", Filters(q="ailes leon"))
    assert list(found.values_list("pk", flat=True)) == [pk]
    # Published, it can no longer be refused; refusing needs a reason.
    status, body = send(
        operator, "post", f"/api/annuaire/associations/{pk}/refuse/", {"reason": "Non"}
    )
    assert status == 400 and body, body
    proposal = data.association("Autre", review=Review.PROPOSED)
    status, body = send(
        operator, "post", f"/api/annuaire/associations/{proposal.pk}/refuse/", {"reason": " "}
    )
    assert (status, list(body)) == (400, ["reason"])
    assert Association.objects.get(pk=proposal.pk).review == Review.PROPOSED


def test_a_forged_id_or_a_networks_event_is_404_for_an_operator(operator, tenant):
    status, _body = send(operator, "patch", "/api/annuaire/associations/987654/", {"name": "X"})
    assert status == 404
    start = timezone.now() + timezone.timedelta(days=2)
    synced = data.event("Du réseau", tenant=tenant, event_id=7, starts_at=start,
                        ends_at=start + timezone.timedelta(hours=1))  # fmt: skip
    status, _body = send(
        operator, "patch", f"/api/annuaire/evenements/{synced.pk}/", {"title": "Changé"}
    )
    assert status == 404
    assert DirectoryEvent.objects.get(pk=synced.pk).title == "Du réseau"
    assert not Initiative.objects.exists()


def test_the_schema_documents_every_endpoint_without_a_warning():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    from shared_apps.directory import urls_api

    GENERATOR_STATS.reset()
    schema = SchemaGenerator(urlconf=urls_api._schema_urlconf).get_schema(public=True)
    assert not GENERATOR_STATS, dict(GENERATOR_STATS._warn_cache)
    validate_schema(schema)
    operations = {
        operation["operationId"]
        for methods in schema["paths"].values()
        for operation in methods.values()
    }
    for prefix in ("associations", "initiatives", "evenements", "ressources"):
        for suffix in ("list", "create", "retrieve", "partial_update", "publish_create"):
            assert f"{prefix}_{suffix}" in operations, (prefix, suffix)
    assert {"associations_refuse_create", "facettes_retrieve"} <= operations
    assert "ressources_refuse_create" not in operations
