"""Forum and group pages: who reaches what, and that a refusal changes nothing."""

import pytest
from django.contrib.sessions.models import Session

from tenant_apps.forums import services as forums
from tenant_apps.forums.models import (
    Category,
    Group,
    GroupMembership,
    Post,
    PostRevision,
    Reaction,
    ReadingPreference,
    Subscription,
    Topic,
    TopicRead,
)
from tenant_apps.members.models import AuditEntry
from tenant_apps.notifications.models import Notification

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, object]:
    """Everything the forum pages can change, to show that a refusal changed nothing."""
    return {
        "topics": list(Topic.objects.order_by("pk").values()),
        "posts": list(
            Post.objects.order_by("pk").values("pk", "body", "status", "edited", "topic_id")
        ),
        "revisions": list(PostRevision.objects.values_list("pk", flat=True)),
        "reactions": list(Reaction.objects.order_by("pk").values_list("post_id", "member_id")),
        "subscriptions": sorted(Subscription.objects.values_list("topic_id", "member_id")),
        "reads": sorted(TopicRead.objects.values_list("topic_id", "member_id", "last_post_id")),
        "preferences": sorted(
            ReadingPreference.objects.values_list("member_id", "collapsed_warnings")
        ),
        "groups": list(Group.objects.order_by("pk").values()),
        "memberships": list(GroupMembership.objects.order_by("pk").values()),
        "categories": list(Category.objects.order_by("pk").values_list("pk", "slug")),
        "notifications": list(Notification.objects.values_list("pk", flat=True)),
        "audit": list(AuditEntry.objects.values_list("pk", flat=True)),
    }


@pytest.fixture
def scene(people, topic, patients_category):
    """A Patients-space topic with a reply, an approved on-request group with a pending
    request, and a proposed group: something behind every page."""
    reply = forums.post_create(author=people["patient2"], topic=topic, body="Oui, beaucoup.")
    stage4 = forums.group_propose(
        proposer=people["member"], name="Stade 4", description="Entre personnes au stade 4.",
        space=patients_category.space, access=Group.Access.ON_REQUEST,
    )  # fmt: skip
    forums.group_approve(group=stage4, moderator=people["moderator"])
    request = forums.group_join(member=people["patient2"], group=stage4)
    proposed = forums.group_propose(
        proposer=people["patient2"], name="Nouvelle-Aquitaine", description="Région.",
        space=patients_category.space, access=Group.Access.PUBLIC,
    )  # fmt: skip
    return {
        "topic": topic,
        "opening": topic.opening_post,
        "reply": reply,
        "stage4": Group.objects.get(pk=stage4.pk),
        "request": request,
        "proposed": proposed,
        "warning": forums.selectors.content_warnings().first(),
    }


def space_endpoints(scene) -> list[tuple[str, str, dict | None]]:
    """Pages inside the Patients space, with valid input (for a moderator)."""
    t, reply, opening = scene["topic"].pk, scene["reply"].pk, scene["opening"].pk
    stage4 = scene["stage4"]
    return [
        ("get", "/forums/traitements/", None),
        ("get", "/forums/traitements/nouveau/", None),
        ("post", "/forums/traitements/nouveau/", {"title": "Pirate", "body": "Arr"}),
        ("get", f"/forums/sujet/{t}/", None),
        ("get", f"/forums/sujet/{t}/?citer={reply}", None),
        ("get", f"/forums/sujet/{t}/repondre/", None),
        ("post", f"/forums/sujet/{t}/repondre/", {"body": "Une réponse"}),
        ("post", f"/forums/sujet/{t}/suivre/", {"follow": "0"}),
        ("post", f"/forums/message/{reply}/reagir/", {"kind": "thanks"}),
        ("get", f"/forums/message/{opening}/modifier/", None),
        ("post", f"/forums/message/{opening}/modifier/", {"body": "Changé", "reason": "x"}),
        ("get", f"/forums/message/{opening}/historique/", None),
        ("get", f"/forums/groupes/{stage4.slug}/", None),
        ("post", f"/forums/groupes/{stage4.slug}/demandes/{scene['request'].pk}/", {"accept": "1"}),
        ("get", f"/forums/{stage4.category.slug}/", None),
        ("post", f"/forums/groupes/{scene['proposed'].slug}/decider/", {"decision": "approve"}),
    ]


def network_endpoints(scene) -> list[tuple[str, str, dict | None]]:
    """Pages every active member of the network reaches, whatever their space."""
    return [
        ("get", "/forums/", None),
        ("get", "/forums/preferences/", None),
        ("post", "/forums/preferences/", {"collapsed": [scene["warning"].pk]}),
        ("get", "/forums/groupes/", None),
        ("get", "/forums/groupes/proposer/", None),
    ]


def staff_endpoints(scene) -> list[tuple[str, str, dict | None]]:
    return [
        ("get", "/forums/groupes/a-valider/", None),
        ("post", f"/forums/groupes/{scene['proposed'].slug}/decider/", {"decision": "approve"}),
        (
            "post",
            f"/forums/groupes/{scene['proposed'].slug}/decider/",
            {"decision": "refuse", "reason": "Doublon"},
        ),
    ]


def assert_refused(client, endpoints, who, status=404):
    for method, url, data in endpoints:
        before = snapshot()
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert response.status_code == status, (who, method, url)
        if status == 302:
            assert response["Location"].startswith("/comptes/login/?next="), (who, url)
        assert snapshot() == before, (who, method, url)


@pytest.mark.parametrize("who", ["anonymous", "other_network"])
def test_strangers_are_sent_to_sign_in_everywhere_and_change_nothing(scene, client_as, who):
    sessions = sorted(Session.objects.values_list("session_key", flat=True))
    client = client_as(who)
    assert_refused(
        client,
        space_endpoints(scene) + network_endpoints(scene) + staff_endpoints(scene),
        who,
        status=302,
    )
    assert sorted(Session.objects.values_list("session_key", flat=True)) == sessions


def test_a_caregiver_gets_404_on_the_patients_space(scene, client_as):
    assert_refused(client_as("caregiver"), space_endpoints(scene), "caregiver")


@pytest.mark.parametrize("who", ["member", "caregiver"])
def test_members_get_404_on_the_moderators_pages(scene, client_as, who):
    assert_refused(client_as(who), staff_endpoints(scene), who)


def test_a_member_who_is_not_the_author_cannot_edit_nor_see_the_history(scene, client_as):
    client = client_as("patient2")
    opening = scene["opening"].pk
    assert_refused(
        client,
        [
            ("get", f"/forums/message/{opening}/modifier/", None),
            ("post", f"/forums/message/{opening}/modifier/", {"body": "Pirate"}),
            ("get", f"/forums/message/{opening}/historique/", None),
            # Not a moderator of the group: cannot accept a request.
            (
                "post",
                f"/forums/groupes/{scene['stage4'].slug}/demandes/{scene['request'].pk}/",
                {"accept": "1"},
            ),
        ],
        "patient2",
    )


@pytest.mark.parametrize("who", ["moderator", "admin"])
def test_staff_reach_every_page(scene, client_as, who):
    client = client_as(who)
    endpoints = space_endpoints(scene)[:-1] + network_endpoints(scene) + staff_endpoints(scene)[:2]
    for method, url, data in endpoints:
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert response.status_code == (302 if method == "post" else 200), (
            who, method, url, response.content[-3000:],
        )  # fmt: skip


def test_a_member_of_the_space_reaches_the_space_pages(scene, client_as):
    client = client_as("member")  # Bob: author of the topic, moderator of "Stade 4"
    for method, url, data in space_endpoints(scene)[:-1] + network_endpoints(scene):
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert response.status_code == (302 if method == "post" else 200), (method, url)


def test_the_index_lists_only_the_spaces_of_the_member(scene, client_as):
    caregiver = client_as("caregiver").get("/forums/")
    assert b'id="category-aider-sans-s-epuiser"' in caregiver.content
    assert b'id="category-traitements"' not in caregiver.content
    patient = client_as("member").get("/forums/")
    assert b'id="category-traitements"' in patient.content
    assert b'id="category-aider-sans-s-epuiser"' not in patient.content
    moderator = client_as("moderator").get("/forums/")
    assert b'id="category-traitements"' in moderator.content
    assert b'id="category-aider-sans-s-epuiser"' in moderator.content


def test_an_on_request_groups_forum_is_for_its_members_only(scene, client_as, people):
    forum = f"/forums/{scene['stage4'].category.slug}/"
    # Paul's request is pending: not in yet.
    assert client_as("patient2").get(forum).status_code == 404
    index = client_as("patient2").get("/forums/")
    assert scene["stage4"].category.slug.encode() not in index.content
    forums.group_request_decide(membership=scene["request"], decider=people["member"], accept=True)
    assert client_as("patient2").get(forum).status_code == 200


def test_a_proposed_group_is_seen_only_by_its_proposer_and_moderators(scene, client_as):
    url = f"/forums/groupes/{scene['proposed'].slug}/"
    assert client_as("member").get(url).status_code == 404
    assert client_as("patient2").get(url).status_code == 200
    assert client_as("moderator").get(url).status_code == 200


def test_a_suspended_member_reads_nothing(scene, client_as, people):
    client = client_as("patient2")
    people["patient2"].status = people["patient2"].Status.SUSPENDED
    people["patient2"].save(update_fields=["status"])
    before = snapshot()
    response = client.get(f"/forums/sujet/{scene['topic'].pk}/")
    # Signed out by the middleware and sent home; the topic was not shown nor marked read.
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert snapshot() == before
