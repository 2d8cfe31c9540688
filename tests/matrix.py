"""The authorization matrices' machinery: a route's spec, its (route, role) cases, and the
one check every case runs.

A matrix module (``tests/test_matrix_*.py``) declares ``ROUTES = {url name: Route(...)}``;
``tests/test_route_coverage.py`` imports every matrix and fails on a route none declares.

What each role gets, for a route that does not let it in:
- a signed-out visitor (``anonymous``, and ``other_network``: another network's session is no
  session here) is sent to sign in from a member-only page, and gets 404 from the API;
- ``suspended`` is signed out and sent home from a page (its session ends, nothing else
  changes), and gets 404 from the API;
- any other signed-in role gets 404.
Nothing else in the network's schema changes on a refusal (``db_snapshot``).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest

from tests.fixtures import ROLES, db_snapshot

SIGNED_OUT = frozenset({"anonymous", "other_network"})
# The roles a route is tried with, unless it says otherwise.
STAFF_ROLES = ("anonymous", "other_network", "suspended", "member", "moderator", "admin")
EVERY_ROLE = ROLES
MEMBERS = frozenset({"member", "caregiver", "outsider_of_group", "group_member", "moderator",
                     "admin"})  # fmt: skip
STAFF = frozenset({"moderator", "admin"})
ADMIN = frozenset({"admin"})
EVERYONE = frozenset(ROLES)


@pytest.fixture
def world(shared_world, tenant):
    """The module's one world (a matrix module imports this fixture and ``role_accounts``)."""
    return shared_world


@pytest.fixture
def role_accounts(shared_world):
    return shared_world.accounts


@dataclass(frozen=True)
class Route:
    """How to call a route and who may: ``path`` and ``data`` take the world."""

    method: str
    path: Callable[[Any], str]
    allowed: frozenset[str]
    status: int = 200
    data: Callable[[Any], dict] | None = None
    roles: tuple[str, ...] = STAFF_ROLES
    # Open to signed-out visitors, who get the view's own answer (``allowed`` says which).
    public: bool = False
    # Called with (response, world, role) for an allowed role: which ids came back, what
    # changed.
    check: Callable[[Any, Any, str], None] | None = None
    extra: dict = field(default_factory=dict)  # headers for the client

    @property
    def is_api(self) -> bool:
        return self.method in ("patch", "delete") or self.extra.get("api", False)


def api(method, path, allowed, status=200, data=None, **options) -> Route:
    return Route(method, path, allowed, status, data, extra={"api": True}, **options)


def cases(routes: dict[str, Route]) -> list[tuple[str, str]]:
    """One (route, role) pair per case, so that one failure hides nothing."""
    return [(name, role) for name, route in routes.items() for role in route.roles]


def call(client, route: Route, world):
    path = route.path(world)
    body = route.data(world) if route.data else None
    if route.extra.get("api"):
        if body is None:
            return path, getattr(client, route.method)(path)
        return path, getattr(client, route.method)(
            path, data=json.dumps(body), content_type="application/json"
        )
    if body is None:
        return path, getattr(client, route.method)(path)
    return path, getattr(client, route.method)(path, body)


def check(routes: dict[str, Route], name: str, role: str, client_as, world) -> None:
    route = routes[name]
    world.role = role  # for data that depends on who sends it
    client = client_as(role)
    before = None if role in route.allowed else db_snapshot()

    path, response = call(client, route, world)

    if role in route.allowed:
        assert response.status_code == route.status, (response.status_code, path)
        if route.check is not None:
            # A check either asserts itself or answers whether the effect is there.
            assert route.check(response, world, role) is not False, (name, role)
        return
    after = db_snapshot()
    if route.extra.get("api"):
        assert response.status_code == 404, (response.status_code, path)
    elif role in SIGNED_OUT and not route.public:
        assert response.status_code == 302, (response.status_code, path)
        assert response["Location"] == f"/comptes/login/?next={quote(path)}"
    elif role == "suspended":
        assert response.status_code == 302, (response.status_code, path)
        assert response["Location"] == "/"
        # The session ends; nothing else moves.
        before.pop("django_session"), after.pop("django_session")
    else:
        assert response.status_code == 404, (response.status_code, path)
    assert after == before
