"""What a new network's moderation starts with, and the demo's additions."""

import pytest

from tenant_apps.moderation.models import CrisisTerm, ModerationSettings, OnDuty, WatchedWord
from tenant_apps.moderation.seeds import DEFAULT_CRISIS_TERMS, demo_content, seed_defaults

pytestmark = pytest.mark.django_db


def test_a_new_network_has_crisis_terms_and_a_policy_once(tenant):
    assert CrisisTerm.objects.count() == len(set(DEFAULT_CRISIS_TERMS))
    seed_defaults()
    assert CrisisTerm.objects.count() == len(set(DEFAULT_CRISIS_TERMS))
    assert ModerationSettings.objects.get().premoderated_posts == 2


def test_demo_content_is_idempotent(member_of):
    accounts = {"modo": member_of["moderator"], "admin": member_of["admin"]}
    demo_content(accounts=accounts)
    demo_content(accounts=accounts)
    assert OnDuty.objects.get().member == member_of["moderator"]
    assert WatchedWord.objects.get().action == WatchedWord.Action.FLAG
