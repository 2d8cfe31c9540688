"""The demo's social layer: the demo patient has at least five suggestions, follows and is
followed, blocked the seller, and sees experiences; seeding again changes nothing."""

import pytest

from tenant_apps.members import services as members
from tenant_apps.members.models import Consent, Member, Pathology, Role
from tenant_apps.social import feed, matching, relations, seeds
from tenant_apps.social.models import Block, Experience, Follow, SocialSettings
from tests.members.factories import account

pytestmark = pytest.mark.django_db


def _stating(name, pathology, department="69", **options):
    member = account(name, **options).member
    for kind in (Consent.Kind.CHARTER, Consent.Kind.HEALTH_DATA):
        members.consent_give(member=member, kind=kind)
    members.profile_update(member=member, pathologies=[pathology], department=department)
    return Member.objects.get(pk=member.pk)


def test_demo_activity_gives_the_demo_patient_a_list_and_is_idempotent(tenant):
    lung = Pathology.objects.create(name="Cancer du poumon (démo)")
    accounts = {
        "membre": _stating("membre-demo", lung),
        "nadine": _stating("Nadine_63", lung, "63"),
        "gilles": _stating("Gilles-Bzh", lung, "29"),
        "vente": account("BienEtreNature").member,
        "relecture": account("relecture-demo", Role.ADMIN).member,
    }
    content = {"members": [{"key": key} for key in ("membre", "nadine", "gilles", "vente")]}
    seeds.demo_activity(accounts=accounts, content=content)
    counts = (
        Follow.objects.count(),
        Block.objects.count(),
        Experience.objects.count(),
        SocialSettings.objects.count(),
        Member.objects.count(),
    )
    seeds.demo_activity(accounts=accounts, content=content)
    assert counts == (
        Follow.objects.count(),
        Block.objects.count(),
        Experience.objects.count(),
        SocialSettings.objects.count(),
        Member.objects.count(),
    )
    patient = Member.objects.get(pk=accounts["membre"].pk)
    found = matching.suggestions_for(patient)
    assert found.shown and len(found.items) >= matching.MINIMUM
    assert relations.has_blocked(patient, accounts["vente"])
    assert Follow.objects.filter(follower=patient).count() == 3
    assert Follow.objects.filter(followed=patient).count() >= 2
    assert Experience.objects.filter(status=Experience.Status.PUBLISHED).count() == 4
    assert feed.feed_page(patient).entries
