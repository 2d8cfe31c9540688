"""Fixtures of the notifications tests: people of network alpha and clients acting as them."""

import pytest

from tenant_apps.members.models import Member, Role
from tests.notifications.factories import account


@pytest.fixture
def people(tenant):
    return {
        "member": account("Bob"),
        "other": account("Carla"),
        "moderator": account("Mona", Role.MODERATOR),
    }


@pytest.fixture
def role_accounts(people):
    """``client_as`` signs in as these people, and as "suspended" Suzy."""
    suspended = account("Suzy")
    Member.objects.filter(user=suspended).update(status=Member.Status.SUSPENDED)
    return {**people, "suspended": suspended}


@pytest.fixture
def other_network_account():
    """``client_as("other_network")`` is beta's member "Bob": same pseudonym as alpha's Bob,
    another network, a different account."""
    return lambda: account("Bob")
