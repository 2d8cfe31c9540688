"""Guidelines beyond who may (tests/test_matrix_pro_guidelines.py): every version readable
with what changed, the validity passing ("being revised", job run twice), the PDF, the French
search, one coordinator, bad input re-rendered or 400 with nothing written, the list's
queries, a withdrawn verification, the demo seed."""

import random
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext

from tenant_apps.members.models import Member
from tenant_apps.pro.guidelines import jobs, seeds, selectors, services
from tenant_apps.pro.models import Guideline, GuidelineVersion, WorkingGroup, WorkingGroupMember
from tests.members.factories import account

pytestmark = pytest.mark.django_db


def _pro(name: str) -> Member:
    member = account(name).member
    Member.objects.filter(pk=member.pk).update(verified_professional=True)
    return Member.objects.get(pk=member.pk)


def _form(title="Bilan", body="Scanner et TEP.", **extra) -> dict:
    return {
        "sections-TOTAL_FORMS": "1", "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0", "sections-MAX_NUM_FORMS": "40",
        "sections-0-title": title, "sections-0-body": body, **extra,
    }  # fmt: skip


@pytest.fixture
def cast(tenant):
    admin = account("Ada", role="admin").member
    cora, wanda = _pro("Cora"), _pro("Wanda")
    group = services.group_create(actor=admin, name="Oncologie thoracique", organ="Thorax")
    services.group_member_name(actor=admin, group=group, member=cora, role="coordinator")
    services.group_member_name(actor=admin, group=group, member=wanda)
    guideline = services.guideline_create(
        author=wanda, group=group, title="Cancers bronchiques localises", organ="Thorax",
        visibility="everyone",
        sections=[{"title": "Bilan", "body": "Scanner et TEP-TDM."},
                  {"title": "Traitement", "body": "Lobectomie et curage ganglionnaire."}],
    )  # fmt: skip
    guideline = services.version_validate(actor=cora, version=guideline.versions.get())
    return {"admin": admin, "cora": cora, "wanda": wanda, "group": group, "g": guideline}


def test_each_version_stays_readable_with_what_changed(cast, client_as):
    g, wanda, cora = cast["g"], cast["wanda"], cast["cora"]
    services.version_save(
        author=wanda, guideline=g, change_summary="Segmentectomie",
        sections=[{"title": "Bilan", "body": "Scanner et TEP-TDM."},
                  {"title": "Traitement", "body": "Segmentectomie et curage ganglionnaire."},
                  {"title": "Suivi", "body": "Scanner tous les 6 mois."}],
    )  # fmt: skip
    # Saving again edits the same draft (one draft at a time).
    v2 = services.version_save(
        author=cora, guideline=g, change_summary="Segmentectomie ; suivi",
        sections=[{"title": "Bilan", "body": "Scanner et TEP-TDM."},
                  {"title": "Traitement", "body": "Segmentectomie et curage ganglionnaire."},
                  {"title": "Suivi", "body": "Scanner tous les 6 mois."}],
    )  # fmt: skip
    assert v2.number == 2 and g.versions.count() == 2
    assert set(v2.authors.values_list("pk", flat=True)) == {wanda.pk, cora.pk}
    services.version_validate(actor=cora, version=v2)
    reader = client_as(account("Bob").member)
    one = reader.get(f"/referentiels/{g.slug}/versions/1/").content.decode()
    assert "Lobectomie" in one and "Suivi" not in one
    page = reader.get(f"/referentiels/{g.slug}/versions/2/").content.decode()
    removed, added = gettext("removed"), gettext("added")
    assert f'<del><span class="visually-hidden">[{removed}: </span>Lobectomie' in page
    assert f'<ins><span class="visually-hidden">[{added}: </span>Segmentectomie' in page
    assert gettext("new section") in page
    detail = reader.get(f"/referentiels/{g.slug}/").content.decode()
    assert "Segmentectomie" in detail and "Lobectomie" not in detail
    with pytest.raises(ValidationError):
        services.version_validate(actor=cora, version=v2)  # twice: refused


def test_the_validity_passing_puts_it_being_revised_once(cast):
    g = cast["g"]
    assert g.status == "valid"
    assert g.valid_until == services.valid_until_default()
    Guideline.objects.filter(pk=g.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    jobs.guidelines_expire.func.__wrapped__()
    jobs.guidelines_expire.func.__wrapped__()
    g.refresh_from_db()
    assert g.status == "revising"
    assert services.guidelines_expire() == 0
    services.validity_set(
        actor=cast["cora"], guideline=g, valid_until=timezone.localdate() + timedelta(days=30)
    )
    g.refresh_from_db()
    assert g.status == "valid"


def test_the_pdf_is_a_real_pdf_with_the_title(cast, client_as):
    response = client_as(cast["wanda"]).get(f"/referentiels/{cast['g'].slug}/versions/1/pdf/")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert b"(Cancers bronchiques localises)" in response.content
    assert b"/FontFile" not in response.content  # the built-in fonts, nothing embedded


def test_the_search_is_french_and_ignores_accents(cast, client_as):
    g, wanda = cast["g"], cast["wanda"]
    services.version_save(
        author=wanda, guideline=g, change_summary="",
        sections=[{"title": "Traitement", "body": "Thérapie ciblée des mutations EGFR."}],
    )  # fmt: skip
    services.version_validate(actor=cast["cora"], version=g.versions.get(number=2))
    bob = account("Bob").member
    assert [x.pk for x in selectors.guideline_list(bob, q="therapies ciblees")] == [g.pk]
    assert list(selectors.guideline_list(bob, q="pancréas")) == []
    response = client_as(bob).get("/referentiels/", {"q": "thérapie", "organ": "Thorax"})
    assert [x.pk for x in response.context["guidelines"]] == [g.pk]


def test_one_coordinator_and_only_verified_professionals(cast):
    admin, group, wanda = cast["admin"], cast["group"], cast["wanda"]
    services.group_member_name(actor=admin, group=group, member=wanda, role="coordinator")
    roles = dict(WorkingGroupMember.objects.filter(group=group).values_list("member", "role"))
    assert roles == {wanda.pk: "coordinator", cast["cora"].pk: "member"}
    with pytest.raises(ValidationError):
        services.group_member_name(actor=admin, group=group, member=account("Bob").member)


def test_bad_input_is_re_rendered_and_nothing_written(cast, client_as):
    g, client = cast["g"], client_as(cast["wanda"])
    url = f"/referentiels/{g.slug}/nouvelle-version/"
    response = client.post(url, _form(title="Bilan", body="", change_summary="Mon résumé"))
    assert response.status_code == 400
    assert "Mon résumé" in response.content.decode()
    response = client.post(url, _form(body="x" * 1_000_000))
    assert response.status_code == 400
    response = client.post(url, {"change_summary": "sans formulaire de sections"})
    assert response.status_code == 400
    assert g.versions.count() == 1
    coordinator = client_as(cast["cora"])
    services.version_save(author=cast["wanda"], guideline=g, change_summary="",
                          sections=[{"title": "A", "body": "B"}])  # fmt: skip
    response = coordinator.post(
        f"/referentiels/{g.slug}/versions/2/valider/", {"valid_until": "2001-01-01"}
    )
    assert response.status_code == 400
    assert GuidelineVersion.objects.get(guideline=g, number=2).validated_at is None
    api = client_as(account("Bob").member)
    response = api.get("/api/pro/guidelines/", {"q": "x" * 300})
    assert response.status_code == 400 and "q" in response.json()


def test_a_withdrawn_verification_closes_the_group_only_guideline(cast, client_as):
    g, wanda = cast["g"], cast["wanda"]
    Guideline.objects.filter(pk=g.pk).update(visibility="group")
    client = client_as(wanda)
    assert client.get(f"/referentiels/{g.slug}/").status_code == 200
    Member.objects.filter(pk=wanda.pk).update(verified_professional=False)
    assert client.get(f"/referentiels/{g.slug}/").status_code == 404
    assert client.get(f"/referentiels/{g.slug}/versions/1/pdf/").status_code == 404


def test_the_list_queries_do_not_grow_with_the_guidelines(cast, client_as):
    client = client_as(cast["wanda"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/referentiels/").status_code == 200
        return len(captured)

    queries()  # the session's member and rights, cached for the next requests
    one = queries()
    for n in range(4):
        services.guideline_create(
            author=cast["wanda"], group=cast["group"], title=f"Référentiel {n}",
            organ=f"Organe {n}", visibility="professionals",
            sections=[{"title": "A", "body": "B"}],
        )  # fmt: skip
    assert queries() == one


def test_the_demo_seed_runs_once(tenant):
    for name in ("Paul", "Claire", "Nadia", "Louis"):
        _pro(name)
    seeds.seed(rng=random.Random(15))  # noqa: S311
    seeds.seed(rng=random.Random(15))  # noqa: S311
    assert WorkingGroup.objects.count() == 2
    cbnpc = Guideline.objects.get(slug="cbnpc-localises")
    assert cbnpc.versions.count() == 3 and cbnpc.current_version.number == 3
    assert cbnpc.status == "valid" and cbnpc.valid_until > timezone.localdate()
    assert Guideline.objects.get(slug="nutrition-traitements").current_version is None
    coordinators = WorkingGroupMember.objects.filter(role="coordinator").count()
    assert coordinators == 2


def test_the_api_writes_answer_400_by_field_and_write_nothing(cast, client_as):
    g, wanda, cora = cast["g"], cast["wanda"], cast["cora"]
    writer = client_as(wanda)
    before = (Guideline.objects.count(), GuidelineVersion.objects.count())
    response = writer.post(
        f"/api/pro/guidelines/groups/{cast['group'].slug}/guidelines/",
        {"title": "", "organ": "Thorax", "visibility": "nobody", "sections": []},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert {"title", "visibility", "sections"} <= set(response.json())
    response = writer.post(
        f"/api/pro/guidelines/{g.slug}/versions/",
        {"sections": [{"title": "Bilan", "body": ""}]},
        content_type="application/json",
    )
    assert response.status_code == 400 and "sections" in response.json()
    assert (Guideline.objects.count(), GuidelineVersion.objects.count()) == before
    # The draft is written, edited in place, then validated by the coordinator only.
    sections = [{"title": "Bilan", "body": "TEP-TDM et IRM cérébrale."}]
    for summary in ("IRM", "IRM cérébrale"):
        response = writer.post(
            f"/api/pro/guidelines/{g.slug}/versions/",
            {"change_summary": summary, "sections": sections},
            content_type="application/json",
        )
        assert response.status_code == 201 and response.json()["number"] == 2
    assert response.json()["sections"][0]["body"] == sections[0]["body"]
    assert writer.post(f"/api/pro/guidelines/{g.slug}/versions/2/validate/", {},
                       content_type="application/json").status_code == 404  # fmt: skip
    coordinator = client_as(cora)
    response = coordinator.post(
        f"/api/pro/guidelines/{g.slug}/versions/2/validate/",
        {"valid_until": "2001-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "valid_until" in response.json()
    response = coordinator.post(
        f"/api/pro/guidelines/{g.slug}/versions/1/validate/", {}, content_type="application/json"
    )
    assert response.status_code == 400 and "valid_until" in response.json()
    response = coordinator.post(
        f"/api/pro/guidelines/{g.slug}/versions/2/validate/",
        {"valid_until": "2099-06-30"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2 and response.json()["valid_until"] == "2099-06-30"
    assert Guideline.objects.get(pk=g.pk).current_version.change_summary == "IRM cérébrale"
