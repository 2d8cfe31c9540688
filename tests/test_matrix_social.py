"""Authorization matrix of the experiences' pages and API, and of the moderation routes for
experiences and their comments: anonymous, another network's session, a suspended member,
a member outside the author's space (the caregiver), a member of it (Bob), a follower of the
author (Fanny), a member the author blocked (Boris), the author (Elsa), a moderator, an admin.

Elsa published four experiences: for the whole network, for her spaces (Patients), for her
followers, and one held for approval. Lists assert which ids each role gets; refusals are
404 (or sign-in for signed-out visitors) and change nothing."""

import re

import pytest
from django.core.files.base import ContentFile
from django_tenants.utils import tenant_context

from tenant_apps.members.models import ProfileType
from tenant_apps.moderation.models import Report
from tenant_apps.social import services
from tenant_apps.social.models import Block, Experience, ExperienceComment, Follow
from tests import matrix
from tests.events.factories import picture
from tests.matrix import Route, api, cases, check
from tests.members.factories import account

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "other_network", "suspended", "member", "caregiver", "follower",
         "blocked", "author", "moderator", "admin")  # fmt: skip
SIGNED_IN = frozenset({"member", "caregiver", "follower", "blocked", "author", "moderator",
                       "admin"})  # fmt: skip
# Who reads Elsa's experience for the whole network: everyone but the member she blocked.
NETWORK_READERS = SIGNED_IN - {"blocked"}
# Her experience for her spaces (Patients): not the caregiver, whose profile does not open it.
SPACE_READERS = NETWORK_READERS - {"caregiver"}
STAFF = frozenset({"moderator", "admin"})
AUTHOR = frozenset({"author"})
FOLLOWER = frozenset({"follower"})


@pytest.fixture(scope="module")
def social_world(shared_world, session_networks, django_db_blocker):
    w = shared_world
    with django_db_blocker.unblock(), tenant_context(session_networks.get("alpha")):
        w.elsa = account("Elsa").member
        w.fanny = account("Fanny").member
        w.boris = account("Boris").member
        w.people.update({"author": w.elsa, "follower": w.fanny, "blocked": w.boris})
        Follow.objects.create(follower=w.fanny, followed=w.elsa)
        Block.objects.create(blocker=w.elsa, blocked=w.boris)
        w.e_network = services.experience_create(
            author=w.elsa, body="Pour tout le réseau.", image=picture(), image_alt="Un ciel"
        )
        with w.e_network.image.open("rb") as stored:
            w.image_bytes = stored.read()
        w.e_spaces = services.experience_create(
            author=w.elsa, body="Pour mes espaces.", audience="spaces"
        )
        w.e_followers = services.experience_create(
            author=w.elsa, body="Pour mes abonnés.", audience="followers"
        )
        w.e_held = services.experience_create(author=w.elsa, body="En attente.")
        Experience.objects.filter(pk=w.e_held.pk).update(status="held")
        w.comment = services.comment_create(
            author=w.fanny, experience=w.e_network, body="Merci pour ce partage."
        )
        w.e_other = services.experience_create(author=w.boris, body="De Boris.")
        assert w.caregiver_member.profile_type == ProfileType.CAREGIVER
    return w


@pytest.fixture
def world(social_world, tenant):
    # Each test has its own MEDIA_ROOT (tests/fixtures.py): put the image back in it.
    image = social_world.e_network.image
    image.storage.save(image.name, ContentFile(social_world.image_bytes))
    return social_world


@pytest.fixture
def role_accounts(social_world):
    return {
        **social_world.accounts,
        "author": social_world.elsa.user,
        "follower": social_world.fanny.user,
        "blocked": social_world.boris.user,
    }


def expected_ids(w, role) -> set[int]:
    """Which experiences each role reads in the network's list and the API's."""
    elsa = {w.e_network.pk, w.e_spaces.pk, w.e_followers.pk, w.e_held.pk}
    seen = {
        "member": {w.e_network.pk, w.e_spaces.pk},
        "caregiver": {w.e_network.pk},
        "follower": {w.e_network.pk, w.e_spaces.pk, w.e_followers.pk},
        "blocked": set(),  # nothing of Elsa's
        "author": elsa,
        "moderator": {w.e_network.pk, w.e_spaces.pk},
        "admin": {w.e_network.pk, w.e_spaces.pk},
    }[role]
    # Boris's own experience: Elsa blocked him, so neither reads the other's.
    return seen | ({w.e_other.pk} if role != "author" else set())


CARD = re.compile(rb'<article class="card experience[^"]*" id="experience-(\d+)"')


def _page_ids(response) -> set[int]:
    return {int(pk) for pk in CARD.findall(response.content)}


def _api_ids(response) -> set[int]:
    return {item["id"] for item in response.json()["results"]}


def _lists(found):
    def check_(response, w, role):
        assert found(response) == expected_ids(w, role), role

    return check_


def _created(response, w, role):
    return Experience.objects.filter(author=w.people[role], body="Nouvelle expérience").exists()


def _commented(response, w, role):
    return ExperienceComment.objects.filter(author=w.people[role], body="Bon courage").exists()


def _reported(target_field):
    def check_(response, w, role):
        return Report.objects.filter(
            reporter=w.people[role], **{f"case__{target_field}__isnull": False}
        ).exists()

    return check_


ROUTES = {
    "social:experiences": Route(
        "get", lambda w: "/experiences/", SIGNED_IN, roles=ROLES, check=_lists(_page_ids)
    ),
    "social:experience_new": Route(
        "post",
        lambda w: "/experiences/nouvelle/",
        SIGNED_IN,
        302,
        data=lambda w: {"body": "Nouvelle expérience", "audience": "network"},
        roles=ROLES,
        check=_created,
    ),
    "social:experience": Route(
        "get",
        lambda w: f"/experiences/{w.e_spaces.pk}/",
        SPACE_READERS | FOLLOWER | AUTHOR,
        roles=ROLES,
        check=lambda r, w, role: f'id="experience-{w.e_spaces.pk}"' in r.content.decode(),
    ),
    "social:experience_edit": Route(
        "get", lambda w: f"/experiences/{w.e_network.pk}/modifier/", AUTHOR, roles=ROLES
    ),
    "social:experience_delete": Route(
        "post",
        lambda w: f"/experiences/{w.e_network.pk}/supprimer/",
        AUTHOR,
        302,
        roles=ROLES,
        check=lambda r, w, role: not Experience.objects.filter(pk=w.e_network.pk).exists(),
    ),
    "social:experience_image": Route(
        "get",
        lambda w: f"/experiences/{w.e_network.pk}/image/",
        NETWORK_READERS,
        roles=ROLES,
        check=lambda r, w, role: b"".join(r.streaming_content) == w.image_bytes,
    ),
    "social:experience_react": Route(
        "post",
        lambda w: f"/experiences/{w.e_network.pk}/reagir/",
        NETWORK_READERS,
        302,
        data=lambda w: {"press": "support"},
        roles=ROLES,
        check=lambda r, w, role: Experience.objects.get(pk=w.e_network.pk).support_count == 1,
    ),
    "social:comment_create": Route(
        "post",
        lambda w: f"/experiences/{w.e_network.pk}/commenter/",
        NETWORK_READERS,
        302,
        data=lambda w: {"body": "Bon courage"},
        roles=ROLES,
        check=_commented,
    ),
    "social:comment_edit": Route(
        "get",
        lambda w: f"/experiences/commentaires/{w.comment.pk}/modifier/",
        FOLLOWER,
        roles=ROLES,
    ),  # fmt: skip
    "social:comment_delete": Route(
        "post",
        lambda w: f"/experiences/commentaires/{w.comment.pk}/supprimer/",
        FOLLOWER,
        302,
        roles=ROLES,
        check=lambda r, w, role: not ExperienceComment.objects.filter(pk=w.comment.pk).exists(),
    ),
    # Reports: what one reads and did not write.
    "moderation:report_experience": Route(
        "post",
        lambda w: f"/moderation/signaler/experience/{w.e_network.pk}/",
        NETWORK_READERS - AUTHOR,
        data=lambda w: {"reason": "hurtful"},
        roles=ROLES,
        check=_reported("experience"),
    ),
    "moderation:report_comment": Route(
        "post",
        lambda w: f"/moderation/signaler/commentaire/{w.comment.pk}/",
        NETWORK_READERS - FOLLOWER,
        data=lambda w: {"reason": "hurtful"},
        roles=ROLES,
        check=_reported("experience_comment"),
    ),
    # Moderators' decisions: any experience or comment of the network.
    "moderation:experience_action": Route(
        "post",
        lambda w: f"/moderation/experiences/{w.e_held.pk}/approve/",
        STAFF,
        302,
        roles=ROLES,
        check=lambda r, w, role: Experience.objects.get(pk=w.e_held.pk).status == "published",
    ),
    "moderation:comment_action": Route(
        "post",
        lambda w: f"/moderation/commentaires/{w.comment.pk}/hide/",
        STAFF,
        302,
        data=lambda w: {"reason": "Hors sujet"},
        roles=ROLES,
        check=lambda r, w, role: ExperienceComment.objects.get(pk=w.comment.pk).status == "hidden",
    ),
    "api_moderation_experience_decide": api(
        "post",
        lambda w: f"/api/moderation/experiences/{w.e_followers.pk}/hide/",
        STAFF,
        data=lambda w: {"reason": "Publicité"},
        roles=ROLES,
        check=lambda r, w, role: Experience.objects.get(pk=w.e_followers.pk).status == "hidden",
    ),
    "api_moderation_comment_decide": api(
        "post",
        lambda w: f"/api/moderation/comments/{w.comment.pk}/approve/",
        STAFF,
        roles=ROLES,
        check=lambda r, w, role: r.json()["status"] == "published",
    ),
    # The API.
    "api_experiences": api(
        "get", lambda w: "/api/experiences/", SIGNED_IN, roles=ROLES, check=_lists(_api_ids)
    ),
    "api_experience": api(
        "get",
        lambda w: f"/api/experiences/{w.e_followers.pk}/",
        FOLLOWER | AUTHOR,
        roles=ROLES,
        check=lambda r, w, role: r.json()["id"] == w.e_followers.pk,
    ),
    "api_experience_comments": api(
        "get",
        lambda w: f"/api/experiences/{w.e_network.pk}/comments/",
        NETWORK_READERS,
        roles=ROLES,
        check=lambda r, w, role: [c["id"] for c in r.json()] == [w.comment.pk],
    ),
    "api_experience_reactions": api(
        "post",
        lambda w: f"/api/experiences/{w.e_spaces.pk}/reactions/",
        SPACE_READERS | FOLLOWER | AUTHOR,
        data=lambda w: {"kind": "courage", "pressed": True},
        roles=ROLES,
        check=lambda r, w, role: (
            r.json()["reactions"][2] == {"kind": "courage", "count": 1, "pressed": True}
        ),
    ),  # fmt: skip
    "api_experience_comment": api(
        "patch",
        lambda w: f"/api/experiences/comments/{w.comment.pk}/",
        FOLLOWER,
        data=lambda w: {"body": "Merci beaucoup."},
        roles=ROLES,
        check=lambda r, w, role: (
            ExperienceComment.objects.get(pk=w.comment.pk).body == "Merci beaucoup."
        ),
    ),
}

# Other methods and other experiences of the same routes.
OTHER = {
    "experience for followers": Route(
        "get",
        lambda w: f"/experiences/{w.e_followers.pk}/",
        FOLLOWER | AUTHOR,
        roles=ROLES,
    ),
    "held experience": Route("get", lambda w: f"/experiences/{w.e_held.pk}/", AUTHOR, roles=ROLES),
    "experience for the network": Route(
        "get", lambda w: f"/experiences/{w.e_network.pk}/", NETWORK_READERS, roles=ROLES
    ),
    "api create": api(
        "post",
        lambda w: "/api/experiences/",
        SIGNED_IN,
        201,
        data=lambda w: {"body": "Nouvelle expérience", "audience": "followers"},
        roles=ROLES,
        check=_created,
    ),
    "api edit": api(
        "patch",
        lambda w: f"/api/experiences/{w.e_spaces.pk}/",
        AUTHOR,
        data=lambda w: {"audience": "network"},
        roles=ROLES,
        check=lambda r, w, role: Experience.objects.get(pk=w.e_spaces.pk).audience == "network",
    ),
    "api delete": api(
        "delete",
        lambda w: f"/api/experiences/{w.e_spaces.pk}/",
        AUTHOR,
        204,
        roles=ROLES,
        check=lambda r, w, role: not Experience.objects.filter(pk=w.e_spaces.pk).exists(),
    ),
    "api comment": api(
        "post",
        lambda w: f"/api/experiences/{w.e_spaces.pk}/comments/",
        SPACE_READERS | FOLLOWER | AUTHOR,
        201,
        data=lambda w: {"body": "Bon courage"},
        roles=ROLES,
        check=_commented,
    ),
    "api comment delete": api(
        "delete",
        lambda w: f"/api/experiences/comments/{w.comment.pk}/",
        FOLLOWER,
        204,
        roles=ROLES,
        check=lambda r, w, role: not ExperienceComment.objects.filter(pk=w.comment.pk).exists(),
    ),
    "forged id": api("get", lambda w: "/api/experiences/999999999/", frozenset(), roles=ROLES),
    "forged page id": Route("get", lambda w: "/experiences/999999999/", frozenset(), roles=ROLES),
}


@pytest.mark.parametrize(("route", "role"), cases(ROUTES))
def test_social_matrix(client_as, world, route, role):
    check(ROUTES, route, role, client_as, world)


@pytest.mark.parametrize(("route", "role"), cases(OTHER))
def test_social_other_cases_matrix(client_as, world, route, role):
    check(OTHER, route, role, client_as, world)


def test_the_matrix_covers_each_kind_of_reader():
    assert set(ROLES) >= {"caregiver", "follower", "blocked", "member", "moderator", "admin"}
    assert matrix.SIGNED_OUT <= set(ROLES)
