"""Authorization matrix of the network's icon: public like its logo, for every role (the
suspended member is signed out on any page, as everywhere)."""

import pytest

from tests import matrix
from tests.matrix import EVERY_ROLE, EVERYONE, Route, cases, check

pytestmark = pytest.mark.django_db
world, role_accounts = matrix.world, matrix.role_accounts  # the module's shared world


def _is_png(response, world, role):
    assert response["Content-Type"] == "image/png", role
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n"), role


def _icon(path: str) -> Route:
    return Route(
        "get", lambda w: path, EVERYONE - {"suspended"}, public=True, roles=EVERY_ROLE,
        check=_is_png,
    )  # fmt: skip


ROUTES = {
    "brand_icon": _icon("/icone/512.png"),
    "favicon": _icon("/favicon.ico"),
    "apple_touch_icon": _icon("/apple-touch-icon.png"),
}


@pytest.mark.parametrize(("route", "role"), cases(ROUTES))
def test_tenants_matrix(client_as, world, route, role):
    check(ROUTES, route, role, client_as, world)
