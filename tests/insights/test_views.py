"""The statistics' pages: an admin builds a report, previews it (nothing counted), publishes
it once however many times the button is pressed, reads its charts and table, downloads its
CSV, shares it and lists it; the shared link shows that release only, frozen; the budget's
refusal comes back on the form with what was chosen; bad input never answers 500."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from shared_apps.directory.models import InsightListing
from tenant_apps.insights import listing
from tenant_apps.insights.models import BudgetSpend, PrivacyBudget, Release
from tenant_apps.members import services as members
from tenants.models import Tenant
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
    """Consenting members with a lung cancer: sixty in Île-de-France, thirty in
    Auvergne-Rhône-Alpes, three in Bretagne (a cell that must be hidden); twenty-five with a
    mesothelioma in Auvergne-Rhône-Alpes; and some who did not consent."""
    lung = members.pathology_create(name="Cancer du poumon")
    meso = members.pathology_create(name="Mésothéliome")
    people(25, department="69", pathologies=(meso,))
    people(60, department="75", pathologies=(lung,))
    people(30, department="69", pathologies=(lung,))
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
    # The preview counts nothing and marks nothing hidden (decided at publication): every
    # figure is pending alike, whatever the threshold.
    assert _cells(preview.content, "hidden") == 0 and _cells(preview.content, "published") == 0
    assert _cells(preview.content, "pending") > 0 and b'id="preview-rule"' in preview.content
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
    # Bretagne's three members are hidden; Île-de-France's sixty are published. Eighteen
    # régions run down the table (three pathologies across).
    table = page.context["view"].table
    assert [c.label for c in table.columns][:2] == ["Cancer du poumon", "Mésothéliome"]
    lung = [c.key for c in table.columns].index(str(crowd.pk))
    by_region = {row.key: row.cells[lung] for row in table.rows}
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


def test_the_budget_refusal_comes_back_on_the_form_with_the_choices(admin, crowd):
    year = timezone.localdate().year
    PrivacyBudget.objects.create(year=year, epsilon_total="1.00", epsilon_spent="0.80")
    release = _draft(admin, epsilon="0.50")
    page = admin.get(f"/association/statistiques/{release.pk}/")
    assert b'id="budget-refusal"' in page.content and b'id="publish-form"' not in page.content
    # A forged publication is refused the same way: the message on ε, the choices kept.
    refused = admin.post(f"/association/statistiques/{release.pk}/publier/")
    assert refused.status_code == 400
    form = refused.context["form"]
    assert "0.20" in " ".join(form.errors["epsilon"])
    assert form["title"].value() == FORM["title"] and form["second"].value() == "region"
    release.refresh_from_db()
    assert release.status == Release.Status.DRAFT and not BudgetSpend.objects.exists()
    assert PrivacyBudget.objects.get(year=year).epsilon_spent == Decimal("0.80")


BAD_CHOICES = [
    ({"title": "x" * 1_000_000}, "title"),
    ({"title": "Avec\x00nul"}, "title"),
    ({"second": "pathology"}, "second"),
    ({"measure": "pseudonyms"}, "measure"),
    ({"first": "month"}, "first"),  # members have no month
    ({"period_start": "2026-13"}, "period_start"),
    ({"period_end": "2025-01"}, "period_end"),
    ({"threshold": "4"}, "threshold"),
    ({"epsilon": "100"}, "epsilon"),
    ({"epsilon": "NaN"}, "epsilon"),
]


def test_bad_choices_re_render_the_builder_with_what_was_typed(admin, tenant):
    for changes, field in BAD_CHOICES:
        response = admin.post("/association/statistiques/nouveau/", {**FORM, **changes})
        assert response.status_code == 400, changes
        form = response.context["form"]
        assert field in form.errors, (changes, form.errors)
        assert form["threshold"].value() == changes.get("threshold", FORM["threshold"])
    assert not Release.objects.exists()


def test_the_api_answers_bad_choices_with_field_errors(admin, tenant):
    cases = [
        ({"dimensions": ["region", "region"]}, "dimensions"),
        ({"dimensions": ["month"]}, "dimensions"),
        ({"epsilon": "9"}, "epsilon"),
        ({"threshold": 2}, "threshold"),
        ({"period_start": "2026-02-30"}, "period_start"),
        ({"title": "x" * 100_000}, "title"),
    ]
    body = {"title": "API", "measure": "members", "dimensions": ["region"],
            "period_start": "2026-01-01", "period_end": "2026-12-01"}  # fmt: skip
    for changes, field in cases:
        response = admin.post(
            "/api/insights/releases/", {**body, **changes}, content_type="application/json"
        )
        assert response.status_code == 400, (changes, response.content[:300])
        assert field in response.json(), (changes, response.json())
    garbage = admin.post("/api/insights/preview/", "{not json", content_type="application/json")
    assert garbage.status_code == 400
    assert not Release.objects.exists()


def test_forged_and_foreign_ids_are_404(admin, client_as, crowd, tenant, other_tenant):
    release = _draft(admin)
    for path in ("999999/", "99999999999999999999999/", f"{release.pk}0/statistiques.csv"):
        assert admin.get(f"/association/statistiques/{path}").status_code == 404, path
    # A draft's CSV is no file; a draft has no shared page, whatever its token.
    assert admin.get(f"/association/statistiques/{release.pk}/statistiques.csv").status_code == 302
    anonymous = client_as("anonymous")
    for token in (release.share_token, "inconnu", "x" * 65, "%00"):
        assert anonymous.get(f"/statistiques/{token}/").status_code == 404, token
    # Another network's shared release, asked on this network's host: 404.
    with tenant_context(other_tenant):
        beta = Release.objects.create(
            title="Beta", measure="members", dimensions=["region"], period_start="2026-01-01",
            period_end="2026-12-01", epsilon="1", status=Release.Status.PUBLISHED,
            published_at=timezone.now(), shared=True, result={"rows": []},
        )  # fmt: skip
    connection.set_tenant(tenant)
    assert anonymous.get(f"/statistiques/{beta.share_token}/").status_code == 404


def test_pages_query_counts_do_not_grow_with_the_releases(admin, client_as, crowd):
    published = _publish(admin, _draft(admin))
    _publish(admin, _draft(admin, title="Deux", epsilon="0.20"))
    admin.post(f"/association/statistiques/{published.pk}/partage/", {"on": "on"})
    anonymous = client_as("anonymous")
    counts = {}
    for size in (2, 6):
        while Release.objects.count() < size:
            _draft(admin, title=f"Brouillon {Release.objects.count()}")
        with CaptureQueriesContext(connection) as listed:
            assert admin.get("/association/statistiques/").status_code == 200
        with CaptureQueriesContext(connection) as shared:
            assert anonymous.get(f"/statistiques/{published.share_token}/").status_code == 200
        counts[size] = (len(listed), len(shared))
    assert counts[2] == counts[6], counts


def _publish(admin, release: Release) -> Release:
    assert admin.post(f"/association/statistiques/{release.pk}/publier/").status_code == 302
    release.refresh_from_db()
    assert release.status == Release.Status.PUBLISHED
    return release


def test_the_directory_lists_open_networks_only(client_as, admin, crowd, tenant):
    release = _publish(admin, _draft(admin))
    admin.post(f"/association/statistiques/{release.pk}/annuaire/", {"on": "on"})
    release.refresh_from_db()
    assert release.shared and release.listed_in_directory
    assert listing.release_directory_copy(release_id=release.pk) is True
    # Run twice: still one copy.
    assert listing.release_directory_copy(release_id=release.pk) is True
    with schema_context("public"):
        platform = Client(HTTP_HOST="localhost")
        page = platform.get("/annuaire/statistiques/")
        assert [row.release_id for row in page.context["rows"]] == [release.pk]
        summary = page.context["rows"][0].summary
        assert summary and summary == listing.summary(release)
        assert summary in page.content.decode()
        Tenant.objects.filter(pk=tenant.pk).update(status=Tenant.Status.SUSPENDED)
        assert platform.get("/annuaire/statistiques/").context["rows"] == []
        Tenant.objects.filter(pk=tenant.pk).update(status=Tenant.Status.ACTIVE)
        # A forged keyset is no page of its own, and never a 500.
        for after in ("2026-13-45T99:00~1", "x~y", "~" * 500):
            assert platform.get("/annuaire/statistiques/", {"apres": after}).status_code == 200
    connection.set_tenant(tenant)


def test_the_api_refuses_what_the_budget_cannot_pay_on_epsilon(admin, crowd):
    PrivacyBudget.objects.create(
        year=timezone.localdate().year, epsilon_total="1.00", epsilon_spent="0.90"
    )
    body = {
        "title": "Trop cher",
        "measure": "members",
        "dimensions": ["region"],
        "period_start": "2026-01-01",
        "period_end": "2026-12-01",
        "epsilon": "0.50",
    }
    refused = admin.post("/api/insights/releases/", body, content_type="application/json")
    assert refused.status_code == 400
    assert "0.10" in " ".join(refused.json()["epsilon"])
    assert not Release.objects.filter(status=Release.Status.PUBLISHED).exists()
    preview = admin.post("/api/insights/preview/", body, content_type="application/json")
    assert preview.status_code == 200 and "0.10" in preview.json()["refusal"]


def test_the_release_list_never_shows_the_exact_number_of_consenting_members(admin, tenant):
    """One member consenting or withdrawing must not show on the admins' page: under the
    threshold it says "fewer than"; above, a number rounded down to the ten."""
    from tenant_apps.insights import engine

    def exact() -> int:
        return engine.consenting_members().values("pk").distinct().count()

    def page() -> str:
        return admin.get("/association/statistiques/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    if exact() < 10:
        people(1)
        assert "Fewer than 10 members agree to be counted" in page()
    people(13 - exact() % 10 + 10)  # lands on 3 past a ten, above the threshold
    count = exact()
    assert count % 10 == 3 and count > 10
    shown = page()
    assert f"At least {count - 3} members agree to be counted" in shown
    assert f"{count} member" not in shown
