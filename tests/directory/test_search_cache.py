"""The directory's search answers are kept per directory version (``search_cache``): every
kind of write makes the next search see it, an event that has ended drops out, a kept
answer costs one query, and writers never wait for each other on the version."""

from datetime import timedelta

import psycopg
import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from provisioning import services as provisioning
from shared_apps.directory import csv_io, search, search_cache, selectors, services
from shared_apps.directory.models import Association, DirectoryEvent, Initiative, Review
from shared_apps.directory.selectors import Filters
from tests.directory import browse_data as data

pytestmark = pytest.mark.django_db


def found(text: str, **filters) -> list[str]:
    """What the search page shows for the text: its hits' labels (the ranked page, kept)."""
    return sorted(hit.label for hit in selectors.search(text, Filters(q=text, **filters)))


def counted(text: str, **filters) -> dict[str, int]:
    """The kinds' counts beside the search (the facets, kept)."""
    return selectors.facets(None, Filters(q=text, **filters))["kinds"]


def test_an_answer_asked_again_costs_one_query_and_is_the_same(django_assert_num_queries):
    data.initiative("Marche bleue", pathologies=[data.pathology("Asthme")])
    first = selectors.search("bleue", Filters(q="bleue"))
    facets = selectors.facets(None, Filters(q="bleue"))
    with django_assert_num_queries(2):  # the version, once for each answer
        again = selectors.search("bleue", Filters(q="bleue"))
        assert selectors.facets(None, Filters(q="bleue")) == facets
    assert [(h.kind, h.id, h.label, h.obj.pk) for h in again] == [
        (h.kind, h.id, h.label, h.obj.pk) for h in first
    ]
    # Each answer is its own copy: what a page writes on a row stays on its page.
    again[0].obj.areas = ["written by a page"]
    assert not hasattr(selectors.search("bleue", Filters(q="bleue"))[0].obj, "areas")


def _versions_read(queries: CaptureQueriesContext) -> int:
    return sum("directory_searchversion" in q["sql"] for q in queries.captured_queries)


def test_a_page_reads_the_version_once_and_a_later_write_is_seen():
    """One GET of the search page: its facets and its ranked page share one reading of the
    version; the request over, a write is seen by the next search (no version left behind)."""
    with schema_context("public"):
        provisioning.platform_ensure()
        data.initiative("Marche bleue")
        client = Client(HTTP_HOST="localhost")
        for _ in range(2):  # computed, then kept
            with CaptureQueriesContext(connection) as queries:
                page = client.get("/annuaire/recherche/?q=bleue")
            assert page.status_code == 200
            assert "Marche bleue" in page.content.decode()
            assert _versions_read(queries) == 1
        data.initiative("Marche bleue et blanche")
        assert found("bleue") == ["Marche bleue", "Marche bleue et blanche"]
        with search_cache.one_version(), CaptureQueriesContext(connection) as queries:
            selectors.facets(None, Filters(q="bleue"))
            selectors.search("bleue", Filters(q="bleue"))
        assert _versions_read(queries) == 1


def test_a_question_is_its_text_filters_and_page():
    data.initiative("Marche bleue", region="53")
    data.initiative("Marche rouge", region="11")
    assert found("marche") == ["Marche bleue", "Marche rouge"]
    assert found("marche", regions=("53",)) == ["Marche bleue"]
    assert found("rouge") == ["Marche rouge"]
    page = selectors.search("marche", Filters(q="marche"), offset=1, limit=1)
    assert [hit.label for hit in page] == ["Marche rouge"]
    assert counted("marche", regions=("11",))["initiative"] == 1


def test_publishing_refusing_editing_and_deleting_are_seen_at_once():
    proposal = data.initiative("Marche bleue", review=Review.PROPOSED)
    other = data.initiative("Atelier bleu", review=Review.PROPOSED)
    assert found("bleue") == []
    services.listing_publish(listing=proposal, operator="operator:1")
    assert found("bleue") == ["Marche bleue"]
    assert counted("bleue")["initiative"] == 1
    # A refusal shows nothing new, but it is a write: the version moves all the same.
    before = search_cache.version()
    services.listing_refuse(listing=other, operator="operator:1", reason="Hors sujet")
    assert search_cache.version() != before
    # An edit (any writer: here the queryset's own update and the search document).
    Initiative.objects.filter(pk=proposal.pk).update(
        title="Randonnée verte", description="Dans les bois"
    )
    search.reindex(Initiative, [proposal.pk])
    assert found("bleue") == []
    assert found("verte") == ["Randonnée verte"]
    Initiative.objects.get(pk=proposal.pk).delete()
    assert found("verte") == []
    assert counted("verte")["initiative"] == 0


def test_a_manager_editing_their_listing_is_seen(django_user_model):
    association = data.association("Les Souffles")
    user = django_user_model.objects.create_user(username="manager", password="x" * 12)
    association.managers.add(user)
    assert found("souffles") == ["Les Souffles"]
    values = {
        "name": "Les Grands Vents", "description": "Au large",
        "pathologies": [], "regions": [], "departments": [],
    }  # fmt: skip
    services.association_manage(association=association, user=user, values=values)
    assert found("souffles") == []
    assert found("vents") == ["Les Grands Vents"]


def test_a_link_or_a_pathology_changing_changes_the_counts():
    asthme, lupus = data.pathology("Asthme"), data.pathology("Lupus")
    row = data.association("Les Souffles", pathologies=[asthme])
    assert selectors.facets(None, Filters())["pathologies"] == {"asthme": 1}
    row.pathologies.add(lupus)  # the link table alone, before any reindex
    assert found("souffles", pathologies=("lupus",)) == ["Les Souffles"]
    search.reindex(Association, [row.pk])
    assert selectors.facets(None, Filters())["pathologies"] == {"asthme": 1, "lupus": 1}
    lupus.slug = "lupus-erythemateux"
    lupus.save()
    assert selectors.facets(None, Filters())["pathologies"] == {
        "asthme": 1,
        "lupus-erythemateux": 1,
    }


def test_a_network_event_synced_in_and_out_is_seen(tenant):
    start = timezone.now() + timedelta(days=3)
    listing = services.Listing(
        event_id=7, title="Webinaire souffle", description_html="<p>Retrouver son souffle</p>",
        format="webinar", starts_at=start, ends_at=start + timedelta(hours=1), online=True,
        place="", network_name="Réseau alpha", url="https://alpha.example/e/7",
    )  # fmt: skip
    with schema_context("public"):
        assert found("souffle") == []
    services.directory_event_upsert(tenant_id=tenant.pk, listing=listing)
    with schema_context("public"):
        assert found("souffle") == ["Webinaire souffle"]
    services.directory_event_upsert(
        tenant_id=tenant.pk, listing=services.Listing(**{**listing.__dict__, "title": "Café"})
    )
    with schema_context("public"):
        assert found("souffle") == ["Café"]  # the summary still says it
        assert found("webinaire") == []
    services.directory_network_remove(tenant=tenant)
    with schema_context("public"):
        assert found("souffle") == []


def test_an_import_is_seen_before_and_after_its_search_documents(tmp_path):
    data.pathology("Asthme")
    assert counted("")["association"] == 0
    text = "\n".join(
        [
            ",".join(c.name for c in csv_io.ASSOCIATION_COLUMNS),
            ",Les Souffles importés,Groupes de parole,asthme,53,,,,,association,,,",
        ]
    )
    parsed = csv_io.parse(text)
    assert parsed.errors == []
    ids = csv_io.import_rows(parsed)
    assert counted("")["association"] == 1  # listed, not yet found by its words
    assert found("importes") == []
    search.reindex(Association, ids)
    assert found("importes") == ["Les Souffles importés"]


def test_an_event_drops_out_when_it_ends_with_no_write(monkeypatch):
    now = timezone.now()
    data.event("Webinaire souffle", days=0, starts_at=now, ends_at=now + timedelta(hours=1))
    data.event("Marche souffle", days=0, starts_at=now, ends_at=now + timedelta(hours=5))
    assert found("souffle") == ["Marche souffle", "Webinaire souffle"]
    assert counted("souffle")["event"] == 2
    later = now + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert found("souffle") == ["Marche souffle"]
    assert counted("souffle")["event"] == 1
    assert DirectoryEvent.objects.count() == 2  # nothing was written


def test_a_rolled_back_write_leaves_no_answer_behind():
    data.initiative("Marche bleue")
    before = search_cache.version()
    assert found("marche") == ["Marche bleue"]
    with pytest.raises(RuntimeError), transaction.atomic():
        data.initiative("Marche rouge")
        inside = search_cache.version()
        assert found("marche") == ["Marche bleue", "Marche rouge"]
        raise RuntimeError
    assert search_cache.version() == before
    assert found("marche") == ["Marche bleue"]
    data.initiative("Marche verte")
    # A version is never given twice: not the rolled back one's either.
    assert search_cache.version() not in (before, inside)
    assert found("marche") == ["Marche bleue", "Marche verte"]


def test_concurrent_writers_do_not_wait_for_each_other():
    """Two open transactions writing directory tables take two slots of the version; a
    third statement of the first keeps its slot. Outside the test's transaction (two
    connections of their own), rolled back."""
    settings = connection.settings_dict
    params = {
        "dbname": settings["NAME"], "user": settings["USER"], "host": settings["HOST"] or None,
        "port": settings["PORT"] or None, "password": settings["PASSWORD"] or None,
    }  # fmt: skip
    slots = (
        "SELECT slot FROM directory_searchversion"
        " WHERE version = currval('directory_searchversion_seq')"
    )
    first = psycopg.connect(**{k: v for k, v in params.items() if v is not None})
    second = psycopg.connect(**{k: v for k, v in params.items() if v is not None})
    try:
        second.execute("SET lock_timeout = '2s'")
        first.execute("UPDATE directory_theme SET name = name WHERE false")
        mine = first.execute(slots).fetchone()[0]
        second.execute("DELETE FROM directory_pathology WHERE false")
        theirs = second.execute(slots).fetchone()[0]
        first.execute("UPDATE directory_pathology SET name = name WHERE false")
        assert first.execute(slots).fetchone()[0] == mine
        assert mine != theirs
    finally:
        first.rollback()
        second.rollback()
        first.close()
        second.close()
