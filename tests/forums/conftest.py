"""Forum fixtures: people of every role in network alpha, categories of both default spaces,
topics written through the services, and clients on alpha's host."""

import pytest

from tenant_apps.forums import services as forums
from tenant_apps.forums.models import Category
from tenant_apps.members.models import ProfileType, Role
from tenant_apps.moderation import cases
from tenant_apps.moderation.models import ModerationSettings
from tests.members.factories import account as user_account


def account(username: str, role: str = Role.MEMBER, profile_type: str = ProfileType.PATIENT):
    """The member behind a new account (forum services take members)."""
    return user_account(username, role, profile_type).member


@pytest.fixture(autouse=True)
def _screened_calls(monkeypatch):
    """What forums handed to moderation after saving a post (the real ``post_screened``
    still runs: it opens the queue cases)."""
    calls = []
    original = cases.post_screened

    def record(*, post, screening):
        calls.append((post.pk, screening))
        original(post=post, screening=screening)

    monkeypatch.setattr(cases, "post_screened", record)
    return calls


@pytest.fixture
def people(tenant):
    """One of each: patient (Patients space), caregiver (Proches space), moderator, admin.

    Pre-moderation of new members is off here; the held-posts tests turn it back on.
    """
    ModerationSettings.objects.update_or_create(defaults={"premoderated_posts": 0})
    return {
        "member": account("Bob"),
        "caregiver": account("Carla", profile_type=ProfileType.CAREGIVER),
        "moderator": account("Mona", Role.MODERATOR, ProfileType.FORMER_PATIENT),
        "admin": account("Alice", Role.ADMIN, ProfileType.VOLUNTEER),
        "patient2": account("Paul"),
    }


@pytest.fixture
def patients_category(tenant):
    return Category.objects.get(slug="traitements")


@pytest.fixture
def caregivers_category(tenant):
    return Category.objects.get(slug="aider-sans-s-epuiser")


@pytest.fixture
def topic(people, patients_category):
    return forums.topic_create(
        author=people["member"],
        category=patients_category,
        title="Immunothérapie et fatigue",
        body="Je commence l'immunothérapie, la fatigue est-elle fréquente ?",
    )


@pytest.fixture
def role_accounts(people):
    """``client_as`` signs in as these people."""
    return people
