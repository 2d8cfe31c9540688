"""Authorization matrix of the moderators' pages: the queue, reports, actions on posts,
topics and members, and the moderation settings (admins)."""

import pytest

from tenant_apps.forums.models import Post, Topic
from tenant_apps.members.models import Member
from tenant_apps.moderation.models import OnDuty, Report, WatchedWord
from tenant_apps.notifications.models import Notification
from tests import matrix
from tests.matrix import ADMIN, EVERY_ROLE, STAFF, Route, cases, check

pytestmark = pytest.mark.django_db
world, role_accounts = matrix.world, matrix.role_accounts  # the module's shared world

# Who can read the Patients space's topic, hence report its posts.
READERS = frozenset({"member", "outsider_of_group", "group_member", "moderator", "admin"})


def _queue_shows_the_report(response, world, role):
    assert world.reply.body.encode() in response.content


ROUTES = {
    "moderation:queue": Route(
        "get", lambda w: "/moderation/", STAFF, check=_queue_shows_the_report
    ),
    "moderation:report": Route(
        "post",
        lambda w: f"/moderation/signaler/{w.tina_post.pk}/",
        READERS,
        200,  # the page that thanks them
        data=lambda w: {"reason": "hurtful"},
        roles=EVERY_ROLE,
        check=lambda r, w, role: Report.objects.filter(
            post=w.tina_post, reporter=w.people[role]
        ).exists(),
    ),  # fmt: skip
    "moderation:duty_toggle": Route("post", lambda w: "/moderation/astreinte/", STAFF, 302),
    "moderation:post_action": Route(
        "post",
        lambda w: f"/moderation/messages/{w.reply.pk}/hide/",
        STAFF,
        302,
        data=lambda w: {"reason": "Propos blessants"},
        check=lambda r, w, role: Post.objects.get(pk=w.reply.pk).status == Post.Status.HIDDEN,
    ),  # fmt: skip
    "moderation:post_edit": Route(
        "post",
        lambda w: f"/moderation/messages/{w.reply.pk}/modifier/",
        STAFF,
        302,
        data=lambda w: {"body": "Texte corrigé", "reason": "Numéro retiré"},
        check=lambda r, w, role: Post.objects.get(pk=w.reply.pk).body == "Texte corrigé",
    ),  # fmt: skip
    "moderation:topic_action": Route(
        "post",
        lambda w: f"/moderation/sujets/{w.topic.pk}/lock/",
        STAFF,
        302,
        check=lambda r, w, role: Topic.objects.get(pk=w.topic.pk).locked,
    ),  # fmt: skip
    "moderation:topic_move": Route(
        "post",
        lambda w: f"/moderation/sujets/{w.topic.pk}/deplacer/",
        STAFF,
        302,
        data=lambda w: {"category": w.caregivers_category.pk},
        check=lambda r, w, role: (
            Topic.objects.get(pk=w.topic.pk).category_id == w.caregivers_category.pk
        ),
    ),  # fmt: skip
    "moderation:member_warn": Route(
        "post",
        lambda w: f"/moderation/membres/{w.tina.user.username}/avertir/",
        STAFF,
        302,
        data=lambda w: {"reason": "Restez courtois"},
        check=lambda r, w, role: Notification.objects.filter(
            recipient=w.tina, kind=Notification.Kind.WARNING
        ).exists(),
    ),  # fmt: skip
    "moderation:member_suspend": Route(
        "post",
        lambda w: f"/moderation/membres/{w.tina.user.username}/suspendre/",
        STAFF,
        302,
        data=lambda w: {"reason": "Insultes"},
        check=lambda r, w, role: Member.objects.get(pk=w.tina.pk).status == Member.Status.SUSPENDED,
    ),  # fmt: skip
    "moderation:settings": Route("get", lambda w: "/moderation/reglages/", ADMIN),
    "moderation:word_add": Route(
        "post",
        lambda w: "/moderation/reglages/mots/",
        ADMIN,
        302,
        data=lambda w: {"word-phrase": "escroc", "word-action": "block"},
        check=lambda r, w, role: WatchedWord.objects.filter(phrase="escroc").exists(),
    ),  # fmt: skip
    "moderation:word_remove": Route(
        "post",
        lambda w: f"/moderation/reglages/mots/{w.word.pk}/supprimer/",
        ADMIN,
        302,
        check=lambda r, w, role: not WatchedWord.objects.filter(pk=w.word.pk).exists(),
    ),  # fmt: skip
    "moderation:term_add": Route(
        "post",
        lambda w: "/moderation/reglages/crise/",
        ADMIN,
        302,
        data=lambda w: {"term-phrase": "Lettre d'adieu définitive"},
    ),  # fmt: skip
    "moderation:term_remove": Route(
        "post", lambda w: f"/moderation/reglages/crise/{w.term.pk}/supprimer/", ADMIN, 302
    ),
    "moderation:warning_add": Route(
        "post",
        lambda w: "/moderation/reglages/avertissements/",
        ADMIN,
        302,
        data=lambda w: {"warning-name": "Amputation"},
    ),  # fmt: skip
    "moderation:warning_remove": Route(
        "post",
        lambda w: f"/moderation/reglages/avertissements/{w.warning.pk}/supprimer/",
        ADMIN,
        302,
    ),  # fmt: skip
    "moderation:premoderation": Route(
        "post",
        lambda w: "/moderation/reglages/premoderation/",
        ADMIN,
        302,
        data=lambda w: {"premoderation-premoderated_posts": 5},
    ),  # fmt: skip
    "moderation:duty_add": Route(
        "post",
        lambda w: "/moderation/reglages/astreinte/",
        ADMIN,
        302,
        data=lambda w: {"duty-member": w.admin_member.pk},
        check=lambda r, w, role: OnDuty.objects.filter(member=w.admin_member).exists(),
    ),  # fmt: skip
    "moderation:duty_remove": Route(
        "post",
        lambda w: f"/moderation/reglages/astreinte/{w.duty.pk}/supprimer/",
        ADMIN,
        302,
        check=lambda r, w, role: not OnDuty.objects.filter(pk=w.duty.pk).exists(),
    ),  # fmt: skip
}


@pytest.mark.parametrize(("route", "role"), cases(ROUTES))
def test_moderation_matrix(client_as, world, route, role):
    check(ROUTES, route, role, client_as, world)
