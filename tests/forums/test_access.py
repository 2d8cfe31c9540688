"""What a member may read in the forums (tenant_apps/forums/access.py), asked of every
reader: pages, API, search, mentions, counts. A member outside a group, outside a space,
suspended, or of another network never sees a title, a snippet, a count or an id of what
they may not open."""

import pytest
from django.http import Http404

from tenant_apps.forums import access
from tenant_apps.forums import services as forums
from tenant_apps.forums.models import Category, Group, GroupMembership, Post, Topic
from tenant_apps.knowledge import selectors as knowledge
from tenant_apps.members import services as members
from tenant_apps.members.models import Member, Space
from tenant_apps.notifications.models import Notification
from tests.forums.conftest import account
from tests.jobs import JobQueue

pytestmark = pytest.mark.django_db

SECRET = "Ostéonécrose mandibulaire"
WORD = "osteonecrose"


@pytest.fixture
def closed_group(people):
    """An approved on-request group of the Patients space: Paul proposed it, so he is its
    member; Bob, a patient too, is not."""
    group = forums.group_propose(
        proposer=people["patient2"], name="Stade 4", description="Entre nous.",
        space=Space.objects.get(slug="patients"), access=Group.Access.ON_REQUEST,
    )  # fmt: skip
    forums.group_approve(group=group, moderator=people["moderator"])
    return group


@pytest.fixture
def secret_topic(people, closed_group):
    return forums.topic_create(
        author=people["patient2"],
        category=closed_group.category,
        title=SECRET,
        body="Sous bisphosphonates, une ostéonécrose de la mâchoire m'a été annoncée.",
    )


def test_the_choices_named_in_access_match_the_models():
    assert access.GROUP_APPROVED == Group.Status.APPROVED
    assert access.GROUP_PUBLIC == Group.Access.PUBLIC
    assert access.MEMBERSHIP_MEMBER == GroupMembership.Status.MEMBER
    assert access.TOPIC_VISIBLE == Topic.Status.VISIBLE
    assert access.POST_PUBLISHED == Post.Status.PUBLISHED
    assert access.POST_HIDDEN == Post.Status.HIDDEN


# --- The leak: the search showed an on-request group's topics to non-members ----------------


def test_a_non_member_does_not_find_the_groups_topic_by_searching(people, secret_topic):
    found = knowledge.search(member=people["member"], text=WORD)
    assert found.total == 0
    assert found.hits == []


def test_the_search_page_shows_a_non_member_no_title_snippet_or_count(
    client_as, people, secret_topic
):
    page = client_as("member").get("/recherche/", {"q": WORD})
    assert page.status_code == 200
    html = page.content.decode()
    assert "mandibulaire" not in html
    assert "bisphosphonates" not in html
    assert f"/forums/sujet/{secret_topic.pk}/" not in html


def test_the_groups_members_and_moderators_do_find_it(people, secret_topic):
    for who in ("patient2", "moderator", "admin"):
        found = knowledge.search(member=people[who], text=WORD)
        assert [hit.obj.pk for hit in found.hits] == [secret_topic.pk], who
        assert found.total == 1, who


def test_a_suspended_member_finds_nothing(people, secret_topic):
    paul = people["patient2"]
    Member.objects.filter(pk=paul.pk).update(status=Member.Status.SUSPENDED)
    paul.refresh_from_db()
    assert knowledge.search(member=paul, text=WORD).total == 0
    assert not Topic.objects.visible_to(paul).exists()


def test_the_api_refuses_the_groups_topic_and_its_posts_to_a_non_member(
    client_as, people, secret_topic
):
    client = client_as("member")
    assert client.get(f"/api/forums/topics/{secret_topic.pk}/").status_code == 404
    assert client.get(f"/api/forums/topics/{secret_topic.pk}/posts/").status_code == 404
    slugs = [c["slug"] for c in client.get("/api/forums/categories/").json()]
    assert secret_topic.category.slug not in slugs
    assert client_as("patient2").get(f"/api/forums/topics/{secret_topic.pk}/").status_code == 200


def test_an_article_card_in_the_groups_topic_stays_in_the_group(client_as, people, secret_topic):
    from tenant_apps.knowledge import services as knowledge_services
    from tests.forums.test_article_cards import published_article

    article = published_article(people, title="Bisphosphonates et mâchoire")
    card = knowledge_services.article_card_reply(
        topic=secret_topic, article=article, moderator=people["moderator"]
    )
    assert not Post.objects.visible_to(people["member"]).filter(pk=card.pk).exists()
    assert Post.objects.visible_to(people["patient2"]).filter(pk=card.pk).exists()
    client = client_as("member")
    assert client.get(f"/api/forums/topics/{secret_topic.pk}/posts/").status_code == 404
    assert client.get(f"/forums/message/{card.pk}/historique/").status_code == 404


def test_a_mention_notifies_only_members_who_can_read_the_topic(
    people, secret_topic, django_capture_on_commit_callbacks
):
    jobs = JobQueue()
    with django_capture_on_commit_callbacks(execute=True):
        forums.post_create(
            author=people["patient2"],
            topic=secret_topic,
            body="@Bob tu devrais voir ça, et @Mona aussi.",
        )
    jobs.run()  # the job that notifies (tenant_apps.forums.jobs.post_announce)
    told = set(
        Notification.objects.filter(kind=Notification.Kind.MENTION).values_list(
            "recipient_id", flat=True
        )
    )
    assert people["member"].pk not in told
    assert people["moderator"].pk in told
    assert access.members_who_can_read(
        secret_topic, [people["member"].pk, people["moderator"].pk, people["patient2"].pk]
    ) == {people["moderator"].pk, people["patient2"].pk}


def test_the_forums_index_counts_no_topic_of_a_group_the_member_cannot_open(
    client_as, people, secret_topic, patients_category
):
    html = client_as("member").get("/forums/").content.decode()
    assert secret_topic.category.name not in html
    counts = {
        c["slug"]: c["topic_count"]
        for c in client_as("patient2").get("/api/forums/categories/").json()
    }
    assert counts[secret_topic.category.slug] == 1
    assert secret_topic.category.slug not in {
        c["slug"] for c in client_as("member").get("/api/forums/categories/").json()
    }


# --- The rule itself ----------------------------------------------------------------------


def test_the_querysets_and_the_loaded_checks_agree(people, secret_topic, topic, closed_group):
    caregiver_category = Category.objects.get(slug="aider-sans-s-epuiser")
    caregivers_topic = forums.topic_create(
        author=people["caregiver"], category=caregiver_category,
        title="Épuisement", body="Comment tenez-vous ?",
    )  # fmt: skip
    held = forums.topic_create(
        author=people["patient2"], category=topic.category, title="En attente", body="Bonjour"
    )
    Topic.objects.filter(pk=held.pk).update(status=Topic.Status.HELD)
    held.refresh_from_db()
    all_topics = [secret_topic, topic, caregivers_topic, held]
    expected = {
        "member": {topic.pk},
        "patient2": {secret_topic.pk, topic.pk, held.pk},
        "caregiver": {caregivers_topic.pk},
        "moderator": {secret_topic.pk, topic.pk, caregivers_topic.pk, held.pk},
        "admin": {secret_topic.pk, topic.pk, caregivers_topic.pk, held.pk},
    }
    for who, ids in expected.items():
        member = Member.objects.get(pk=people[who].pk)
        listed = set(
            Topic.objects.visible_to(member)
            .filter(pk__in=[t.pk for t in all_topics])
            .values_list("pk", flat=True)
        )
        assert listed == ids, who
        loaded = {
            t.pk
            for t in Topic.objects.select_related("category__space", "category__group").filter(
                pk__in=[t.pk for t in all_topics]
            )
            if access.topic_readable(member, t)
        }
        assert loaded == ids, who
        assert access.members_who_can_read(held, [member.pk]) == (
            {member.pk} if held.pk in ids else set()
        ), who


def test_nobody_reads_anything_without_an_active_member(people, topic):
    assert not Topic.objects.visible_to(None).exists()
    assert not Category.objects.visible_to(None).exists()
    Member.objects.filter(pk=people["member"].pk).update(status=Member.Status.SUSPENDED)
    suspended = Member.objects.get(pk=people["member"].pk)
    assert not Category.objects.visible_to(suspended).exists()
    assert not Post.objects.visible_to(suspended).exists()
    with pytest.raises(Http404):
        access.topic_or_404(suspended, Topic.objects, topic.pk)


def test_the_services_refuse_to_write_where_the_member_cannot_read(
    people, secret_topic, patients_category
):
    """The pages check first; the services check again, so that no other caller (the API,
    a job, a future page) can write into a group or a space the member cannot open."""
    outsider, caregiver = people["member"], people["caregiver"]
    opening = secret_topic.opening_post
    writes = [
        lambda: forums.topic_create(
            author=caregiver, category=patients_category, title="Ailleurs", body="Texte."
        ),
        lambda: forums.topic_create(
            author=outsider, category=secret_topic.category, title="Intrus", body="Texte."
        ),
        lambda: forums.post_create(author=outsider, topic=secret_topic, body="Intrus."),
        lambda: forums.reaction_toggle(member=outsider, post=opening, kind="thanks"),
        lambda: forums.topic_follow(member=outsider, topic=secret_topic),
    ]
    before = (Topic.objects.count(), Post.objects.count(), opening.reactions.count())
    for write in writes:
        with pytest.raises(Http404):
            write()
    assert (Topic.objects.count(), Post.objects.count(), opening.reactions.count()) == before
    assert not secret_topic.subscriptions.filter(member=outsider).exists()


# --- Read matrices: which ids come back, per reader -------------------------------------------

MATRIX_READERS = ["member", "caregiver", "patient2", "moderator", "admin", "suspended"]


@pytest.fixture
def forum_world(people, secret_topic, topic, caregivers_category):
    """Topics in three places (the Patients space, the Proches space, the on-request group),
    plus one held topic of Paul's in the Patients space; and a suspended patient."""
    caregivers_topic = forums.topic_create(
        author=people["caregiver"], category=caregivers_category,
        title="Épuisement des aidants", body="Comment tenez-vous ?",
    )  # fmt: skip
    held = forums.topic_create(
        author=people["patient2"], category=topic.category, title="En attente", body="Bonjour"
    )
    Topic.objects.filter(pk=held.pk).update(status=Topic.Status.HELD)
    suspended = account("Sam")
    Member.objects.filter(pk=suspended.pk).update(status=Member.Status.SUSPENDED)
    people = {**people, "suspended": Member.objects.get(pk=suspended.pk)}
    return {
        "people": people,
        "topics": {
            "patients": topic,
            "caregivers": caregivers_topic,
            "group": secret_topic,
            "held": held,
        },
        "categories": {
            "patients": topic.category,
            "caregivers": caregivers_category,
            "group": secret_topic.category,
        },
    }


# What each reader's lists hold.
TOPICS_READ = {
    "member": {"patients"},
    "caregiver": {"caregivers"},
    "patient2": {"patients", "group", "held"},
    "moderator": {"patients", "caregivers", "group", "held"},
    "admin": {"patients", "caregivers", "group", "held"},
    "suspended": set(),
}
CATEGORIES_READ = {
    "member": {"patients"},
    "caregiver": {"caregivers"},
    "patient2": {"patients", "group"},
    "moderator": {"patients", "caregivers", "group"},
    "admin": {"patients", "caregivers", "group"},
    "suspended": set(),
}


@pytest.mark.parametrize("who", MATRIX_READERS)
def test_forum_read_matrix_of_the_querysets(who, forum_world):
    member = forum_world["people"][who]
    topics = forum_world["topics"]
    listed = set(Topic.objects.visible_to(member).values_list("pk", flat=True))
    assert {name for name, t in topics.items() if t.pk in listed} == TOPICS_READ[who]
    categories = forum_world["categories"]
    shown = set(Category.objects.visible_to(member).values_list("pk", flat=True))
    assert {name for name, c in categories.items() if c.pk in shown} == CATEGORIES_READ[who]
    found_ids = set()
    for word in ("osteonecrose", "epuisement", "immunotherapie", "attente"):
        found_ids |= {hit.obj.pk for hit in knowledge.search(member=member, text=word).hits}
    # The search shows visible topics only, even to their author and to moderators.
    assert {name for name, t in topics.items() if t.pk in found_ids} == TOPICS_READ[who] - {"held"}


@pytest.mark.parametrize("who", MATRIX_READERS)
def test_forum_read_matrix_of_the_api(who, forum_world, client_as):
    client = client_as(forum_world["people"][who])
    response = client.get("/api/forums/categories/")
    if who == "suspended":
        assert response.status_code == 404
        return
    categories = forum_world["categories"]
    slugs = {c["slug"]: c["topic_count"] for c in response.json()}
    assert {name for name, c in categories.items() if c.slug in slugs} == CATEGORIES_READ[who]
    # Counts hold only what the reader may open: Paul counts his held topic, Bob does not.
    if "patients" in CATEGORIES_READ[who]:
        expected = 1 + (1 if "held" in TOPICS_READ[who] else 0)
        assert slugs[categories["patients"].slug] == expected
    listed = set()
    for name, category in categories.items():
        page = client.get(f"/api/forums/categories/{category.slug}/topics/")
        if name in CATEGORIES_READ[who]:
            listed |= {t["id"] for t in page.json()["results"]}
        else:
            assert page.status_code == 404, name
    topics = forum_world["topics"]
    assert {name for name, t in topics.items() if t.pk in listed} == TOPICS_READ[who]
    opened = {
        name
        for name, t in topics.items()
        if client.get(f"/api/forums/topics/{t.pk}/").status_code == 200
    }
    assert opened == TOPICS_READ[who]


@pytest.mark.parametrize("who", MATRIX_READERS)
def test_forum_read_matrix_of_the_index_page(who, forum_world, client_as):
    page = client_as(forum_world["people"][who]).get("/forums/")
    if who == "suspended":
        assert page.status_code != 200
        return
    html = page.content.decode()
    categories = forum_world["categories"]
    shown = {name for name, c in categories.items() if f"/forums/{c.slug}/" in html}
    assert shown == CATEGORIES_READ[who]


def test_the_data_export_keeps_the_title_of_a_topic_the_member_can_no_longer_open(
    people, closed_group, secret_topic
):
    joined = GroupMembership.objects.create(
        group=closed_group, member=people["member"], status=GroupMembership.Status.MEMBER
    )
    reply = forums.post_create(author=people["member"], topic=secret_topic, body="Merci.")
    exported = members.member_export(member=people["member"])["content"]["forums"]["posts"]
    assert [(p["id"], p["topic_title"]) for p in exported] == [(reply.pk, SECRET)]
    joined.delete()  # Bob left the group
    exported = members.member_export(member=people["member"])["content"]["forums"]["posts"]
    assert [(p["id"], p["topic_title"]) for p in exported] == [(reply.pk, None)]
    assert exported[0]["body"] == "Merci."  # what he wrote stays his
