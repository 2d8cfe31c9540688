"""Authorization matrix of the security headers' routes (core.security, tenants.theme): the
network's palette stylesheet and the CSP report endpoint are public, like the network's icon,
for every role (the suspended member is signed out on any page, as everywhere)."""

import pytest

from tests import matrix
from tests.matrix import EVERY_ROLE, EVERYONE, Route, cases, check

pytestmark = pytest.mark.django_db
world, role_accounts = matrix.world, matrix.role_accounts  # the module's shared world


def _is_css(response, world, role):
    assert response["Content-Type"] == "text/css; charset=utf-8", role
    assert response.content.decode().startswith(":root {\n  --brand: #"), role


def _is_empty(response, world, role):
    assert response.content == b"", role


ROUTES = {
    "brand_stylesheet": Route(
        "get",
        lambda w: "/couleurs/0123456789ab.css",
        EVERYONE - {"suspended"},
        public=True,
        roles=EVERY_ROLE,
        check=_is_css,
    ),
    # A browser's report (core.security.csp_report): logged, never stored; always 204.
    "csp_report": Route(
        "post",
        lambda w: "/csp-report/",
        EVERYONE - {"suspended"},
        status=204,
        public=True,
        roles=EVERY_ROLE,
        check=_is_empty,
        data=lambda w: {"csp-report": "not a report"},
    ),
}


@pytest.mark.parametrize(("route", "role"), cases(ROUTES))
def test_security_matrix(client_as, world, route, role):
    check(ROUTES, route, role, client_as, world)
