""" "People like me": opt-in, the pathology and région rule, blocks, the minimum of five on
the page and the API, and an opted-out member nowhere."""

import re

import pytest
from django.urls import reverse

from tenant_apps.members.models import Member, Pathology
from tenant_apps.social import matching, relations
from tenant_apps.social.models import SocialSettings
from tests.members.factories import account

pytestmark = pytest.mark.django_db


@pytest.fixture
def pathologies(tenant):
    return {
        name: Pathology.objects.get_or_create(name=name)[0]
        for name in ("Cancer du poumon", "BPCO", "Asthme")
    }


def person(name, pathologies, *, department="69", opted=True, same_region=False, **fields):
    member = account(name, **fields).member
    Member.objects.filter(pk=member.pk).update(department=department)
    member.pathologies.set(pathologies)
    if opted is not None:
        matching.matching_settings_update(
            member=member, matching=opted, matching_same_region=same_region
        )
    return Member.objects.get(pk=member.pk)


def _ids(suggestions) -> list[int]:
    return sorted(s.member_id for s in suggestions.items)


def _page_ids(response) -> list[int]:
    return sorted(int(pk) for pk in re.findall(rb'id="suggestion-(\d+)"', response.content))


def _api_ids(response) -> list[int]:
    return sorted(row["id"] for row in response.json()["results"])


@pytest.fixture
def world(pathologies):
    lung = pathologies["Cancer du poumon"]
    me = person("Moi", [lung, pathologies["BPCO"]])
    five = [person(f"Pair{n}", [lung]) for n in range(5)]
    return me, five, pathologies


def test_off_by_default(tenant):
    member = account("Nadia").member
    assert matching.settings_of(member).matching is False
    assert not SocialSettings.objects.filter(member=member).exists()


def test_five_matches_show_a_list_of_coarse_attributes_only(world):
    me, five, pathologies = world
    person("Autre", [pathologies["Asthme"]])  # no pathology in common
    person("Discret", [pathologies["Cancer du poumon"]], opted=False)
    person("JamaisChoisi", [pathologies["Cancer du poumon"]], opted=None)
    found = matching.suggestions_for(me)
    assert found.shown
    assert _ids(found) == sorted(m.pk for m in five)
    first = found.items[0]
    assert first.shared_pathologies == ["Cancer du poumon"]
    assert first.region == ""  # région used only when both ask for it
    assert set(vars(first)) == {"member_id", "pseudonym", "shared_pathologies", "region"}


def test_fewer_than_five_is_no_list_and_no_count(world):
    me, five, _ = world
    matching.matching_settings_update(member=five[0], matching=False, matching_same_region=False)
    found = matching.suggestions_for(me)
    assert not found.shown and found.items == [] and found.reason == "too_few"


@pytest.mark.parametrize("how", ["opted_out", "suspended", "erased", "blocked", "blocker"])
def test_a_member_out_of_reach_is_never_suggested(world, how):
    me, five, pathologies = world
    extra = person("Sixieme", [pathologies["Cancer du poumon"]])
    assert extra.pk in _ids(matching.suggestions_for(me))
    if how == "opted_out":
        matching.matching_settings_update(member=extra, matching=False, matching_same_region=False)
    elif how == "suspended":
        Member.objects.filter(pk=extra.pk).update(status=Member.Status.SUSPENDED)
    elif how == "erased":
        Member.objects.filter(pk=extra.pk).update(user=None)
    elif how == "blocked":
        relations.block_create(blocker=me, blocked=extra)
    else:
        relations.block_create(blocker=extra, blocked=me)
    assert _ids(matching.suggestions_for(Member.objects.get(pk=me.pk))) == sorted(
        m.pk for m in five
    )
    # and the member out of reach sees no list with me in it either
    if how in ("opted_out", "blocked", "blocker"):
        mine = matching.suggestions_for(Member.objects.get(pk=extra.pk))
        assert me.pk not in _ids(mine)


def test_the_member_who_opted_out_sees_no_list(world):
    me, _five, _ = world
    matching.matching_settings_update(member=me, matching=False, matching_same_region=False)
    found = matching.suggestions_for(me)
    assert not found.shown and found.reason == "not_opted_in"


def test_region_only_when_both_ask_for_it(pathologies):
    lung = pathologies["Cancer du poumon"]
    # Lyon (69) and Grenoble (38) are both Auvergne-Rhône-Alpes; Paris (75) is not.
    me = person("Moi", [lung], department="69", same_region=True)
    near = [person(f"Voisin{n}", [lung], department="38", same_region=True) for n in range(5)]
    far = person("Loin", [lung], department="75", same_region=True)
    careless = person("SansRegion", [lung], department="69", same_region=False)
    found = matching.suggestions_for(me)
    assert _ids(found) == sorted(m.pk for m in near)
    assert {s.region for s in found.items} == {"Auvergne-Rhône-Alpes"}
    # The one who did not consent to the région sees nobody who asked for it.
    assert me.pk not in _ids(matching.suggestions_for(careless))
    assert far.pk not in _ids(found)
    # Without a département, a région cannot be matched.
    Member.objects.filter(pk=me.pk).update(department="")
    assert matching.suggestions_for(Member.objects.get(pk=me.pk)).reason == "no_region"


def test_constant_number_of_queries(world, django_assert_max_num_queries):
    me, _five, pathologies = world
    with django_assert_max_num_queries(8) as few:
        matching.suggestions_for(me)
    for n in range(10):
        person(f"Encore{n}", [pathologies["Cancer du poumon"], pathologies["BPCO"]])
    me = Member.objects.get(pk=me.pk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        found = matching.suggestions_for(me)
    assert len(found.items) == 15
    assert found.items[0].shared_pathologies == ["BPCO", "Cancer du poumon"]  # most in common


# --- the page and the API -------------------------------------------------------------------


def test_page_opts_in_and_out_and_hides_short_lists(world, client_as):
    me, five, _ = world
    client = client_as(me.user)
    response = client.get("/communaute/rencontres/")
    assert response.status_code == 200
    assert _page_ids(response) == sorted(m.pk for m in five)
    assert b"@example.org" not in response.content
    # One opts out: from every list at once.
    client_as(five[0].user).post("/communaute/rencontres/", {"matching_same_region": ""})
    assert not matching.settings_of(five[0]).matching
    response = client.get("/communaute/rencontres/")
    assert _page_ids(response) == []
    assert b'data-reason="too_few"' in response.content
    # Opting out myself.
    response = client.post("/communaute/rencontres/", {})
    assert response.status_code == 302
    response = client.get("/communaute/rencontres/")
    assert b'data-reason="not_opted_in"' in response.content
    client.post("/communaute/rencontres/", {"matching": "on"})
    assert matching.settings_of(me).matching
    # A 1 MB field is a checkbox like another.
    response = client.post("/communaute/rencontres/", {"matching": "x" * 1_000_000})
    assert response.status_code == 302


def test_api_follows_the_same_rule(world, client_as):
    me, five, _ = world
    client = client_as(me.user)
    url = reverse("api_social_suggestions")
    response = client.get(url)
    assert response.status_code == 200
    assert response.json()["shown"] is True
    assert _api_ids(response) == sorted(m.pk for m in five)
    assert set(response.json()["results"][0]) == {"id", "pseudonym", "shared_pathologies", "region"}
    client_as(five[1].user).put(
        reverse("api_social_matching"),
        {"matching": False, "matching_same_region": False},
        content_type="application/json",
    )
    response = client.get(url)
    assert response.json() == {"shown": False, "reason": "too_few", "results": []}
    response = client.put(
        reverse("api_social_matching"), {"matching": "maybe"}, content_type="application/json"
    )
    assert response.status_code == 400 and "matching" in response.json()


def test_an_opted_out_member_leaves_page_and_api_lists_that_stay(world, client_as):
    me, five, pathologies = world
    sixth = person("Sixieme", [pathologies["Cancer du poumon"]])
    client = client_as(me.user)
    assert sixth.pk in _page_ids(client.get("/communaute/rencontres/"))
    client_as(sixth.user).post("/communaute/rencontres/", {})
    expected = sorted(m.pk for m in five)
    assert _page_ids(client.get("/communaute/rencontres/")) == expected
    assert _api_ids(client.get(reverse("api_social_suggestions"))) == expected
    assert b"Sixieme" not in client.get("/communaute/rencontres/").content
