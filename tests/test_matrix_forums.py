"""Authorization matrix of the forums' and knowledge base's pages: who opens a space's, a
group's and the caregivers' topics, who writes, who decides groups, who edits articles.
(The detailed read matrices of lists and search, which ids each role sees, are in
tests/forums/test_access.py.)"""

import pytest

from tenant_apps.forums.models import (
    Group,
    GroupMembership,
    Reaction,
    Subscription,
    Topic,
    TopicRead,
)
from tenant_apps.knowledge.models import Article, Question
from tests import matrix
from tests.matrix import ADMIN, EVERY_ROLE, MEMBERS, STAFF, Route, cases, check

pytestmark = pytest.mark.django_db
world, role_accounts = matrix.world, matrix.role_accounts  # the module's shared world

# Who reads the Patients space's topic, the caregivers' one, and the on-request group's.
PATIENTS = frozenset({"member", "outsider_of_group", "group_member", "moderator", "admin"})
CAREGIVERS = frozenset({"caregiver", "moderator", "admin"})
GROUP = frozenset({"group_member", "moderator", "admin"})
GROUP_ROLES = ("anonymous", "other_network", "suspended", "member", "outsider_of_group",
               "group_member", "moderator", "admin")  # fmt: skip


def _shows(link, roles: frozenset[str]):
    """The page links to ``link(world)`` for ``roles`` only."""

    def check_(response, world, role):
        assert (f'href="{link(world)}'.encode() in response.content) == (role in roles), role

    return check_


ROUTES = {
    "forums:index": Route(
        "get",
        lambda w: "/forums/",
        MEMBERS,
        roles=EVERY_ROLE,
        # The on-request group's forum is listed to its members only.
        check=_shows(lambda w: f"/forums/{w.group_category.slug}/", GROUP),
    ),  # fmt: skip
    "forums:preferences": Route("get", lambda w: "/forums/preferences/", MEMBERS),
    "forums:group_list": Route("get", lambda w: "/forums/groupes/", MEMBERS),
    "forums:group_propose": Route(
        "post",
        lambda w: "/forums/groupes/proposer/",
        MEMBERS - {"caregiver"},
        302,
        data=lambda w: {
            "name": "Nouveau",
            "description": "Entre nous.",
            "space": w.patients.pk,
            "access": "public",
        },
        check=lambda r, w, role: Group.objects.filter(name="Nouveau").exists(),
    ),  # fmt: skip
    "forums:group_pending": Route("get", lambda w: "/forums/groupes/a-valider/", STAFF),
    "forums:group_detail": Route(
        "get", lambda w: f"/forums/groupes/{w.group.slug}/", PATIENTS, roles=EVERY_ROLE
    ),
    "forums:group_decide": Route(
        "post",
        lambda w: f"/forums/groupes/{w.proposed_group.slug}/decider/",
        STAFF,
        302,
        data=lambda w: {"decision": "approve"},
    ),  # fmt: skip
    "forums:group_join": Route(
        "post",
        lambda w: f"/forums/groupes/{w.group.slug}/adhesion/",
        PATIENTS,  # anyone who sees the group asks (or already is in it)
        302,
        roles=GROUP_ROLES,
        check=lambda r, w, role: GroupMembership.objects.filter(
            group=w.group, member=w.people[role]
        ).exists(),
    ),  # fmt: skip
    "forums:group_request": Route(
        "post",
        lambda w: f"/forums/groupes/{w.group.slug}/demandes/{w.pending_membership.pk}/",
        GROUP,
        302,
        data=lambda w: {"accept": "1"},
        roles=GROUP_ROLES,
        check=lambda r, w, role: (
            GroupMembership.objects.get(pk=w.pending_membership.pk).status
            == GroupMembership.Status.MEMBER
        ),
    ),  # fmt: skip
    "forums:group_moderator": Route(
        "post",
        lambda w: f"/forums/groupes/{w.group.slug}/moderateurs/{w.gina_membership.pk}/",
        GROUP,  # its group moderators (Gina proposed it) and the staff
        302,
        roles=GROUP_ROLES,
    ),  # fmt: skip
    "forums:topic": Route(
        "get", lambda w: f"/forums/sujet/{w.group_topic.pk}/", GROUP, roles=EVERY_ROLE
    ),
    "forums:reply": Route(
        "post",
        lambda w: f"/forums/sujet/{w.group_topic.pk}/repondre/",
        GROUP,
        302,
        data=lambda w: {"body": "Moi aussi."},
        roles=EVERY_ROLE,
    ),  # fmt: skip
    "forums:follow": Route(
        "post",
        lambda w: f"/forums/sujet/{w.caregivers_topic.pk}/suivre/",
        CAREGIVERS,
        302,
        roles=EVERY_ROLE,
        check=lambda r, w, role: Subscription.objects.filter(
            topic=w.caregivers_topic, member=w.people[role]
        ).exists(),
    ),  # fmt: skip
    "forums:topic_read": Route(
        "post",
        lambda w: f"/forums/sujet/{w.caregivers_topic.pk}/lu/",
        CAREGIVERS,
        302,
        data=lambda w: {"post_id": w.caregivers_topic.opening_post.pk},
        roles=EVERY_ROLE,
        check=lambda r, w, role: TopicRead.objects.filter(
            topic=w.caregivers_topic, member=w.people[role]
        ).exists(),
    ),  # fmt: skip
    "forums:post_edit": Route(
        "post",
        lambda w: f"/forums/message/{w.group_post.pk}/modifier/",
        GROUP,  # its author, and the staff
        302,
        data=lambda w: {"body": "Qui a gardé son travail ?"},
        roles=GROUP_ROLES,
    ),  # fmt: skip
    "forums:post_history": Route(
        "get",
        lambda w: f"/forums/message/{w.group_post.pk}/historique/",
        GROUP,
        roles=GROUP_ROLES,
    ),  # fmt: skip
    "forums:react": Route(
        "post",
        lambda w: f"/forums/message/{w.group_post.pk}/reagir/",
        GROUP,
        302,
        data=lambda w: {"kind": "support"},
        roles=GROUP_ROLES,
        check=lambda r, w, role: Reaction.objects.filter(
            post=w.group_post, member=w.people[role]
        ).exists(),
    ),  # fmt: skip
    "forums:category": Route(
        "get", lambda w: f"/forums/{w.caregivers_category.slug}/", CAREGIVERS, roles=EVERY_ROLE
    ),
    "forums:topic_new": Route(
        "post",
        lambda w: f"/forums/{w.group_category.slug}/nouveau/",
        GROUP,
        302,
        data=lambda w: {"title": "Bienvenue", "body": "Présentez-vous"},
        roles=GROUP_ROLES,
        check=lambda r, w, role: Topic.objects.filter(title="Bienvenue").exists(),
    ),  # fmt: skip
    # --- Knowledge base ------------------------------------------------------------------
    "knowledge:index": Route("get", lambda w: "/ressources/", MEMBERS),
    "knowledge:article": Route("get", lambda w: f"/ressources/{w.article.pk}/", MEMBERS),
    "knowledge:manage": Route("get", lambda w: "/ressources/redaction/", ADMIN),
    "knowledge:create": Route("get", lambda w: "/ressources/nouveau/", ADMIN),
    "knowledge:edit": Route("get", lambda w: f"/ressources/{w.draft.pk}/modifier/", ADMIN),
    "knowledge:workflow": Route(
        "post",
        lambda w: f"/ressources/{w.draft.pk}/statut/",
        ADMIN,
        302,
        data=lambda w: {"action": "submit"},
        check=lambda r, w, role: Article.objects.get(pk=w.draft.pk).status == Article.Status.REVIEW,
    ),  # fmt: skip
    "knowledge:history": Route("get", lambda w: f"/ressources/{w.article.pk}/historique/", ADMIN),
    "knowledge:version": Route("get", lambda w: f"/ressources/{w.article.pk}/historique/1/", ADMIN),
    "knowledge:restore": Route(
        "post", lambda w: f"/ressources/{w.article.pk}/historique/1/restaurer/", ADMIN, 302
    ),
    "knowledge:team": Route("get", lambda w: "/ressources/equipe/", ADMIN),
    "knowledge:team_revoke": Route(
        "post", lambda w: f"/ressources/equipe/{w.editorial_role.pk}/retirer/", ADMIN, 302
    ),
    "knowledge:questions": Route("get", lambda w: "/ressources/questions/", ADMIN),
    "knowledge:question_ask": Route(
        "post",
        lambda w: "/ressources/questions/poser/",
        MEMBERS,
        302,
        data=lambda w: {"text": "Combien de temps dure la fatigue ?"},
        check=lambda r, w, role: Question.objects.filter(asker=w.people[role]).exists(),
    ),  # fmt: skip
    "knowledge:question_answer": Route(
        "post",
        lambda w: f"/ressources/questions/{w.question.pk}/repondre/",
        ADMIN,
        302,
        data=lambda w: {"article": w.article.pk},
    ),  # fmt: skip
    "knowledge:theme_webinar": Route(
        "post", lambda w: f"/ressources/themes/{w.theme.pk}/webinaire/", ADMIN, 302
    ),
    "knowledge:reply": Route("get", lambda w: f"/ressources/repondre/{w.topic.pk}/", STAFF),
    "search:search": Route(
        "get",
        lambda w: "/recherche/?q=travail",
        MEMBERS,
        roles=EVERY_ROLE,
        check=_shows(lambda w: f"/forums/sujet/{w.group_topic.pk}/", GROUP),
    ),  # fmt: skip
}


@pytest.mark.parametrize(("route", "role"), cases(ROUTES))
def test_forums_and_knowledge_matrix(client_as, world, route, role):
    check(ROUTES, route, role, client_as, world)
