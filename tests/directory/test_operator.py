"""The operators' review of proposals (publish, correct then publish, refuse with a reason),
the proposer told by email once and then forgotten, every decision audited; resources in
Markdown cleaned like posts, published and unpublished."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_tenants.utils import schema_context

from provisioning import services as provisioning
from shared_apps.directory import jobs, selectors
from shared_apps.directory.models import Association, DirectoryEvent, Initiative, Resource, Review
from shared_apps.directory.selectors import Filters
from tenants.models import AuditEntry
from tests.directory.test_contrib import association_data, event_data, initiative_data, operator
from tests.jobs import JobQueue, committed

pytestmark = pytest.mark.django_db

DECISION = "shared_apps.directory.jobs.decision_email"


@pytest.fixture
def ops(db):
    with schema_context("public"):
        provisioning.platform_ensure()
        user = operator()
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        yield client


def propose(kind: str, data: dict):
    path = {"association": "association", "initiative": "initiative", "event": "evenement"}[kind]
    client = Client(HTTP_HOST="localhost")
    assert client.post(f"/annuaire/proposer/{path}/", data).status_code == 302


def decide(ops, path: str, data: dict):
    queue = JobQueue()
    with committed():
        response = ops.post(path, data)
    return response, queue


def test_the_queue_lists_waiting_proposals_oldest_first_with_constant_queries(
    ops,
):
    def page_queries(count: int) -> int:
        for number in range(count):
            Association.objects.create(
                name=f"A{number}", slug=f"a-{count}-{number}", description="."
            )
        with CaptureQueriesContext(connection) as queries:
            response = ops.get("/annuaire/operateurs/")
        assert response.status_code == 200
        return len(queries)

    ops.get("/annuaire/operateurs/")  # the host and the session, resolved and cached once
    assert page_queries(2) == page_queries(20)
    Association.objects.create(name="Publiée", slug="publiee", description=".", review="published")
    response = ops.get("/annuaire/operateurs/")
    names = [
        row.name
        for kind, rows in response.context["waiting"]
        if kind == "association"
        for row in rows
    ]
    assert "Publiée" not in names and names[:2] == ["A0", "A1"]


def test_publishing_tells_the_proposer_once_in_french_then_forgets_the_address(ops):
    propose("association", association_data())
    row = Association.objects.get()
    response, queue = decide(
        ops, f"/annuaire/operateurs/association/{row.pk}/",
        {**association_data(name="Souffle Solidaire Bretagne"), "action": "publish"},
    )  # fmt: skip
    assert (response.status_code, response["Location"]) == (302, "/annuaire/operateurs/")
    row.refresh_from_db()
    # Corrected, then published.
    assert (row.review, row.name) == (Review.PUBLISHED, "Souffle Solidaire Bretagne")
    assert row.published_at is not None
    assert queue.names() == [DECISION]
    queue.run()
    (message,) = mail.outbox
    assert message.to == ["camille@example.org"]
    with translation.override("fr"):
        assert translation.gettext("Hello,") in message.body
    assert "Souffle Solidaire Bretagne" in message.body
    # Links on the platform's primary domain.
    assert "http://localhost/" in message.body or "https://localhost/" in message.body
    row.refresh_from_db()
    assert row.proposer_email == ""
    # Run again: nothing more is sent.
    jobs.decision_email.func.__wrapped__(kind="association", listing_id=row.pk)
    assert len(mail.outbox) == 1
    (entry,) = AuditEntry.objects.filter(action="directory.publish")
    assert entry.actor == "operateur" and entry.detail == {"kind": "association", "id": row.pk}
    assert "camille" not in str(entry.detail)


def test_refusing_needs_a_reason_which_the_proposer_reads(ops):
    propose("initiative", initiative_data())
    row = Initiative.objects.get()
    path = f"/annuaire/operateurs/initiative/{row.pk}/"
    response, queue = decide(ops, path, {"action": "refuse", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["refusal"].errors
    assert queue.names() == []
    row.refresh_from_db()
    assert row.review == Review.PROPOSED

    response, queue = decide(
        ops, path, {"action": "refuse", "reason": "Hors du champ de l'annuaire."}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.review, row.refusal_reason) == (Review.REFUSED, "Hors du champ de l'annuaire.")
    queue.run()
    (message,) = mail.outbox
    assert "Hors du champ de l'annuaire." in message.body
    assert "/annuaire/proposer/" in message.body
    row.refresh_from_db()
    assert row.proposer_email == ""
    assert AuditEntry.objects.filter(action="directory.refuse", detail__id=row.pk).count() == 1
    # Decided: it leaves the queue, and its page is gone.
    assert ops.get(path).status_code == 404


def test_a_correction_that_breaks_a_rule_re_renders_and_publishes_nothing(ops):
    propose("event", event_data())
    row = DirectoryEvent.objects.get()
    response, queue = decide(
        ops, f"/annuaire/operateurs/event/{row.pk}/",
        {**event_data(ends_at="2027-03-04T10:00"), "action": "publish"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "ends_at" in response.context["edit"].errors
    row.refresh_from_db()
    assert row.review == Review.PROPOSED and queue.names() == []
    assert AuditEntry.objects.filter(action="directory.publish").count() == 0


def test_resources_are_written_in_markdown_cleaned_and_published(ops):
    response = ops.post(
        "/annuaire/operateurs/ressources/nouvelle/",
        {"title": "Animer un webinaire", "summary": "Pas à pas.",
         "body": "## Préparer\n\n<script>alert(1)</script>**Tester** le son."},
    )  # fmt: skip
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert "<script" not in resource.body_html and "<strong>Tester</strong>" in resource.body_html
    assert resource.published is False and resource.slug == "animer-un-webinaire"
    ops.post(f"/annuaire/operateurs/ressources/{resource.pk}/publication/", {"published": "1"})
    resource.refresh_from_db()
    assert resource.published and resource.published_at is not None
    ops.post(f"/annuaire/operateurs/ressources/{resource.pk}/publication/", {"published": "0"})
    resource.refresh_from_db()
    assert not resource.published
    assert list(
        AuditEntry.objects.filter(detail__id=resource.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["directory.resource_save", "directory.resource_publish", "directory.resource_unpublish"]
    # A 1 MB body re-renders with a message.
    response = ops.post(
        f"/annuaire/operateurs/ressources/{resource.pk}/",
        {"title": "Animer", "summary": "Pas à pas.", "body": "x" * 1_000_000},
    )
    assert response.status_code == 200 and "body" in response.context["form"].errors
    resource.refresh_from_db()
    assert resource.title == "Animer un webinaire"


def test_an_events_review_shows_its_dates_and_publishes_them_unchanged(ops):
    propose("event", event_data())
    row = DirectoryEvent.objects.get()
    page = ops.get(f"/annuaire/operateurs/event/{row.pk}/").content.decode()
    assert 'value="2027-03-05T10:00"' in page and 'value="2027-03-05T12:00"' in page
    response, queue = decide(
        ops, f"/annuaire/operateurs/event/{row.pk}/", {**event_data(), "action": "publish"}
    )
    assert response.status_code == 302
    published = DirectoryEvent.objects.get()
    assert (published.review, published.starts_at) == (Review.PUBLISHED, row.starts_at)


def test_a_proposed_initiative_is_found_by_search_only_once_published(ops):
    propose("initiative", initiative_data(title="Randonnée des aidants finistériens"))
    row = Initiative.objects.get()

    def found() -> list[int]:
        return [hit.id for hit in selectors.search("randonnee finisteriens", Filters())]

    assert found() == []  # waiting for review: nowhere to be found
    data = {**initiative_data(title="Randonnée des aidants finistériens"), "action": "publish"}
    decide(ops, f"/annuaire/operateurs/initiative/{row.pk}/", data)
    assert found() == [row.pk]  # accents folded, as the networks' search does
