"""The demo's conversations: written once, readable by their two members, an unread one."""

import pytest

from tenant_apps.members.models import Role
from tenant_apps.messaging import seeds, selectors
from tenant_apps.messaging.models import Conversation, Message
from tests.members.factories import account

pytestmark = pytest.mark.django_db


def test_the_demo_conversations_are_written_once(tenant):
    accounts = {
        "admin": account("Admin", Role.ADMIN).member,
        "modo": account("Modo", Role.MODERATOR).member,
        "membre": account("Membre").member,
        "proche": account("Proche").member,
        **{key: account(key.title()).member for key in ("nadine", "gilles", "soraya", "jean")},
    }
    seeds.demo_activity(accounts=accounts, content={})
    seeds.demo_activity(accounts=accounts, content={})
    assert Conversation.objects.count() == 3
    assert Message.objects.count() == 7
    # The demo member's last message from Gilles waits unread; the inbox shows it.
    assert selectors.unread_count(accounts["membre"]) == 1
    assert [row.other for row in selectors.inbox_page(accounts["membre"]).items] == [
        accounts["gilles"]
    ]
    assert selectors.inbox_page(accounts["modo"]).items[0].other == accounts["soraya"]
