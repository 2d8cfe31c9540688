"""The statistics' pages: an admin builds a report, previews it (no count shown), publishes
it once however many times the button is pressed, reads its charts and table, downloads its
CSV, shares it and lists it; the shared link shows that release only, frozen; the budget's
refusal comes back on the form with what was chosen; bad input never answers 500."""

import csv
import io

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from shared_apps.directory.models import InsightListing
from tenant_apps.insights import listing
from tenant_apps.insights.models import BudgetSpend, PrivacyBudget, Release
from tenant_apps.members import services as members
from tests.insights.world import people

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Nos membres en 2026",
    "measure": "members",
    "first": "pathology",
    "second": "region",
    "period_start": "2026-01",
    "period_end": "2026-12",
    "threshold": "10",
    "epsilon": "1.00",
}


@pytest.fixture
def crowd(tenant):
    """Sixty consenting members with a lung cancer in Île-de-France, three in Bretagne (a
    cell that must be hidden), and some who did not consent."""
    lung = members.pathology_create(name="Cancer du poumon")
    people(60, department="75", pathologies=(lung,))
    people(3, department="29", pathologies=(lung,))
    people(20, department="75", pathologies=(lung,), consent=False)
    return lung


@pytest.fixture
def admin(client_as):
    return client_as("admin")


def _draft(admin, **changes) -> Release:
    response = admin.post("/association/statistiques/nouveau/", {**FORM, **changes})
    assert response.status_code == 302, response.content[:2000]
    release = Release.objects.get(title=changes.get("title", FORM["title"]))
    assert response["Location"] == f"/association/statistiques/{release.pk}/"
    return release


def _cells(content: bytes, state: str) -> int:
    return content.count(f'data-state="{state}"'.encode())


def test_build_preview_publish_share_and_list(admin, client_as, crowd, tenant):
    release = _draft(admin)
    preview = admin.get(f"/association/statistiques/{release.pk}/")
    assert preview.status_code == 200
    # The preview counts nothing: which figures would be published or hidden, no number.
    assert _cells(preview.content, "hidden") > 0 and _cells(preview.content, "published") > 0
    assert b'data-value="6' not in preview.content and b"insights-bars" not in preview.content
    assert release.status == Release.Status.DRAFT and not BudgetSpend.objects.exists()

    # Published once, however many times the button is pressed.
    for _ in range(3):
        done = admin.post(f"/association/statistiques/{release.pk}/publier/")
        assert done["Location"] == f"/association/statistiques/{release.pk}/"
    release.refresh_from_db()
    assert release.status == Release.Status.PUBLISHED
    assert BudgetSpend.objects.get().epsilon == release.epsilon
    assert PrivacyBudget.objects.get().epsilon_spent == release.epsilon

    page = admin.get(f"/association/statistiques/{release.pk}/")
    assert page.status_code == 200
    assert page.content.count(b'role="img"') == 2  # by pathology, by région
    assert b"<title id=" in page.content and b"<desc id=" in page.content
    # Bretagne's three members are hidden; Île-de-France's sixty are published.
    table = page.context["view"].table
    lung = next(row for row in table.rows if row.label == "Cancer du poumon")
    by_region = dict(zip([c.key for c in table.columns], lung.cells, strict=True))
    assert by_region["53"].hidden and by_region["53"].value is None
    assert isinstance(by_region["11"].value, int) and not by_region["11"].hidden
    assert page.context["view"].hidden_count == release.result["hidden"] > 0

    rows = list(
        csv.reader(
            io.StringIO(
                admin.get(
                    f"/association/statistiques/{release.pk}/statistiques.csv"
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert rows[0] == ["Nos membres en 2026"]

    # Shared: anyone with the link reads it, signed out; the CSV too.
    admin.post(f"/association/statistiques/{release.pk}/partage/", {"on": "on"})
    release.refresh_from_db()
    assert release.shared
    outside = client_as("anonymous").get(f"/statistiques/{release.share_token}/")
    assert outside.status_code == 200
    assert outside.context["release"] == release
    shared_csv = client_as("anonymous").get(f"/statistiques/{release.share_token}/statistiques.csv")
    assert shared_csv.status_code == 200 and shared_csv["Content-Type"].startswith("text/csv")

    # Listed: the directory's copy links to the shared page.
    admin.post(f"/association/statistiques/{release.pk}/annuaire/", {"on": "on"})
    assert listing.release_directory_copy(release_id=release.pk) is True
    with schema_context("public"):
        copy = InsightListing.objects.get(release_id=release.pk)
        assert copy.url.endswith(f"/statistiques/{release.share_token}/")
    connection.set_tenant(tenant)
    # Unshared: the link is gone, and so is the directory's copy.
    admin.post(f"/association/statistiques/{release.pk}/partage/", {"on": ""})
    assert client_as("anonymous").get(f"/statistiques/{release.share_token}/").status_code == 404
    assert listing.release_directory_copy(release_id=release.pk) is False
    with schema_context("public"):
        assert not InsightListing.objects.filter(release_id=release.pk).exists()
