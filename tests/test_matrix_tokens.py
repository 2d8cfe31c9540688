"""Authorization matrix of "My account" → "API access" (tenant_apps/members/views_tokens.py):
the page, making a token, revoking one. Each member sees and revokes only their own; staff
confirm with their authenticator app's code, members with their password."""

import pytest
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator

from tenant_apps.members import tokens
from tenant_apps.members.models import ApiToken
from tests import matrix
from tests.fixtures import totp_code
from tests.matrix import EVERY_ROLE, MEMBERS, STAFF, Route, cases, check
from tests.members.factories import PASSWORD

pytestmark = pytest.mark.django_db

role_accounts = matrix.role_accounts


@pytest.fixture
def world(shared_world, tenant):
    """Bob (member) has a token for his phone; Mona (moderator) one for her script."""
    world = shared_world
    world.bob_token = tokens.api_token_create(
        member=world.member_member, name="Téléphone de Bob", confirmation=PASSWORD
    ).token
    world.mona_token = tokens.ApiToken.objects.create(
        member=world.moderator_member, name="Script de Mona", prefix="ent_mona", digest="0" * 64
    )
    return world


def _confirmation(world) -> str:
    """What the role types to make a token: the code of its app for staff, else its password."""
    if world.role in STAFF:
        user = world.accounts[world.role]
        secret = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
        return totp_code(get_adapter().decrypt(secret))
    return PASSWORD


def _sees_only_own(response, world, role):
    mine = {"member": "Téléphone de Bob", "moderator": "Script de Mona"}.get(role)
    for name in ("Téléphone de Bob", "Script de Mona"):
        assert (name.encode() in response.content) == (name == mine), (role, name)


def _made(response, world, role):
    made = ApiToken.objects.filter(member=world.people[role], name="Appli").get()
    secret = response.content.decode().split("<pre><code>")[1].split("</code>")[0]
    assert tokens.token_digest(secret) == made.digest
    assert response["Cache-Control"].startswith("max-age=0")


def _revoked(response, world, role):
    world.bob_token.refresh_from_db()
    assert world.bob_token.revoked is not None
    assert response["Location"] == "/compte/acces-api/"


ROUTES = {
    "api_tokens": Route(
        "get", lambda w: "/compte/acces-api/", MEMBERS, roles=EVERY_ROLE, check=_sees_only_own
    ),
    "api_token_create": Route(
        "post",
        lambda w: "/compte/acces-api/nouveau/",
        frozenset({"member", "moderator", "admin"}),
        data=lambda w: {"name": "Appli", "confirmation": _confirmation(w)},
        check=_made,
    ),
    # Bob's token: anybody else gets the 404 of a missing page, and it stays valid.
    "api_token_revoke": Route(
        "post",
        lambda w: f"/compte/acces-api/{w.bob_token.pk}/revoquer/",
        frozenset({"member"}),
        302,
        check=_revoked,
    ),
}


@pytest.mark.parametrize(("name", "role"), cases(ROUTES))
def test_api_tokens_matrix(name, role, client_as, world):
    check(ROUTES, name, role, client_as, world)
