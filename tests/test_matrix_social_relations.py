"""Authorization matrix of the social relations' pages and API (follows, followers, blocks,
"people like me", the feed): every route, every role, refusals change nothing, lists show
one's own rows only.

Per test: Tina follows Bob (member) and Bob follows Tina; Bob blocked Pia.
"""

import pytest

from tenant_apps.social import relations
from tenant_apps.social.models import Block, Follow, SocialSettings
from tests import matrix
from tests.matrix import EVERY_ROLE, MEMBERS, Route, api, cases, check

pytestmark = pytest.mark.django_db
world, role_accounts = matrix.world, matrix.role_accounts  # the module's shared world

BOB = frozenset({"member"})


@pytest.fixture
def social_world(world):
    relations.follow_create(follower=world.tina, followed=world.member_member)
    relations.follow_create(follower=world.member_member, followed=world.tina)
    relations.block_create(blocker=world.member_member, blocked=world.pia)
    return world


def _shows(marker: str, only: str):
    def checked(response, w, role):
        assert (marker.format(w=w).encode() in response.content) == (role == only), role

    return checked


def _api_ids(response) -> list[int]:
    return [row["member"]["id"] for row in response.json()["results"]]


def _follows_tina(response, w, role):
    return Follow.objects.filter(follower=w.people[role], followed=w.tina).exists()


def _blocks_tina(response, w, role):
    return Block.objects.filter(blocker=w.people[role], blocked=w.tina).exists()


ROUTES = {
    "relations:feed": Route("get", lambda w: "/communaute/", MEMBERS, roles=EVERY_ROLE),
    "relations:profile": Route(
        "get", lambda w: "/communaute/membres/Tina/", MEMBERS, roles=EVERY_ROLE
    ),
    "relations:follow": Route(
        "post",
        lambda w: "/communaute/membres/Tina/suivre/",
        MEMBERS,
        302,
        data=lambda w: {"follow": "1"},
        roles=EVERY_ROLE,
        check=_follows_tina,
    ),  # fmt: skip
    "relations:block": Route(
        "post",
        lambda w: "/communaute/membres/Tina/bloquer/",
        MEMBERS,
        302,
        roles=EVERY_ROLE,
        check=_blocks_tina,
    ),  # fmt: skip
    "relations:followers": Route(
        "get",
        lambda w: "/communaute/abonnes/",
        MEMBERS,
        roles=EVERY_ROLE,
        check=_shows('id="follower-{w.tina.pk}"', "member"),
    ),  # fmt: skip
    "relations:follower_remove": Route(
        "post",
        lambda w: "/communaute/abonnes/Tina/retirer/",
        BOB,
        302,
        roles=EVERY_ROLE,
        check=lambda r, w, role: not relations.follows(w.tina, w.member_member),
    ),  # fmt: skip
    "relations:following": Route(
        "get",
        lambda w: "/communaute/abonnements/",
        MEMBERS,
        roles=EVERY_ROLE,
        check=_shows('id="followed-{w.tina.pk}"', "member"),
    ),  # fmt: skip
    "relations:blocked": Route(
        "get",
        lambda w: "/communaute/bloques/",
        MEMBERS,
        roles=EVERY_ROLE,
        check=_shows('id="blocked-{w.pia.pk}"', "member"),
    ),  # fmt: skip
    "relations:unblock": Route(
        "post",
        lambda w: "/communaute/bloques/Pia/debloquer/",
        BOB,
        302,
        roles=EVERY_ROLE,
        check=lambda r, w, role: not Block.objects.filter(blocked=w.pia).exists(),
    ),  # fmt: skip
    "relations:matching": Route(
        "post",
        lambda w: "/communaute/rencontres/",
        MEMBERS,
        302,
        data=lambda w: {"matching": "on"},
        roles=EVERY_ROLE,
        check=lambda r, w, role: SocialSettings.objects.get(member=w.people[role]).matching,
    ),  # fmt: skip
    # The API.
    "api_social_follows": api(
        "get",
        lambda w: "/api/community/follows/",
        MEMBERS,
        roles=EVERY_ROLE,
        check=lambda r, w, role: _api_ids(r) == ([w.tina.pk] if role == "member" else []),
    ),  # fmt: skip
    "api_social_follow": api(
        "delete",
        lambda w: "/api/community/follows/Tina/",
        BOB,
        204,
        roles=EVERY_ROLE,
        check=lambda r, w, role: not relations.follows(w.member_member, w.tina),
    ),  # fmt: skip
    "api_social_followers": api(
        "get",
        lambda w: "/api/community/followers/",
        MEMBERS,
        roles=EVERY_ROLE,
        check=lambda r, w, role: _api_ids(r) == ([w.tina.pk] if role == "member" else []),
    ),  # fmt: skip
    "api_social_follower": api(
        "delete",
        lambda w: "/api/community/followers/Tina/",
        BOB,
        204,
        roles=EVERY_ROLE,
        check=lambda r, w, role: not relations.follows(w.tina, w.member_member),
    ),  # fmt: skip
    "api_social_blocks": api(
        "get",
        lambda w: "/api/community/blocks/",
        MEMBERS,
        roles=EVERY_ROLE,
        check=lambda r, w, role: _api_ids(r) == ([w.pia.pk] if role == "member" else []),
    ),  # fmt: skip
    "api_social_block": api(
        "delete",
        lambda w: "/api/community/blocks/Pia/",
        BOB,
        204,
        roles=EVERY_ROLE,
        check=lambda r, w, role: not Block.objects.filter(blocked=w.pia).exists(),
    ),  # fmt: skip
    "api_social_matching": api(
        "put",
        lambda w: "/api/community/matching/",
        MEMBERS,
        roles=EVERY_ROLE,
        data=lambda w: {"matching": True, "matching_same_region": False},
        check=lambda r, w, role: SocialSettings.objects.get(member=w.people[role]).matching,
    ),  # fmt: skip
    "api_social_suggestions": api(
        "get",
        lambda w: "/api/community/matching/suggestions/",
        MEMBERS,
        roles=EVERY_ROLE,
        check=lambda r, w, role: r.json()["results"] == [],
    ),  # fmt: skip
    "api_social_feed": api("get", lambda w: "/api/community/feed/", MEMBERS, roles=EVERY_ROLE),
}

# The other methods of the same routes.
CALLS = {
    "relations:matching GET": Route(
        "get", lambda w: "/communaute/rencontres/", MEMBERS, roles=EVERY_ROLE
    ),
    "relations:follow unfollow": Route(
        "post",
        lambda w: "/communaute/membres/Tina/suivre/",
        MEMBERS,
        302,
        data=lambda w: {"follow": "0"},
        roles=EVERY_ROLE,
        check=lambda r, w, role: not relations.follows(w.people[role], w.tina),
    ),  # fmt: skip
    "api_social_follows POST": api(
        "post",
        lambda w: "/api/community/follows/",
        MEMBERS,
        201,
        roles=EVERY_ROLE,
        data=lambda w: {"pseudonym": "Tina"},
        check=_follows_tina,
    ),  # fmt: skip
    "api_social_blocks POST": api(
        "post",
        lambda w: "/api/community/blocks/",
        MEMBERS,
        201,
        roles=EVERY_ROLE,
        data=lambda w: {"pseudonym": "Tina"},
        check=_blocks_tina,
    ),  # fmt: skip
    "api_social_matching GET": api(
        "get",
        lambda w: "/api/community/matching/",
        MEMBERS,
        roles=EVERY_ROLE,
        check=lambda r, w, role: r.json() == {"matching": False, "matching_same_region": False},
    ),  # fmt: skip
}


@pytest.mark.parametrize(("route", "role"), cases(ROUTES))
def test_social_relations_matrix(client_as, social_world, route, role):
    check(ROUTES, route, role, client_as, social_world)


@pytest.mark.parametrize(("route", "role"), cases(CALLS))
def test_social_relations_other_methods(client_as, social_world, route, role):
    check(CALLS, route, role, client_as, social_world)


@pytest.mark.parametrize("path", ["/communaute/membres/Pia/", "/communaute/membres/Nobody/"])
def test_a_blocked_member_is_the_same_404_as_nobody_for_both(client_as, social_world, path):
    assert client_as("member").get(path).status_code == 404


def test_the_blocked_member_meets_the_blocker_nowhere(client_as, social_world):
    pia = client_as(social_world.pia.user)
    assert pia.get("/communaute/membres/Bob/").status_code == 404
    response = pia.post(
        "/api/community/follows/", {"pseudonym": "Bob"}, content_type="application/json"
    )
    nobody = pia.post(
        "/api/community/follows/", {"pseudonym": "Nobody"}, content_type="application/json"
    )
    assert response.status_code == nobody.status_code == 400
    assert response.json() == nobody.json()
