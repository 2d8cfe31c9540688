"""How notifications read, and the demo notifications."""

import pytest
from django.utils.translation import gettext

from tenant_apps.members.models import Role
from tenant_apps.members.services import member_erase
from tenant_apps.notifications import presentation, seeds
from tenant_apps.notifications.models import Notification
from tests.notifications.factories import account, notify

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "kind,source",
    [
        ("mention", "@%(actor)s mentioned you in “%(subject)s”"),
        ("reply", "@%(actor)s replied in “%(subject)s”"),
        ("moderation", "The moderators made a decision about “%(subject)s”"),
        ("group", "A decision was made about the group “%(subject)s”"),
        ("warning", "The moderators sent you a warning"),
        ("answer", "The association answered your question with “%(subject)s”"),
    ],
)
def test_each_kind_reads_as_its_own_sentence(tenant, kind, source):
    carla = account("Carla").member
    notification = notify(account("Bob").member, actor=carla, kind=kind, subject="Le sujet")
    assert presentation.sentence(notification) == gettext(source) % {
        "actor": "Carla",
        "subject": "Le sujet",
    }


def test_an_erased_actor_is_not_named(tenant):
    carla = account("Carla").member
    notification = notify(account("Bob").member, actor=carla, subject="Le sujet")
    member_erase(member=carla)
    notification.refresh_from_db()
    assert presentation.sentence(notification) == gettext(
        "A member mentioned you in “%(subject)s”"
    ) % {"subject": "Le sujet"}


def test_a_moderation_reason_is_labelled_other_details_shown_as_given(tenant):
    bob = account("Bob").member
    decision = notify(bob, kind="moderation", detail="Hors charte")
    assert presentation.reason(decision) == gettext("Reason: %(detail)s") % {
        "detail": "Hors charte"
    }
    assert presentation.reason(notify(bob, kind="group", detail="Groupe accepté.")) == (
        "Groupe accepté."
    )
    assert presentation.reason(notify(bob, kind="mention")) == ""


def test_the_demo_notifications_are_made_once(tenant):
    accounts = {
        "admin": account("admin", Role.ADMIN).member,
        "modo": account("modo", Role.MODERATOR).member,
        "membre": account("membre").member,
        "proche": account("proche").member,
    }
    seeds.demo_content(accounts=accounts)
    seeds.demo_content(accounts=accounts)
    assert Notification.objects.filter(recipient=accounts["membre"]).count() == 2
