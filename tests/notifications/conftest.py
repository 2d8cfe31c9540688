"""Fixtures of the notifications tests: people of network alpha and clients acting as them."""

import pytest
from django.contrib.sessions.models import Session
from django_tenants.utils import tenant_context

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
def client_as(tenant, other_tenant, client_for, people):
    """A client on alpha's host: anonymous, one of ``people``, or beta's member "Bob"."""

    def make(who: str):
        client = client_for(tenant)
        if who == "other_tenant":
            with tenant_context(other_tenant):
                stranger = client_for(other_tenant)
                # Same pseudonym, another network: a different account.
                stranger.force_login(account("Bob"))
                assert Session.objects.filter(pk=stranger.cookies["sessionid"].value).exists()
            client.cookies = stranger.cookies
        elif who == "suspended":
            suspended = account("Suzy")
            Member.objects.filter(user=suspended).update(status=Member.Status.SUSPENDED)
            client.force_login(suspended)
        elif who != "anonymous":
            client.force_login(people[who])
        return client

    return make
