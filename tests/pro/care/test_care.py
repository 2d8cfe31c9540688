"""The care offer beyond who may (tests/test_matrix_pro_care.py): the CSV import (errors by
line, one bad row imports nothing, 200 rows timed), the map's figures equal to the list's
for every area, the French search, the list's queries, bad input, cleaned pathways, local
groups opening with or without approval, the demo seed."""

import random
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape

from tenant_apps.forums.models import Group, GroupMembership
from tenant_apps.members.models import Member, NetworkSettings, Role, Space
from tenant_apps.notifications.models import Notification
from tenant_apps.pro.care import csv_io, seeds, selectors, services
from tenant_apps.pro.care.selectors import Filters
from tenant_apps.pro.models import CarePathway, CareProvider, LocalGroup
from tests.members.factories import account

pytestmark = pytest.mark.django_db

HEADER = "name;kind;establishment;city;postcode;department;specialties;email\n"


@pytest.fixture
def admin(tenant):
    return account("Ada", role=Role.ADMIN).member


def _member_in(name: str, department: str) -> Member:
    member = account(name).member
    Member.objects.filter(pk=member.pk).update(department=department)
    return Member.objects.get(pk=member.pk)


@pytest.fixture
def seeded(admin):
    seeds.seed(rng=random.Random(15))  # noqa: S311
    return admin


def test_a_bad_row_imports_nothing_and_every_error_names_its_line(admin):
    text = (
        HEADER
        + "CHU de Poitiers;establishment;;Poitiers;86000;86;oncologie;\n"
        + "Pneumologie;service;CHU de Poitiers;Poitiers;86000;86;poumon;\n"
        + ";Clinique;;Niort;7900;99;;pas-un-email\n"
        + '"Radiothérapie\nde Niort";service;Hôpital inconnu;Niort;79000;79;;\n'
        + "chu de poitiers;establishment;;POITIERS;86000;86;;\n"
    )
    parsed = csv_io.parse(text.encode())
    where = {(error.line, error.column) for error in parsed.errors}
    assert where == {
        (4, "name"), (4, "kind"), (4, "postcode"), (4, "department"), (4, "email"),
        (5, "establishment"), (7, "name"),
    }  # fmt: skip
    assert parsed.rows == []
    first = parsed.errors[0]
    with translation.override("en"):
        assert str(first) == f"line 4, column name: {first.message}"
    assert CareProvider.objects.count() == 0


def test_a_file_with_a_wrong_header_or_encoding_says_so_on_line_one(admin):
    assert [e.line for e in csv_io.parse(b"nom,ville\nA,B\n").errors] == [1, 1]
    assert csv_io.parse("name,kind,city,department\né".encode("latin-1")).errors[0].line == 1


def test_two_hundred_rows_import_in_one_go(admin, capsys):
    rows = ["name,kind,establishment,city,postcode,department,specialties"]
    rows += [f"Hôpital {i},establishment,,Poitiers,86000,86,oncologie" for i in range(20)]
    rows += [
        f"Service {i},Hospital service,Hôpital {i % 20},Niort,79000,79,soins de support"
        for i in range(180)
    ]
    data = ("\n".join(rows) + "\n").encode()
    started = time.perf_counter()
    parsed = csv_io.parse(data)
    assert parsed.errors == []
    created = services.providers_import(actor=admin, rows=parsed.rows)
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n200-row care offer import (parse + write): {elapsed * 1000:.0f} ms")
    assert len(created) == 200
    service = CareProvider.objects.get(name="Service 7")
    assert service.establishment.name == "Hôpital 7" and service.region == "75"
    assert elapsed < 5


def test_the_map_counts_what_the_list_shows_for_every_area(seeded):
    member = account("Bob").member
    for filters in (Filters(), Filters(kind="supportive_care"), Filters(q="soins")):
        counts = selectors.area_counts(member, filters)
        assert sum(counts["regions"].values()) == selectors.providers(member, filters).count()
        for level, key in (("regions", "region"), ("departments", "department")):
            for code, number in counts[level].items():
                if number:
                    listed = selectors.providers(member, Filters(**{**filters.__dict__, key: code}))
                    assert listed.count() == number, (level, code)
    assert selectors.area_counts(member, Filters())["regions"]["75"] == 200


def test_the_search_is_french_and_ignores_accents(seeded):
    member = account("Bob").member
    accented = set(selectors.providers(member, Filters(q="chimiothérapie")).values_list("pk"))
    plain = set(selectors.providers(member, Filters(q="chimiotherapie")).values_list("pk"))
    assert accented and accented == plain
    # Stemming: "poumons" finds "poumon".
    assert selectors.providers(member, Filters(q="poumons")).exists()
    assert not selectors.providers(member, Filters(q="dermatologie")).exists()


def test_the_list_pages_by_keyset_with_the_same_queries_whatever_its_size(
    admin, client_as, django_assert_num_queries
):
    def make(n: int, start: int) -> None:
        for i in range(start, start + n):
            services.provider_create(
                actor=admin, name=f"Centre {i:03}", kind="practice", city="Niort", department="79"
            )

    make(3, 0)
    client = client_as(admin)
    client.get("/offre-de-soins/")  # warm the session and the network's caches
    with CaptureQueriesContext(connection) as small:
        assert client.get("/offre-de-soins/").status_code == 200
    make(40, 3)
    with CaptureQueriesContext(connection) as large:
        first = client.get("/offre-de-soins/")
    assert len(large) == len(small)
    body = first.content.decode()
    following = first.context["next_cursor"]
    assert following is not None and "Centre 024" in body and "Centre 025" not in body
    second = client.get(f"/offre-de-soins/?apres={following}").content.decode()
    assert "Centre 025" in second and "Centre 024" not in second
    assert client.get("/offre-de-soins/?apres=abc").status_code == 404


def test_bad_input_re_renders_the_form_or_answers_400(admin, client_as):
    client = client_as(admin)
    long = "x" * 1_000_000
    response = client.post(
        "/offre-de-soins/ajouter/", {"name": "Clinique ABC", "kind": "practice",
                                     "city": "Niort", "department": "99", "description": long},
    )  # fmt: skip
    assert response.status_code == 200
    assert 'value="Clinique ABC"' in response.content.decode()
    response = client.post(
        "/api/pro/care/providers/", {"name": "", "kind": "nope", "city": "Niort"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert {"name", "kind", "department"} <= set(response.json())
    chu = services.provider_create(
        actor=admin, name="CHU", kind="establishment", city="Poitiers", department="86"
    )
    response = client.post(
        "/api/pro/care/providers/",
        {"name": "Service", "kind": "practice", "city": "Poitiers", "department": "86",
         "establishment": chu.pk},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400 and "establishment" in response.json()
    assert client.get("/api/pro/care/providers/?kind=zzz").status_code == 400
    assert CareProvider.objects.count() == 1


def test_an_import_with_an_error_lists_it_and_writes_nothing(admin, client_as):
    upload = SimpleUploadedFile("offre.csv", (HEADER + "A;zzz;;Niort;;79;;\n").encode())
    response = client_as(admin).post("/offre-de-soins/importer/", {"file": upload})
    assert response.status_code == 200
    [error] = response.context["errors"]
    assert (error.line, error.column) == (2, "kind")
    assert escape(str(error)) in response.content.decode()
    assert CareProvider.objects.count() == 0


def test_a_pathway_s_steps_are_cleaned(admin):
    pathway = services.pathway_save(
        actor=admin, title="Parcours", pathology="Poumon", department="86", summary="S.",
        body="## Étape\n<script>alert(1)</script>\n[x](javascript:alert(1))", published=True,
    )  # fmt: skip
    assert "<h2" in pathway.body_html
    assert "<script" not in pathway.body_html and "href=" not in pathway.body_html


def test_a_local_group_waits_for_moderators_unless_the_network_opens_them(tenant):
    bob = account("Bob").member
    space = Space.objects.get(slug="patients")
    waiting = services.local_group_create(
        proposer=bob, name="Niort", description="Café.", space=space, access="public",
        department="79",
    )  # fmt: skip
    assert waiting.status == Group.Status.PROPOSED
    NetworkSettings.objects.update_or_create(defaults={"local_groups_open": True})
    opened = services.local_group_create(
        proposer=bob, name="Poitiers", description="Marche.", space=space, access="public",
        region="75",
    )  # fmt: skip
    assert opened.status == Group.Status.APPROVED
    assert GroupMembership.objects.get(group=opened, member=bob).is_moderator
    assert opened.category.space == space
    assert not Notification.objects.filter(recipient=bob, subject="Poitiers").exists()
    assert LocalGroup.objects.get(group=opened).region == "75"
    with pytest.raises(Exception, match="département"):
        services.local_group_create(
            proposer=bob, name="Nulle part", description="?", space=space, access="public"
        )
    assert not Group.objects.filter(name="Nulle part").exists()


def test_members_are_offered_the_groups_of_their_area_first(seeded):
    near_member = _member_in("Nina", "86")
    near, others = selectors.local_groups_offered(near_member)
    assert {g.name for g in near} == {
        "Vienne : entraide autour du cancer", "Nouvelle-Aquitaine : après les traitements",
        "Patients du CHU de Poitiers",
    }  # fmt: skip
    assert {g.place_name for g in near} == {"Vienne (86)", "Nouvelle-Aquitaine", "CHU de Poitiers"}
    far_member = _member_in("Paul", "75")
    near, others = selectors.local_groups_offered(far_member)
    assert near == [] and len(others) == 3


def test_the_seed_makes_200_providers_two_pathways_and_runs_once(seeded):
    assert CareProvider.objects.count() == 200
    assert set(CareProvider.objects.values_list("region", flat=True)) == {"75"}
    assert CarePathway.objects.filter(published=True).count() == 2
    assert LocalGroup.objects.count() == 3
    seeds.seed(rng=random.Random(1))  # noqa: S311
    assert CareProvider.objects.count() == 200


def test_the_groups_list_leads_to_the_local_groups(tenant, client_as):
    body = client_as(account("Bob").member).get("/forums/groupes/").content.decode()
    assert '<a href="/groupes-locaux/" id="local-groups">' in body


def test_a_double_submit_adds_the_provider_once(admin, client_as):
    client = client_as(admin)
    data = {"name": "Clinique Saint-Joseph", "kind": "establishment", "city": "Angoulême",
            "department": "16"}  # fmt: skip
    assert client.post("/offre-de-soins/ajouter/", data).status_code == 302
    again = client.post("/offre-de-soins/ajouter/", data)
    assert again.status_code == 200 and again.context["form"].errors["name"]
    assert CareProvider.objects.count() == 1


def test_a_pathway_form_keeps_what_was_typed_when_refused(admin, client_as):
    response = client_as(admin).post(
        "/offre-de-soins/parcours/nouveau/",
        {"title": "Parcours du côlon", "pathology": "", "summary": "", "body": "x" * 70_000},
    )
    assert response.status_code == 200
    assert 'value="Parcours du côlon"' in response.content.decode()
    assert not CarePathway.objects.exists()
