"""The private messages' pages: writing and answering, what the screening asks, blocks, the
header's count, bad input, and query counts that do not grow with the data."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tenant_apps.messaging import services
from tenant_apps.messaging.models import Conversation, Message
from tenant_apps.moderation.models import CrisisTerm
from tenant_apps.social import relations
from tenant_apps.social.models import SocialSettings
from tests.members.factories import account
from tests.messaging.factories import exchange, open_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(tenant):
    return account("Ana").member


@pytest.fixture
def bea(tenant):
    return account("Bea").member


def test_writing_from_the_new_message_page_then_answering(client_as, ana, bea):
    open_to(bea)
    response = client_as(ana).post(f"/messages/ecrire/{bea.user.username}/", {"body": "Salut"})
    conversation = Conversation.objects.get()
    assert response["Location"] == f"/messages/{conversation.pk}/"
    # Once a conversation exists, the page leads to it.
    again = client_as(ana).get(f"/messages/ecrire/{bea.pk}/")
    assert again["Location"] == f"/messages/{conversation.pk}/"
    page = client_as(bea).post(f"/messages/{conversation.pk}/", {"body": "Bonjour Ana"})
    assert page.status_code == 302
    assert list(Message.objects.order_by("id").values_list("author_id", "body")) == [
        (ana.pk, "Salut"),
        (bea.pk, "Bonjour Ana"),
    ]


def test_a_member_who_takes_no_first_message_shows_no_form(client_as, ana, bea):
    response = client_as(ana).get(f"/messages/ecrire/{bea.user.username}/")
    assert response.status_code == 200
    assert b'id="cannot-write"' in response.content
    assert b'id="message-form"' not in response.content
    refused = client_as(ana).post(f"/messages/ecrire/{bea.user.username}/", {"body": "Salut"})
    assert refused.status_code == 200
    assert not Message.objects.exists()


def test_after_a_block_the_blocked_member_reads_the_same_as_nobody(client_as, ana, bea):
    (first,) = exchange(ana, bea, "Bonjour")
    conversation = first.conversation
    blocked = client_as(bea).post(f"/messages/{conversation.pk}/bloquer/")
    assert blocked.status_code == 302
    for member in (ana, bea):
        page = client_as(member).get(f"/messages/{conversation.pk}/")
        assert b'id="cannot-write"' in page.content
        assert b'id="message-form"' not in page.content
        refused = client_as(member).post(f"/messages/{conversation.pk}/", {"body": "Alors ?"})
        assert refused.status_code == 200
    assert Message.objects.count() == 1
    # Ana's page says what "nobody" says, and nothing of a block.
    ana_page = client_as(ana).get(f"/messages/{conversation.pk}/")
    assert b'id="blocked"' not in ana_page.content
    dora = account("Dora").member  # takes no first message (the default)
    nobody_page = client_as(account("Cleo").member).get(f"/messages/ecrire/{dora.pk}/")
    assert _notice(ana_page) == _notice(nobody_page)
    # Bea sees that she blocked Ana.
    assert b'id="blocked"' in client_as(bea).get(f"/messages/{conversation.pk}/").content


def _notice(response) -> bytes:
    content = response.content
    start = content.index(b'id="cannot-write"')
    return content[start : content.index(b"</p>", start)]


def test_identifying_data_asks_to_confirm_and_keeps_the_text(client_as, ana, bea):
    open_to(bea)
    text = "Mon mail : ana.perso@example.org"
    path = f"/messages/ecrire/{bea.pk}/"
    asked = client_as(ana).post(path, {"body": text})
    assert asked.status_code == 200
    assert "confirm_identifying" in asked.context["form"].fields
    assert asked.context["form"]["body"].value() == text
    assert not Message.objects.exists()
    sent = client_as(ana).post(path, {"body": text, "confirm_identifying": "on"})
    assert sent.status_code == 302
    assert Message.objects.get().body == text


def test_signs_of_a_crisis_show_the_author_the_help_lines(client_as, ana, bea):
    open_to(bea)
    CrisisTerm.objects.get_or_create(phrase="en finir")
    client = client_as(ana)
    response = client.post(f"/messages/ecrire/{bea.pk}/", {"body": "Je veux en finir"})
    page = client.get(response["Location"])
    assert b'id="crisis-resources"' in page.content
    # Once: the next visit is a plain page.
    assert b'id="crisis-resources"' not in client.get(response["Location"]).content


def test_a_megabyte_a_forged_id_and_another_networks_member(client_as, ana, bea, other_tenant):
    open_to(bea)
    big = client_as(ana).post(f"/messages/ecrire/{bea.pk}/", {"body": "x" * 1_000_000})
    assert big.status_code == 200
    assert big.context["form"].errors["body"]
    assert not Message.objects.exists()
    assert client_as(ana).get("/messages/987654321/").status_code == 404
    assert client_as(ana).get("/messages/ecrire/99999999999999999999/").status_code == 404
    assert client_as(ana).get("/messages/ecrire/Personne/").status_code == 404
    assert client_as(ana).get(f"/messages/ecrire/{ana.pk}/").status_code == 404


def test_the_header_counts_unread_messages(client_as, ana, bea):
    exchange(ana, bea, "Un", "Deux")
    page = client_as(bea).get("/messages/")
    assert page.context["unread_messages"] == 2
    assert b'id="unread-messages"' in page.content
    conversation = Conversation.objects.get()
    client_as(bea).get(f"/messages/{conversation.pk}/")
    assert b'id="unread-messages"' not in client_as(bea).get("/messages/").content


def _queries(client, path: str) -> list[str]:
    """The queries of a page, once the process's caches (hosts, layout) are warm."""
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@override_settings(THROTTLE_RATES={"messages.send": "1000/min", "messages.first_contact": "9/h"})
def test_the_inbox_costs_the_same_with_2_or_12_conversations(client_as, ana, tenant):
    client = client_as(ana)

    def grow(count):
        for i in range(count):
            other = account(f"Corr{Conversation.objects.count()}x{i}").member
            exchange(other, ana, "Bonjour", "Tu es là ?")

    grow(2)
    small = _queries(client, "/messages/")
    grow(10)
    large = _queries(client, "/messages/")
    assert len(client.get("/messages/").context["page"].items) == 12
    assert len(small) == len(large), large


@override_settings(THROTTLE_RATES={"messages.send": "1000/min", "messages.first_contact": "9/h"})
def test_a_conversation_costs_the_same_with_3_or_30_messages(client_as, ana, bea):
    open_to(ana)
    open_to(bea)
    exchange(ana, bea, "Un", "Deux", "Trois")
    conversation = Conversation.objects.get()
    client = client_as(bea)
    client.get(f"/messages/{conversation.pk}/")  # read once: the next visits write nothing
    small = _queries(client, f"/messages/{conversation.pk}/")
    for i in range(27):
        services.message_send(author=ana if i % 2 else bea, recipient=bea if i % 2 else ana,
                              body=f"Message {i}")  # fmt: skip
    client.get(f"/messages/{conversation.pk}/")
    large = _queries(client, f"/messages/{conversation.pk}/")
    assert len(client.get(f"/messages/{conversation.pk}/").context["page"].items) == 30
    assert len(small) == len(large), large


@override_settings(THROTTLE_RATES={"messages.send": "1000/min", "messages.first_contact": "9/h"})
def test_the_thread_pages_by_keyset(client_as, ana, bea):
    open_to(bea)
    for i in range(55):
        services.message_send(author=ana, recipient=bea, body=f"Message {i}")
    conversation = Conversation.objects.get()
    client = client_as(bea)
    newest = client.get(f"/messages/{conversation.pk}/").context["page"]
    assert [m.body for m in newest.items][-1] == "Message 54"
    assert len(newest.items) == 50
    older = client.get(f"/messages/{conversation.pk}/?avant={newest.next}").context["page"]
    assert [m.body for m in older.items] == [f"Message {i}" for i in range(5)]
    assert older.next is None


def test_first_contact_choice_followed(client_as, ana, bea):
    open_to(bea, SocialSettings.FirstContact.FOLLOWED)
    path = f"/messages/ecrire/{bea.pk}/"
    assert b'id="cannot-write"' in client_as(ana).get(path).content
    from tenant_apps.social.models import Follow

    Follow.objects.create(follower=bea, followed=ana)
    relations.blocks_forget(ana)
    assert b'id="message-form"' in client_as(ana).get(path).content


def test_choosing_who_may_write_first(client_as, ana, bea):
    client = client_as(bea)
    assert client.get("/messages/reglages/").context["form"].initial == {"first_contact": "nobody"}
    assert client.post("/messages/reglages/", {"first_contact": "everyone"}).status_code == 302
    assert b'id="message-form"' in client_as(ana).get(f"/messages/ecrire/{bea.pk}/").content
    refused = client.post("/messages/reglages/", {"first_contact": "strangers"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["first_contact"]
    assert SocialSettings.objects.get(member=bea).first_contact == "everyone"


def test_a_double_submit_sends_the_first_message_once(client_as, ana, bea):
    open_to(bea)
    client = client_as(ana)
    for _ in range(2):
        response = client.post(f"/messages/ecrire/{bea.user.username}/", {"body": "Premier mot"})
        assert response.status_code == 302
    assert Conversation.objects.count() == 1
    assert Message.objects.filter(body="Premier mot").count() == 1


def test_a_pseudonym_with_a_nul_byte_is_a_404(client_as, ana, bea):
    assert client_as(ana).get(f"/messages/ecrire/{bea.user.username}%00/").status_code == 404
