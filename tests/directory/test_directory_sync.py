"""The platform directory: which events the events' job copies to the public table, what the
copy holds (nothing about a member), and what empties it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from provisioning import services as provisioning
from shared_apps.directory import selectors
from shared_apps.directory.models import DirectoryEvent
from shared_apps.directory.selectors import Filters
from shared_apps.directory.services import summary_plain
from tenant_apps.events import services
from tenant_apps.events.jobs import directory_sync
from tenant_apps.events.models import Event
from tenant_apps.members.models import Role, Space
from tests.events.factories import event_make
from tests.jobs import JobQueue, committed
from tests.members.factories import account

pytestmark = pytest.mark.django_db

SYNC = "tenant_apps.events.jobs.directory_sync"


@pytest.fixture
def admin(tenant):
    return account("Alice", Role.ADMIN).member


def rows(tenant) -> list[DirectoryEvent]:
    with schema_context("public"):
        return list(DirectoryEvent.objects.filter(tenant=tenant))


def sync(event_id: int) -> None:
    directory_sync.func.__wrapped__(event_id=event_id)


def test_a_published_event_for_everyone_is_listed_once_however_often_the_job_runs(admin, tenant):
    queue = JobQueue()
    with committed():
        event = event_make(
            author=admin, title="Marche au parc", description="Venez **nombreux** <b>x</b>",
            in_directory=True,
        )  # fmt: skip
    assert queue.names() == [SYNC]
    queue.run()
    sync(event.pk)  # again: the same row, unchanged
    (row,) = rows(tenant)
    assert (row.event_id, row.title, row.format) == (event.pk, "Marche au parc", "webinar")
    assert row.network_name == tenant.branding.display_name
    assert row.url.startswith("http") and row.url.endswith(f"/evenements/{event.pk}/")
    assert "<" not in row.summary and "*" not in row.summary
    assert row.summary.startswith("Venez nombreux")
    assert row.starts_at == event.starts_at and row.online is True

    # A change is copied; taking it out of the directory removes it.
    with committed():
        services.event_update(event=event, by=admin, title="Marche au lac")
    sync(event.pk)
    assert [r.title for r in rows(tenant)] == ["Marche au lac"]
    with committed():
        services.event_update(event=event, by=admin, in_directory=False)
    sync(event.pk)
    sync(event.pk)
    assert rows(tenant) == []


def test_drafts_space_only_and_cancelled_events_are_never_listed(admin, tenant):
    draft = event_make(author=admin, in_directory=True, status=Event.Status.DRAFT)
    space = Space.objects.create(name="Proches", slug="proches-dir")
    kept = event_make(author=admin, in_directory=True, space=space)
    listed = event_make(author=admin, in_directory=True)
    for event in (draft, kept, listed):
        sync(event.pk)
    assert [r.event_id for r in rows(tenant)] == [listed.pk]

    queue = JobQueue()
    with committed():
        services.event_cancel(event=listed, by=admin)
    assert SYNC in queue.names()
    queue.run(SYNC)
    assert rows(tenant) == []
    sync(listed.pk)  # the cancelled event stays out
    assert rows(tenant) == []

    # Publishing the draft lists it; unpublishing it takes it out.
    services.event_update(event=draft, by=admin, status=Event.Status.PUBLISHED)
    sync(draft.pk)
    assert [r.event_id for r in rows(tenant)] == [draft.pk]
    services.event_update(event=draft, by=admin, status=Event.Status.DRAFT)
    sync(draft.pk)
    assert rows(tenant) == []


def test_an_event_not_meant_for_the_directory_defers_nothing(admin):
    queue = JobQueue()
    with committed():
        event = event_make(author=admin)
        services.event_update(event=event, by=admin, title="Autre titre")
    assert SYNC not in queue.names()


def test_the_table_holds_no_member_data():
    names = {field.name for field in DirectoryEvent._meta.get_fields()}
    assert names == {
        "id", "tenant", "event_id", "title", "summary", "format", "starts_at", "ends_at",
        "online", "place", "network_name", "url", "updated", "region", "pathologies",
        # The review, for events submitted through the directory's form: the proposer's
        # address is emptied once they are told the decision, and a network's rows have none.
        "review", "refusal_reason", "proposer_email", "created", "published_at",
        "search_vector",
        # The ids of its directory pathologies, for the facets (search.reindex).
        "pathology_ids",
    }  # fmt: skip


def test_the_job_never_joins_the_two_schemas(admin, tenant):
    event = event_make(author=admin, in_directory=True)
    with CaptureQueriesContext(connection) as queries:
        sync(event.pk)
    assert rows(tenant)
    for query in queries.captured_queries:
        sql = query["sql"]
        assert not ("events_event" in sql and "directory_directoryevent" in sql), sql


def test_suspending_the_network_empties_its_rows(admin, tenant, other_tenant):
    event = event_make(author=admin, in_directory=True)
    sync(event.pk)
    with schema_context("public"):
        other = DirectoryEvent.objects.create(
            tenant=other_tenant, event_id=event.pk, title="Ailleurs", format="webinar",
            starts_at=event.starts_at, ends_at=event.ends_at, network_name="Beta",
            url="https://beta.example.org/evenements/1/",
        )  # fmt: skip
    provisioning.tenant_suspend(slug=tenant.slug, actor="operator:1")
    try:
        assert rows(tenant) == []
        assert [r.pk for r in rows(other_tenant)] == [other.pk]
        # While suspended, the job removes instead of writing.
        tenant.refresh_from_db()
        sync(event.pk)
        assert rows(tenant) == []
    finally:
        queue = JobQueue()
        with committed():
            provisioning.tenant_resume(slug=tenant.slug, actor="operator:1")
    # Back online, its events meant for the directory are listed again.
    assert queue.names() == [SYNC]
    tenant.refresh_from_db()  # the connection's tenant, as the worker would load it
    queue.run()
    assert [r.event_id for r in rows(tenant)] == [event.pk]


def test_the_summary_is_short_plain_text():
    text = summary_plain("<p>Un &lt;b&gt;gras&lt;/b&gt;\n\n<em>texte</em></p>" + "<p>x</p>" * 400)
    assert text.startswith("Un gras texte")
    assert "<" not in text and "\n" not in text and len(text) <= 300


def test_a_network_s_event_is_found_by_the_directory_s_search_and_keeps_its_first_publication(
    admin, tenant
):
    event = event_make(author=admin, title="Marche thérapeutique au parc", in_directory=True)
    sync(event.pk)
    (row,) = rows(tenant)
    first = row.published_at
    with schema_context("public"):
        hits = selectors.search("marche therapeutique", Filters())
    assert [(hit.kind, hit.id) for hit in hits] == [("event", row.pk)]
    sync(event.pk)
    (row,) = rows(tenant)
    assert row.published_at == first
