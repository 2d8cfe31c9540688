"""Moderation fixtures: the team and members of network alpha, and forum posts to act on."""

import pytest

from tenant_apps.members.models import ProfileType, Role
from tests.members.factories import account
from tests.moderation.factories import make_reply, make_topic


@pytest.fixture
def people(tenant):
    """Users: an admin, a moderator, a patient, a caregiver (who cannot see the patients'
    space) and a second patient."""
    return {
        "admin": account("Alice", Role.ADMIN),
        "moderator": account("Mona", Role.MODERATOR),
        "member": account("Bob"),
        "caregiver": account("Carla", profile_type=ProfileType.CAREGIVER),
        "author": account("Dede"),
    }


@pytest.fixture
def member_of(people):
    return {name: user.member for name, user in people.items()}


@pytest.fixture
def topic(member_of):
    return make_topic(member_of["author"])


@pytest.fixture
def reply(topic, member_of):
    return make_reply(topic, member_of["author"], body="Un message à modérer")


@pytest.fixture
def role_accounts(people):
    """``client_as`` signs in as these people."""
    return people
