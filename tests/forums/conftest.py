"""Forum fixtures: people of every role in network alpha, categories of both default spaces,
topics written through the services, and clients on alpha's host."""

import pytest
from django.contrib.sessions.models import Session
from django_tenants.utils import tenant_context

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
def client_as(tenant, other_tenant, client_for, people):
    """A client on alpha's host: anonymous, one of ``people``, or beta's admin."""

    def make(who: str):
        client = client_for(tenant)
        if who == "other_tenant":
            with tenant_context(other_tenant):
                stranger = client_for(other_tenant)
                stranger.force_login(account("Alice", Role.ADMIN).user)
                assert Session.objects.filter(pk=stranger.cookies["sessionid"].value).exists()
            client.cookies = stranger.cookies
        elif who != "anonymous":
            client.force_login(people[who].user)
        return client

    return make
