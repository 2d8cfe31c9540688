"""The demo's statistics (``insights.seeds.demo_activity``): enough consenting members for a
release whose larger régions pass the threshold, one release published, shared and listed,
its budget spent; seeding again changes nothing."""

import pytest

from tenant_apps.insights import seeds
from tenant_apps.insights.models import BudgetSpend, Release
from tenant_apps.members import services as members
from tenant_apps.members.models import Consent, Role
from tests.members.factories import account

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_a_shared_release_with_figures(tenant):
    members.pathology_create(name="Cancer du poumon")
    accounts = {
        "relecture": account("Relecteur", Role.ADMIN).member,
        "membre": account("Zed").member,
    }
    content = {"pathologies": ("Cancer du poumon",), "spaces": ("patients",)}
    seeds.demo_activity(accounts=accounts, content=content)
    release = Release.objects.get()
    assert release.status == Release.Status.PUBLISHED and release.shared
    assert release.listed_in_directory
    # Some figures pass (the total at least, thirty-odd members), the small régions do not.
    assert release.result["published"] > 0 and release.result["hidden"] > 0
    assert BudgetSpend.objects.get(release=release).epsilon == release.epsilon
    assert accounts["membre"].consents.filter(kind=Consent.Kind.STATISTICS).exists()
    assert not accounts["relecture"].consents.filter(kind=Consent.Kind.STATISTICS).exists()
    consenting = Consent.objects.filter(kind=Consent.Kind.STATISTICS).count()
    seeds.demo_activity(accounts=accounts, content=content)
    assert Release.objects.count() == 1
    assert Consent.objects.filter(kind=Consent.Kind.STATISTICS).count() == consenting
