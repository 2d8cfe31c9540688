"""Authorization matrix of the JSON API: every endpoint by every role it concerns, and for
the collections, which ids come back to whom. Refusals, signed out included, are the 404 of
a missing address (members/api.py: "every refusal answers 404"), and change nothing."""

import pytest

from tenant_apps.forums.models import Post, Reaction
from tenant_apps.knowledge.models import Article
from tenant_apps.moderation.models import Report
from tenant_apps.notifications.models import Notification
from tests import matrix
from tests.matrix import ADMIN, EVERY_ROLE, EVERYONE, MEMBERS, STAFF, api, cases, check

pytestmark = pytest.mark.django_db
world, role_accounts = matrix.world, matrix.role_accounts  # the module's shared world

PATIENTS = frozenset({"member", "outsider_of_group", "group_member", "moderator", "admin"})
GROUP = frozenset({"group_member", "moderator", "admin"})


def items(response) -> list:
    data = response.json()
    return data["results"] if isinstance(data, dict) and "results" in data else data


def _ids(key: str, expected):
    """The collection holds exactly ``expected(world, role)`` (values of ``key``)."""

    def check_(response, world, role):
        assert {item[key] for item in items(response)} == expected(world, role), role

    return check_


def _categories(world, role):
    from tenant_apps.forums.models import Category

    shown = set(Category.objects.filter(group=None, space__slug="proches-aidants")
                .values_list("slug", flat=True)) if role in {"caregiver", "moderator", "admin"} \
        else set()  # fmt: skip
    if role in PATIENTS:
        shown |= set(Category.objects.filter(group=None, space__slug="patients")
                     .values_list("slug", flat=True))  # fmt: skip
    shown |= set(Category.objects.filter(space=None).values_list("slug", flat=True))
    if role in GROUP:
        shown.add(world.group_category.slug)
    return shown


ROUTES = {
    "api_me": api(
        "get",
        lambda w: "/api/me/",
        MEMBERS,
        roles=EVERY_ROLE,
        check=lambda r, w, role: r.json()["pseudonym"] == w.people[role].user.username,
    ),  # fmt: skip
    "api_me_export": api("get", lambda w: "/api/me/export/", MEMBERS),
    "api_members": api(
        "get",
        lambda w: "/api/members/",
        ADMIN,
        check=lambda r, w, role: "Tina" in {m["pseudonym"] for m in items(r)},
    ),  # fmt: skip
    "api_forums_categories": api(
        "get",
        lambda w: "/api/forums/categories/",
        MEMBERS,
        roles=EVERY_ROLE,
        check=_ids("slug", _categories),
    ),  # fmt: skip
    "api_forums_topics": api(
        "get",
        lambda w: f"/api/forums/categories/{w.group_category.slug}/topics/",
        GROUP,
        roles=EVERY_ROLE,
        check=_ids("id", lambda w, role: {w.group_topic.pk}),
    ),  # fmt: skip
    "api_forums_topic": api(
        "get",
        lambda w: f"/api/forums/topics/{w.caregivers_topic.pk}/",
        frozenset({"caregiver", "moderator", "admin"}),
        roles=EVERY_ROLE,
    ),  # fmt: skip
    "api_forums_posts": api(
        "get",
        lambda w: f"/api/forums/topics/{w.group_topic.pk}/posts/",
        GROUP,
        roles=EVERY_ROLE,
        check=_ids("id", lambda w, role: {w.group_post.pk}),
    ),  # fmt: skip
    "api_forums_reactions": api(
        "post",
        lambda w: f"/api/forums/posts/{w.group_post.pk}/reactions/",
        GROUP,
        data=lambda w: {"kind": "support"},
        roles=EVERY_ROLE,
        check=lambda r, w, role: Reaction.objects.filter(
            post=w.group_post, member=w.people[role]
        ).exists(),
    ),  # fmt: skip
    "api_moderation_report": api(
        "post",
        lambda w: "/api/moderation/reports/",
        PATIENTS,
        201,
        data=lambda w: {"post": w.tina_post.pk, "reason": "hurtful"},
        roles=EVERY_ROLE,
        check=lambda r, w, role: Report.objects.filter(
            post=w.tina_post, reporter=w.people[role]
        ).exists(),
    ),  # fmt: skip
    "api_moderation_queue": api(
        "get",
        lambda w: "/api/moderation/queue/",
        STAFF,
        check=lambda r, w, role: (
            w.reply.pk
            in {i["post"]["id"] if isinstance(i["post"], dict) else i["post"] for i in items(r)}
        ),
    ),  # fmt: skip
    "api_moderation_post_approve": api(
        "post", lambda w: f"/api/moderation/posts/{w.reply.pk}/approve/", STAFF
    ),
    "api_moderation_post_hide": api(
        "post",
        lambda w: f"/api/moderation/posts/{w.reply.pk}/hide/",
        STAFF,
        data=lambda w: {"reason": "Propos blessants"},
    ),  # fmt: skip
    "api_moderation_post_restore": api(
        "post",
        lambda w: f"/api/moderation/posts/{w.hidden_post.pk}/restore/",
        STAFF,
        check=lambda r, w, role: (
            Post.objects.get(pk=w.hidden_post.pk).status == Post.Status.PUBLISHED
        ),
    ),  # fmt: skip
    "api_notifications": api(
        "get",
        lambda w: "/api/notifications/",
        MEMBERS,
        roles=EVERY_ROLE,
        # Each member's own, and only those: Bob's reply notice, Gina's group approval.
        check=_ids(
            "id",
            lambda w, role: set(
                Notification.objects.filter(recipient=w.people[role]).values_list("pk", flat=True)
            ),
        ),
    ),  # fmt: skip
    "api_notification_read": api(
        "post",
        lambda w: f"/api/notifications/{w.notification.pk}/read/",
        frozenset({"member"}),
        roles=EVERY_ROLE,
        check=lambda r, w, role: Notification.objects.get(pk=w.notification.pk).read_at,
    ),  # fmt: skip
    "api_notifications_read_all": api("post", lambda w: "/api/notifications/read-all/", MEMBERS),
    "api_knowledge_articles": api(
        "get",
        lambda w: "/api/knowledge/articles/",
        MEMBERS,
        check=_ids("id", lambda w, role: {w.article.pk}),
    ),  # fmt: skip
    "api_knowledge_article": api(
        "get", lambda w: f"/api/knowledge/articles/{w.article.pk}/", MEMBERS
    ),
    "api_knowledge_submit": api(
        "post",
        lambda w: f"/api/knowledge/articles/{w.draft.pk}/submit/",
        ADMIN,
        check=lambda r, w, role: Article.objects.get(pk=w.draft.pk).status == Article.Status.REVIEW,
    ),  # fmt: skip
    "api_knowledge_publish": api(
        "post",
        lambda w: f"/api/knowledge/articles/{w.in_review.pk}/publish/",
        ADMIN,
        data=lambda w: {},
        check=lambda r, w, role: (
            Article.objects.get(pk=w.in_review.pk).status == Article.Status.PUBLISHED
        ),
    ),  # fmt: skip
    # The schema describes the API's shape, no one's data: it is public.
    "api_schema": api("get", lambda w: "/api/schema/", EVERYONE),
}


@pytest.mark.parametrize(("route", "role"), cases(ROUTES))
def test_api_matrix(client_as, world, route, role):
    check(ROUTES, route, role, client_as, world)
