"""A private message before the moderators: only when it is reported or may signal a crisis,
and then that message alone in the queue; moderators hide or keep it; the author is told."""

import pytest

from tenant_apps.members.models import Role
from tenant_apps.messaging import access, services
from tenant_apps.messaging.models import Message
from tenant_apps.moderation.models import Case, CrisisTerm, Report
from tests.members.factories import account
from tests.messaging.factories import exchange, open_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(tenant):
    ana, bea = account("Ana").member, account("Bea").member
    mona = account("Mona", Role.MODERATOR).member
    return ana, bea, mona


def test_a_crisis_message_goes_to_the_queue_alone(client_as, cast):
    ana, bea, mona = cast
    CrisisTerm.objects.get_or_create(phrase="en finir")
    before, = exchange(bea, ana, "Texte d'avant, privé")  # fmt: skip
    open_to(bea)
    crisis = services.message_send(author=ana, recipient=bea, body="Je veux en finir ce soir")
    after = services.message_send(author=bea, recipient=ana, body="Texte d'après, privé")
    case = Case.objects.get()
    assert (case.kind, case.message_id) == (Case.Kind.CRISIS, crisis.pk)
    queue = client_as(mona).get("/moderation/")
    assert queue.status_code == 200
    content = queue.content.decode()
    assert f'id="case-message-{crisis.pk}"' in content
    assert "en finir ce soir" in content
    for other in (before, after):
        assert other.body not in content
    # The moderator may now write first to Ana, whom they are helping; not to Cleo, who has
    # no case and takes no first message.
    assert access.can_write(mona, ana)
    assert not access.can_write(mona, account("Cleo").member)
    # And still cannot open the conversation.
    assert client_as(mona).get(f"/messages/{crisis.conversation_id}/").status_code == 404


def test_a_reported_message_is_hidden_by_a_moderator_and_both_members_see_it(client_as, cast):
    ana, bea, mona = cast
    message, other = exchange(ana, bea, "Tu es nul·le.", "Réponds-moi !")
    page = client_as(bea).get(f"/moderation/signaler/message-prive/{message.pk}/")
    assert page.status_code == 200
    assert "Tu es nul" in page.content.decode()
    reported = client_as(bea).post(
        f"/moderation/signaler/message-prive/{message.pk}/", {"reason": "hurtful"}
    )
    assert reported.status_code == 200
    report = Report.objects.get()
    assert (report.case.message_id, report.reporter_id, report.post_id) == (
        message.pk,
        bea.pk,
        None,
    )
    # Only that message is before the moderators: not the other one of the conversation.
    content = client_as(mona).get("/moderation/").content.decode()
    assert "Tu es nul" in content
    assert "Réponds-moi" not in content
    # The queue's API too: that message alone.
    items = client_as(mona).get("/api/moderation/queue/").json()["results"]
    assert [(i["target"], i["id"], i["post"]) for i in items] == [("message", message.pk, None)]
    assert "Réponds-moi" not in str(items)
    assert client_as(mona).post(f"/moderation/messages-prives/{other.pk}/hide/",
                                {"reason": "x"}).status_code == 404  # fmt: skip
    hidden = client_as(mona).post(
        f"/moderation/messages-prives/{message.pk}/hide/", {"reason": "Propos blessants."}
    )
    assert hidden.status_code == 302
    message.refresh_from_db()
    assert message.status == Message.Status.HIDDEN
    assert Case.objects.get().status == Case.Status.CLOSED
    for member in (ana, bea):
        thread = client_as(member).get(f"/messages/{message.conversation_id}/").content.decode()
        assert "Tu es nul" not in thread
        assert "Réponds-moi" in thread
    # The author is told, with the reason, and a link to the conversation.
    notification = ana.notifications.get()
    assert notification.detail == "Propos blessants."
    assert notification.url == f"/messages/{message.conversation_id}/"
    api = client_as(bea).get(f"/api/messages/conversations/{message.conversation_id}/messages/")
    assert [m["body"] for m in api.json()["results"]] == ["", "Réponds-moi !"]


def test_who_may_report_a_message(client_as, cast, tenant):
    ana, bea, mona = cast
    (message,) = exchange(ana, bea, "Bonjour")
    path = f"/moderation/signaler/message-prive/{message.pk}/"
    # The author, a third member, a moderator or an admin: the missing page.
    for who in (ana, account("Cleo").member, mona, account("Alice", Role.ADMIN).member):
        assert client_as(who).get(path).status_code == 404
    assert client_as(bea).get(path).status_code == 200


def test_a_moderator_cannot_act_on_a_message_without_a_case(client_as, cast):
    ana, bea, mona = cast
    (message,) = exchange(ana, bea, "Bonjour")
    for action in ("approve", "hide", "restore"):
        response = client_as(mona).post(
            f"/moderation/messages-prives/{message.pk}/{action}/", {"reason": "x"}
        )
        assert response.status_code == 404
    message.refresh_from_db()
    assert message.status == Message.Status.PUBLISHED
