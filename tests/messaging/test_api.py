"""The private messages' API: send and read through the same rules as the pages, 400 with
field errors for bad input, never 500; the OpenAPI schema documents every endpoint."""

import json

import pytest
from django.core.management import call_command

from tenant_apps.messaging.models import Conversation, Message
from tests.members.factories import account
from tests.messaging.factories import exchange, open_to

pytestmark = pytest.mark.django_db


def _send(client, **data):
    return client.post("/api/messages/send/", json.dumps(data), content_type="application/json")


def test_send_list_read_and_the_unread_count(client_as, tenant):
    ana, bea = account("Ana").member, account("Bea").member
    open_to(bea)
    sent = _send(client_as(ana), recipient=bea.pk, body="Bonjour Bea")
    assert sent.status_code == 201
    body = sent.json()
    assert (body["mine"], body["crisis"], body["body"]) == (True, False, "Bonjour Bea")
    conversation = Conversation.objects.get()
    listed = client_as(bea).get("/api/messages/conversations/").json()
    assert [
        (row["id"], row["unread"], row["other"]["display_name"]) for row in listed["results"]
    ] == [(conversation.pk, 1, "Ana")]
    thread = client_as(bea).get(f"/api/messages/conversations/{conversation.pk}/messages/").json()
    assert [(m["body"], m["mine"]) for m in thread["results"]] == [("Bonjour Bea", False)]
    read = client_as(bea).post(f"/api/messages/conversations/{conversation.pk}/read/")
    assert read.status_code == 204
    assert client_as(bea).get("/api/messages/conversations/").json()["results"][0]["unread"] == 0


def test_bad_input_answers_400_with_field_errors(client_as, tenant):
    ana, bea = account("Ana").member, account("Bea").member
    client = client_as(ana)
    # Bea takes no first message: the same 400 as a block, on the body.
    refused = _send(client, recipient=bea.pk, body="Bonjour")
    assert refused.status_code == 400
    assert list(refused.json()) == ["body"]
    # A member that does not exist reads the same.
    assert _send(client, recipient=987654321, body="Bonjour").json() == refused.json()
    open_to(bea)
    assert "body" in _send(client, recipient=bea.pk, body="x" * 1_000_000).json()
    assert "recipient" in _send(client, recipient="abc", body="x").json()
    assert "recipient" in _send(client, recipient=2**70, body="x").json()
    assert "body" in _send(client, recipient=bea.pk).json()
    identifying = _send(client, recipient=bea.pk, body="Mon numéro : 06 12 34 56 78")
    assert identifying.status_code == 400 and "body" in identifying.json()
    assert not Message.objects.exists()
    confirmed = _send(client, recipient=bea.pk, body="06 12 34 56 78", confirm_identifying=True)
    assert confirmed.status_code == 201
    assert client.get("/api/messages/conversations/", {"apres": "x" * 100}).status_code == 400
    conversation = Conversation.objects.get()
    path = f"/api/messages/conversations/{conversation.pk}/messages/"
    assert client.get(path, {"avant": "abc"}).status_code == 400
    assert client.get(path, {"avant": str(2**70)}).status_code == 400


def test_block_through_the_api_stops_both(client_as, tenant):
    ana, bea = account("Ana").member, account("Bea").member
    (first,) = exchange(ana, bea, "Bonjour")
    open_to(ana)
    blocked = client_as(bea).post(f"/api/messages/conversations/{first.conversation_id}/block/")
    assert blocked.status_code == 204
    assert _send(client_as(ana), recipient=bea.pk, body="Alors ?").status_code == 400
    assert _send(client_as(bea), recipient=ana.pk, body="Non.").status_code == 400
    assert Message.objects.count() == 1


def test_the_schema_documents_the_messages_endpoints(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(out), "--urlconf", "config.urls_tenant",
                 "--validate", "--fail-on-warn")  # fmt: skip
    text = out.read_text()
    for operation in ("messages_conversations", "messages_list", "messages_read",
                      "messages_block", "messages_send", "messages_hide",
                      "messages_preferences_read", "messages_preferences_update"):  # fmt: skip
        assert f"operationId: {operation}" in text


def test_preferences_through_the_api(client_as, tenant):
    bea = account("Bea").member
    client = client_as(bea)
    path = "/api/messages/preferences/"
    assert client.get(path).json() == {"first_contact": "nobody"}
    bad = client.patch(path, json.dumps({"first_contact": "x"}), content_type="application/json")
    assert bad.status_code == 400 and "first_contact" in bad.json()
    good = client.patch(
        path, json.dumps({"first_contact": "everyone"}), content_type="application/json"
    )
    assert good.json() == {"first_contact": "everyone"}
