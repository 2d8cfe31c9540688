"""The CSV export of a directory list: the page's filters and search, published rows only,
in the page's order, cells a spreadsheet would run as formulas defused, and an export that
imports again as it is."""

import csv
import io

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from provisioning import services as provisioning
from shared_apps.directory import csv_io
from shared_apps.directory.models import Association, Review
from tests.directory import browse_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    with schema_context("public"):
        provisioning.platform_ensure()
        return Client(HTTP_HOST="localhost")


def export(client, query: str) -> list[dict[str, str]]:
    with schema_context("public"):
        response = client.get(f"/annuaire/export.csv?{query}")
        assert response.status_code == 200, response.status_code
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith('attachment; filename="annuaire-')
        text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # a spreadsheet reads it as UTF-8
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.fixture
def cast():
    cancer = data.pathology("Cancer du poumon")
    diabete = data.pathology("Diabète")
    return {
        "bzh": data.association("Souffles d'Armor", pathologies=[cancer], regions=["53"]),
        "29": data.association("Diabète Finistère", pathologies=[diabete], departments=["29"]),
        "idf": data.association("Souffles de Paris", pathologies=[cancer], regions=["11"]),
        "hidden": data.association("Souffles cachés", pathologies=[cancer], regions=["53"],
                                   review=Review.PROPOSED),
    }  # fmt: skip


def test_the_export_keeps_the_pages_filters_and_search(client, cast):
    names = lambda rows: [row["name"] for row in rows]  # noqa: E731
    assert names(export(client, "kind=association")) == [
        "Diabète Finistère",
        "Souffles d'Armor",
        "Souffles de Paris",
    ]
    # Bretagne: through its région or one of its départements; the proposal never.
    assert names(export(client, "kind=association&region=53")) == [
        "Diabète Finistère",
        "Souffles d'Armor",
    ]
    both = "kind=association&region=53&pathology=cancer-du-poumon"
    assert names(export(client, both)) == ["Souffles d'Armor"]
    assert names(export(client, "kind=association&q=souffles")) == [
        "Souffles d'Armor",
        "Souffles de Paris",
    ]
    (row,) = export(client, "kind=association&q=diabete")
    assert row["pathologies"] == "Diabète" and row["departments"] == "29"
    assert list(row) == [c.name for c in csv_io.ASSOCIATION_COLUMNS]


def test_a_list_of_another_kind_or_no_kind_is_refused_or_exported_with_its_columns(client):
    data.event("Webinaire fictif", pathologies=[data.pathology("Asthme")])
    data.resource("Animer un webinaire")
    (event,) = export(client, "kind=event")
    assert (event["title"], event["pathologies"], event["format"]) == (
        "Webinaire fictif",
        "Asthme",
        "webinar",
    )
    (resource,) = export(client, "kind=resource")
    assert resource["title"] == "Animer un webinaire"
    with schema_context("public"):
        assert client.get("/annuaire/export.csv").status_code == 404
        assert client.get("/annuaire/export.csv?kind=x").status_code == 404
        two = "/annuaire/export.csv?kind=event&kind=resource"
        assert client.get(two).status_code == 404


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t"])
def test_cells_a_spreadsheet_would_run_are_prefixed(client, start):
    formula = f'{start}HYPERLINK("https://evil.example","clic")'
    data.association(formula, description=f"{start}1+2", contact_phone="+33 2 98 00 00 00")
    (row,) = export(client, "kind=association")
    assert row["name"] == "'" + formula
    assert row["description"] == f"'{start}1+2"
    assert all(not value.startswith(("=", "+", "-", "@", "\t")) for value in row.values())
    assert csv_io.safe_cell("Souffles") == "Souffles" and csv_io.safe_cell(None) == ""


def test_an_export_imports_again_into_an_empty_directory(client, cast):
    text = "".join(
        csv_io.export_rows("association", Association.objects.filter(review=Review.PUBLISHED))
    )
    before = {
        a.slug: (a.name, a.regions, a.departments, {p.slug for p in a.pathologies.all()})
        for a in Association.objects.filter(review=Review.PUBLISHED)
    }
    Association.objects.all().delete()
    parsed = csv_io.parse(text.removeprefix("\ufeff"))
    assert parsed.errors == []
    csv_io.import_rows(parsed)
    after = {
        a.slug: (a.name, a.regions, a.departments, {p.slug for p in a.pathologies.all()})
        for a in Association.objects.all()
    }
    assert after == before


def test_the_export_reads_a_fixed_number_of_queries_whatever_the_size(
    client, django_assert_max_num_queries
):
    cancer = data.pathology("Cancer du poumon")
    for n in range(3):
        data.association(f"Petite {n}", pathologies=[cancer])
    rows = Association.objects.filter(review=Review.PUBLISHED).order_by("name")
    with django_assert_max_num_queries(7) as small:
        lines = list(csv_io.export_rows("association", rows))
    for n in range(40):
        data.association(f"Grande {n}", pathologies=[cancer])
    with django_assert_max_num_queries(7) as large:
        more = list(csv_io.export_rows("association", rows))
    assert (len(lines), len(more)) == (4, 44)
    assert len(small.captured_queries) == len(large.captured_queries)
