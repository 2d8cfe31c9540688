"""``manage.py directory import``: every row checked before anything is written, errors by
line and column, one bad row imports nothing, 600 rows in seconds with their search
documents."""

import csv
import io
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import gettext

from shared_apps.directory import csv_io, selectors
from shared_apps.directory.models import Association, Initiative, Review
from shared_apps.directory.selectors import Filters
from tests.directory import browse_data as data

pytestmark = pytest.mark.django_db

ASSOCIATION_HEADER = [c.name for c in csv_io.ASSOCIATION_COLUMNS]


def association_row(n: int, **changes) -> dict[str, str]:
    row = {
        "slug": "",
        "name": f"Association fictive Les Souffles {n}",
        "description": "Écoute et groupes de parole pour les patients et leurs proches.",
        "pathologies": "Cancer du poumon|diabete",
        "regions": "53",
        "departments": "29|22",
        "website": f"https://souffles-{n}.example",
        "contact_email": f"contact@souffles-{n}.example",
        "contact_phone": "02 98 00 00 00",
        "legal_form": "association",
        "rna": f"W{n:09d}",
        "approval": "regional",
        "approval_ends": "2028-06-30",
    }
    row.update(changes)
    return row


def write(tmp_path: Path, rows: list[dict[str, str]], header=None, delimiter=",") -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header or ASSOCIATION_HEADER, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "import.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def vocabulary():
    return {
        "cancer": data.pathology("Cancer du poumon"),
        "diabete": data.pathology("Diabète"),
        "info": data.theme("Information des patients"),
    }


def run(path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("directory", "import", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_one_bad_row_imports_nothing_and_names_its_line_and_column(tmp_path, vocabulary):
    rows = [association_row(n) for n in range(1, 6)]
    rows[2]["rna"] = "W12"  # line 4: the header is line 1
    rows[4]["regions"] = "99"  # line 6
    path = write(tmp_path, rows)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("directory", "import", str(path), stdout=io.StringIO(), stderr=err)
    assert Association.objects.count() == 0
    parsed = csv_io.parse(path.read_text())
    assert [(e.line, e.column) for e in parsed.errors] == [(4, "rna"), (6, "regions")]
    assert parsed.rows == []
    expected = gettext("line %(line)s, column %(column)s: %(message)s") % {
        "line": 4,
        "column": "rna",
        "message": gettext("An RNA number is W followed by 9 digits."),
    }
    assert expected in err.getvalue()


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("name", ""),
        ("pathologies", "Cancer du poumon|Maladie inventée"),
        ("departments", "20"),
        ("website", "javascript:alert(1)"),
        ("contact_email", "pas une adresse"),
        ("legal_form", "sarl"),
        ("approval_ends", "30/06/2028"),
        ("name", "x" * 201),
        ("slug", "Pas Un Slug"),
    ],
)
def test_each_kind_of_bad_value_is_named_by_its_column(tmp_path, vocabulary, column, value):
    rows = [association_row(1), association_row(2, **{column: value})]
    parsed = csv_io.parse(write(tmp_path, rows).read_text())
    assert [(e.line, e.column) for e in parsed.errors] == [(3, column)]
    assert parsed.rows == []


def test_an_approval_without_its_end_date_and_a_repeated_slug_are_refused(tmp_path, vocabulary):
    data.association("Déjà là")  # slug asso-<n>
    taken = Association.objects.get().slug
    rows = [
        association_row(1, approval_ends=""),
        association_row(2, slug="les-souffles"),
        association_row(3, slug="les-souffles"),
        association_row(4, slug=taken),
    ]
    parsed = csv_io.parse(write(tmp_path, rows).read_text())
    assert [(e.line, e.column) for e in parsed.errors] == [
        (2, "approval_ends"),
        (4, "slug"),
        (5, "slug"),
    ]


def test_unknown_and_missing_columns_are_refused_before_any_row(tmp_path, vocabulary):
    header = [*ASSOCIATION_HEADER, "couleur"]
    header.remove("description")
    rows = [{k: v for k, v in association_row(1).items() if k in header}]
    parsed = csv_io.parse(write(tmp_path, rows, header=header).read_text())
    assert {(e.line, e.column) for e in parsed.errors} == {(1, "couleur"), (1, "description")}


def test_a_valid_file_imports_published_rows_with_their_links_and_search(tmp_path, vocabulary):
    rows = [
        association_row(1, name="Association fictive Les Souffles d'Armor"),
        association_row(2, approval="", approval_ends="", regions="", departments="971"),
    ]
    out, _err = run(write(tmp_path, rows, delimiter=";"))
    first, second = Association.objects.order_by("rna")
    assert first.slug == "association-fictive-les-souffles-darmor"
    assert (first.review, first.published_at is not None) == (Review.PUBLISHED, True)
    assert set(first.pathologies.all()) == {vocabulary["cancer"], vocabulary["diabete"]}
    assert (first.regions, first.departments) == (["53"], ["29", "22"])
    assert (first.approval, first.approval_ends.isoformat()) == ("regional", "2028-06-30")
    assert (second.approval, second.approval_ends, second.departments) == ("", None, ["971"])
    # Found by the directory's own search, accents or not.
    found = selectors.listings("association", Filters(q="souffles armor"))
    assert list(found.values_list("pk", flat=True)) == [first.pk]
    assert "2" in out


def test_initiatives_import_with_themes_their_association_and_the_region_of_a_department(
    tmp_path, vocabulary
):
    parent = data.association("Les Souffles")
    header = [c.name for c in csv_io.INITIATIVE_COLUMNS]
    row = {
        "title": "Podcast fictif Les voix du souffle",
        "description": "Des patients racontent.",
        "carrier": "former",
        "form": "volunteer",
        "roles": "blogger|peer",
        "themes": "information-des-patients",
        "pathologies": "Cancer du poumon",
        "department": "2A",
        "started_on": "2024-03-01",
        "motivation": "Ne pas rester seul.",
        "success_factors": "peers|media",
        "success_text": "Le bouche-à-oreille.",
        "association": parent.slug,
    }
    path = write(tmp_path, [row], header=header)
    run(path, "--kind", "initiatives")
    initiative = Initiative.objects.get()
    assert (initiative.region, initiative.department) == ("94", "2A")
    assert initiative.association == parent
    assert initiative.roles == ["blogger", "peer"]
    assert list(initiative.themes.all()) == [vocabulary["info"]]
    assert initiative.activity == Initiative.Activity.ACTIVE

    wrong = {**row, "title": "Autre", "region": "53", "carrier": "robot", "association": "nope"}
    parsed = csv_io.parse(write(tmp_path, [wrong], header=header).read_text())
    assert [(e.line, e.column) for e in parsed.errors] == [
        (2, "carrier"),
        (2, "association"),
        (2, "department"),
    ]


def test_600_rows_import_in_under_ten_seconds(tmp_path, vocabulary):
    path = write(tmp_path, [association_row(n) for n in range(1, 601)])
    started = time.perf_counter()
    out, _err = run(path)
    elapsed = time.perf_counter() - started
    assert Association.objects.filter(review=Review.PUBLISHED).count() == 600
    assert Association.objects.filter(search_vector__isnull=True).count() == 0
    assert Association.pathologies.through.objects.count() == 1200
    assert "search: 600/600" in out  # progress, batch by batch
    print(f"600 associations imported in {elapsed:.2f} s")
    assert elapsed < 10, elapsed


def test_line_numbers_are_the_files_own_with_blank_lines_and_cells_over_two_lines(vocabulary):
    header = ",".join(ASSOCIATION_HEADER)
    good = association_row(1, description="Première ligne\nseconde ligne")
    bad = association_row(2, rna="12")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ASSOCIATION_HEADER)
    writer.writerow(good)  # lines 2 and 3: its description is quoted over two lines
    text = f"{header}\n{out.getvalue()}\n{_line(bad)}"  # line 4 is blank, line 5 is bad
    parsed = csv_io.parse(text)
    assert [(e.line, e.column) for e in parsed.errors] == [(5, "rna")]


def _line(row: dict[str, str]) -> str:
    out = io.StringIO()
    csv.DictWriter(out, fieldnames=ASSOCIATION_HEADER).writerow(row)
    return out.getvalue()
