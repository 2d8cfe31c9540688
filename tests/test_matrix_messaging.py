"""Authorization matrix of private messages: a conversation between Bob (member) and Wendy
(correspondent) is readable and writable by those two only — not by a third member (the
caregiver), not by a moderator, not by an admin, not from another network, not by a
suspended member. Refusals are 404 (or sign-in for signed-out visitors) and change nothing;
the inbox asserts which conversations each role gets."""

import pytest
from django_tenants.utils import tenant_context

from tenant_apps.messaging import services
from tenant_apps.messaging.models import Message, Participation
from tenant_apps.moderation import services as moderation
from tenant_apps.moderation.models import Case, Report
from tenant_apps.social.models import Block, SocialSettings
from tests import matrix
from tests.matrix import Route, api, cases, check
from tests.members.factories import account

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "other_network", "suspended", "member", "correspondent", "caregiver",
         "moderator", "admin")  # fmt: skip
PAIR = frozenset({"member", "correspondent"})
CORRESPONDENT = frozenset({"correspondent"})
SIGNED_IN = frozenset({"member", "correspondent", "caregiver", "moderator", "admin"})


@pytest.fixture(scope="module")
def messaging_world(shared_world, session_networks, django_db_blocker):
    """The shared world plus Wendy, who lets every member write to her first and wrote to Bob
    (who answered), and Tina, who also lets everyone write to her (the "new message" page)."""
    w = shared_world
    with django_db_blocker.unblock(), tenant_context(session_networks.get("alpha")):
        w.wendy = account("Wendy").member
        w.people["correspondent"] = w.wendy
        for member in (w.people["member"], w.tina):
            SocialSettings.objects.update_or_create(
                member=member, defaults={"first_contact": SocialSettings.FirstContact.EVERYONE}
            )
        w.first_message = services.message_send(
            author=w.wendy, recipient=w.people["member"], body="Bonjour Bob, comment vas-tu ?"
        )
        w.conversation = w.first_message.conversation
        w.answer = services.message_send(
            author=w.people["member"], recipient=w.wendy, body="Mieux, merci !"
        )
        # Bob reported Wendy's first message: that message alone is in the queue.
        w.message_report = moderation.report_create(
            reporter=w.people["member"], target=w.first_message, reason=Report.Reason.OTHER,
            detail="Insistant.",
        )  # fmt: skip
    return w


@pytest.fixture
def world(messaging_world, tenant):
    return messaging_world


@pytest.fixture
def role_accounts(messaging_world):
    return {**messaging_world.accounts, "correspondent": messaging_world.wendy.user}


def _inbox_ids(response) -> list[int]:
    return [row.conversation_id for row in response.context["page"].items]


def _inbox(response, world, role):
    expected = [world.conversation.pk] if role in PAIR else []
    assert _inbox_ids(response) == expected


def _thread(response, world, role):
    assert [m.pk for m in response.context["page"].items] == [
        world.first_message.pk,
        world.answer.pk,
    ]


def _sent(response, world, role):
    assert response["Location"] == f"/messages/{world.conversation.pk}/"
    return Message.objects.filter(
        conversation=world.conversation, author=world.people[role], body="Un mot de plus."
    ).exists()


def _new_page(response, world, role):
    assert response.context["recipient"] == world.tina
    assert response.context["can_write"] is True


def _new_sent(response, world, role):
    return Message.objects.filter(author=world.people[role], body="Bonjour Tina").exists()


def _hidden(response, world, role):
    return Participation.objects.get(
        conversation=world.conversation, member=world.people[role]
    ).hidden


def _blocked(response, world, role):
    me = world.people[role]
    other = world.wendy if role == "member" else world.people["member"]
    return Block.objects.filter(blocker=me, blocked=other).exists()


def _api_list(response, world, role):
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == ([world.conversation.pk] if role in PAIR else [])


def _api_thread(response, world, role):
    assert [m["id"] for m in response.json()["results"]] == [
        world.first_message.pk,
        world.answer.pk,
    ]


def _api_sent(response, world, role):
    if role in PAIR:
        assert response.json()["conversation"] == world.conversation.pk
    return Message.objects.filter(author=world.people[role], body="Par l'API").exists()


def _api_read(response, world, role):
    return (
        Participation.objects.get(conversation=world.conversation, member=world.people[role]).unread
        == 0
    )


def _preferences(response, world, role):
    expected = "everyone" if role == "member" else "nobody"
    assert response.context["form"].initial == {"first_contact": expected}


def _preferences_saved(response, world, role):
    return SocialSettings.objects.get(member=world.people[role]).first_contact == "followed"


def _report_page(response, world, role):
    assert response.context["post"] == world.answer


def _kept(response, world, role):
    return Case.objects.get(message=world.first_message).status == Case.Status.CLOSED


def _other(world):
    """The pair write in their conversation; anyone else to Bob, who lets every member
    write to him first (refusals to write are 400 on the body: tests/messaging)."""
    return world.wendy if world.role == "member" else world.people["member"]


ROUTES = {
    "messaging:inbox": Route("get", lambda w: "/messages/", SIGNED_IN, roles=ROLES, check=_inbox),
    "messaging:conversation": Route(
        "get", lambda w: f"/messages/{w.conversation.pk}/", PAIR, roles=ROLES, check=_thread
    ),
    "messaging:new": Route(
        "get",
        lambda w: f"/messages/ecrire/{w.tina.user.username}/",
        SIGNED_IN,
        roles=ROLES,
        check=_new_page,
    ),  # fmt: skip
    "messaging:hide": Route(
        "post",
        lambda w: f"/messages/{w.conversation.pk}/masquer/",
        PAIR,
        status=302,
        roles=ROLES,
        check=_hidden,
    ),  # fmt: skip
    "messaging:block": Route(
        "post",
        lambda w: f"/messages/{w.conversation.pk}/bloquer/",
        PAIR,
        status=302,
        roles=ROLES,
        check=_blocked,
    ),  # fmt: skip
    "messaging:preferences": Route(
        "get", lambda w: "/messages/reglages/", SIGNED_IN, roles=ROLES, check=_preferences
    ),
    # A message reaches moderators only through the queue: reported by Wendy (Bob's answer);
    # kept by a moderator or an admin from the queue (Wendy's message, which Bob reported).
    "moderation:report_message": Route(
        "get",
        lambda w: f"/moderation/signaler/message-prive/{w.answer.pk}/",
        CORRESPONDENT,
        roles=ROLES,
        check=_report_page,
    ),  # fmt: skip
    "moderation:message_action": Route(
        "post",
        lambda w: f"/moderation/messages-prives/{w.first_message.pk}/approve/",
        frozenset({"moderator", "admin"}),
        status=302,
        roles=ROLES,
        check=_kept,
    ),  # fmt: skip
    "api_conversations": api(
        "get", lambda w: "/api/messages/conversations/", SIGNED_IN, roles=ROLES, check=_api_list
    ),
    "api_conversation_messages": api(
        "get",
        lambda w: f"/api/messages/conversations/{w.conversation.pk}/messages/",
        PAIR,
        roles=ROLES,
        check=_api_thread,
    ),  # fmt: skip
    "api_conversation_read": api(
        "post",
        lambda w: f"/api/messages/conversations/{w.conversation.pk}/read/",
        PAIR,
        status=204,
        roles=ROLES,
        check=_api_read,
    ),  # fmt: skip
    "api_conversation_block": api(
        "post",
        lambda w: f"/api/messages/conversations/{w.conversation.pk}/block/",
        PAIR,
        status=204,
        roles=ROLES,
        check=_blocked,
    ),  # fmt: skip
    "api_conversation_hide": api(
        "post",
        lambda w: f"/api/messages/conversations/{w.conversation.pk}/hide/",
        PAIR,
        status=204,
        roles=ROLES,
        check=_hidden,
    ),  # fmt: skip
    "api_message_preferences": api(
        "get",
        lambda w: "/api/messages/preferences/",
        SIGNED_IN,
        roles=ROLES,
        check=lambda r, w, role: (
            r.json() == {"first_contact": "everyone" if role == "member" else "nobody"}
        ),
    ),  # fmt: skip
    "api_message_send": api(
        "post",
        lambda w: "/api/messages/send/",
        SIGNED_IN,
        status=201,
        roles=ROLES,
        data=lambda w: {"recipient": _other(w).pk, "body": "Par l'API"},
        check=_api_sent,
    ),  # fmt: skip
}

# Other methods of the routes above, one case per role too.
OTHER_METHODS = {
    "api_message_preferences": api(
        "patch",
        lambda w: "/api/messages/preferences/",
        SIGNED_IN,
        roles=ROLES,
        data=lambda w: {"first_contact": "followed"},
        check=_preferences_saved,
    ),  # fmt: skip
    "messaging:preferences": Route(
        "post",
        lambda w: "/messages/reglages/",
        SIGNED_IN,
        status=302,
        roles=ROLES,
        data=lambda w: {"first_contact": "followed"},
        check=_preferences_saved,
    ),  # fmt: skip
    "messaging:conversation": Route(
        "post",
        lambda w: f"/messages/{w.conversation.pk}/",
        PAIR,
        status=302,
        roles=ROLES,
        data=lambda w: {"body": "Un mot de plus."},
        check=_sent,
    ),  # fmt: skip
    "messaging:new": Route(
        "post",
        lambda w: f"/messages/ecrire/{w.tina.user.username}/",
        SIGNED_IN,
        status=302,
        roles=ROLES,
        data=lambda w: {"body": "Bonjour Tina"},
        check=_new_sent,
    ),  # fmt: skip
}


@pytest.mark.parametrize(("route", "role"), cases(ROUTES))
def test_messaging_matrix(client_as, world, route, role):
    check(ROUTES, route, role, client_as, world)


@pytest.mark.parametrize(("route", "role"), cases(OTHER_METHODS))
def test_messaging_other_methods_matrix(client_as, world, route, role):
    check(OTHER_METHODS, route, role, client_as, world)


def test_the_matrix_tries_a_third_member_a_moderator_an_admin_and_another_network():
    assert {"caregiver", "moderator", "admin", "other_network", "suspended"} <= set(ROLES)
    assert matrix.SIGNED_OUT <= set(ROLES)
