"""A member's private messages in their export, and their erasure: a real ``pg_dump
--data-only`` of the network's schema afterwards holds neither their email, nor their
pseudonym, nor their messages' text, while the other member's side still reads."""

import pytest
from django_tenants.utils import tenant_context

from provisioning import services as provisioning
from tenant_apps.members import services as members
from tenant_apps.messaging import access, personal_data, selectors, services
from tenant_apps.messaging.models import Message
from tests.members.factories import account
from tests.members.test_erasure import schema_dump
from tests.messaging.factories import exchange, open_to

EMAIL = "zoe.messages-7310@example.org"
PSEUDONYM = "Zoe7310"
ZOE_TEXT = "Mon secret de Zoe : rendez-vous jeudi"
BOB_TEXT = "Réponse de Bob, gardée"


@pytest.mark.django_db
def test_the_export_holds_the_members_messages(tenant):
    zoe, bob = account("Zoe").member, account("Bob").member
    exchange(zoe, bob, "Premier mot", "Second mot")
    open_to(zoe)
    services.message_send(author=bob, recipient=zoe, body="Pas à moi d'exporter")
    data = personal_data.export(member=zoe)
    assert [m["body"] for m in data["messages"]] == ["Premier mot", "Second mot"]
    assert [c["with"] for c in data["conversations"]] == ["Bob"]
    # Through the members' export hook too.
    assert members.member_export(member=zoe)["content"]["messaging"] == data


@pytest.fixture
def network(transactional_db, drop_tenant_schemas):
    provisioning.platform_ensure()
    return provisioning.tenant_create(
        slug="erase-messages", name="Réseau messages", organization_slug="asso-messages",
        admin_email="admin@messages.example", actor="test",
    ).tenant  # fmt: skip


def test_erasure_blanks_the_members_messages_and_keeps_the_others_side(network):
    with tenant_context(network):
        zoe = members.member_create(
            username=PSEUDONYM, email=EMAIL, password="un-long-secret-42"
        ).member
        bob = members.member_create(
            username="BobGarde", email="bob.garde@example.org", password="un-long-secret-42"
        ).member
        exchange(zoe, bob, ZOE_TEXT)
        open_to(zoe)
        services.message_send(author=bob, recipient=zoe, body=BOB_TEXT)
        conversation_id = Message.objects.get(body=BOB_TEXT).conversation_id
        assert ZOE_TEXT in schema_dump(network.schema_name)

        members.member_erase(member=zoe, delete_content=False)

        dump = schema_dump(network.schema_name)
        for trace in (EMAIL, PSEUDONYM, ZOE_TEXT, "rendez-vous jeudi"):
            assert trace.lower() not in dump.lower(), trace
        assert BOB_TEXT in dump
        # Bob still reads the conversation: his message, and Zoe's place kept, erased.
        bob.refresh_from_db()
        side = access.participation_or_404(bob, conversation_id)
        shown = selectors.thread_page(side).items
        assert [(m.author_id, m.erased, m.body) for m in shown] == [
            (zoe.pk, True, ""),
            (bob.pk, False, BOB_TEXT),
        ]
        zoe.refresh_from_db()
        assert side.other.display_name == zoe.display_name
        assert PSEUDONYM not in zoe.display_name
        assert not access.can_write(bob, zoe)
