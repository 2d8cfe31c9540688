"""How notifications read, and the demo notifications."""

import datetime

import pytest
from django.utils import timezone
from django.utils.translation import gettext

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
        ("moderation", "Your message in “%(subject)s” is published"),
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


def test_a_moderation_notice_says_what_happened_to_the_message(tenant):
    bob = account("Bob").member
    hidden = notify(bob, kind="moderation", subject="Le sujet", detail="Hors charte")
    assert presentation.sentence(hidden) == gettext(
        "A moderator hid or edited your message in “%(subject)s”, and says why"
    ) % {"subject": "Le sujet"}
    published = notify(bob, kind="moderation", subject="Le sujet")
    assert presentation.sentence(published) == gettext(
        "Your message in “%(subject)s” is published"
    ) % {"subject": "Le sujet"}


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


def test_the_demo_inboxes_have_read_the_old_news_and_not_the_new(tenant):
    bob = account("Bob").member
    old, new = notify(bob, kind="reply"), notify(bob, kind="mention")
    created = timezone.now() - seeds.DEMO_READ_AFTER - datetime.timedelta(hours=1)
    Notification.objects.filter(pk=old.pk).update(created=created)
    seeds.demo_activity(accounts={}, content={})
    seeds.demo_activity(accounts={}, content={})
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.read_at == created + datetime.timedelta(hours=1)
    assert old.emailed_at == created  # the digests do not send old news
    assert new.read_at is None and new.emailed_at is None


def test_a_professional_or_rcp_notice_reads_as_its_subject_with_its_own_reason(tenant):
    bob = account("Bob").member
    refused = notify(
        bob, kind="professional", subject="Votre demande a été refusée", detail="RPPS illisible"
    )
    assert presentation.sentence(refused) == "Votre demande a été refusée"
    assert presentation.reason(refused) == gettext("Reason: %(detail)s") % {
        "detail": "RPPS illisible"
    }
    quorum = notify(bob, kind="rcp", subject="Quorum manquant : RCP thorax", detail="Radiologue")
    assert presentation.sentence(quorum) == "Quorum manquant : RCP thorax"
    assert presentation.reason(quorum) == gettext("Missing: %(detail)s") % {"detail": "Radiologue"}
