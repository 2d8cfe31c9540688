"""Authorization matrix of the notifications' pages: each member reads and marks only their
own notifications; the unsubscribe link works signed out, for the member it names."""

import pytest

from tenant_apps.notifications.models import Notification, NotificationSettings
from tests import matrix
from tests.matrix import EVERY_ROLE, EVERYONE, MEMBERS, Route, cases, check

pytestmark = pytest.mark.django_db
world, role_accounts = matrix.world, matrix.role_accounts  # the module's shared world


def _lists_only_ones_own(response, world, role):
    # Bob's notification (about Olga's reply) reaches Bob alone.
    shown = f"/notifications/{world.notification.pk}/".encode() in response.content
    assert shown == (role == "member"), role


ROUTES = {
    "notifications:list": Route(
        "get",
        lambda w: "/notifications/",
        MEMBERS,
        roles=EVERY_ROLE,
        check=_lists_only_ones_own,
    ),  # fmt: skip
    # Opening one's notification marks it read and leads to what it is about.
    "notifications:open": Route(
        "get",
        lambda w: f"/notifications/{w.notification.pk}/",
        frozenset({"member"}),
        302,
        roles=EVERY_ROLE,
        check=lambda r, w, role: Notification.objects.get(pk=w.notification.pk).read_at is not None,
    ),  # fmt: skip
    # Marking one read without opening it: the recipient only.
    "notifications:read": Route(
        "post",
        lambda w: f"/notifications/{w.notification.pk}/lu/",
        frozenset({"member"}),
        302,
        roles=EVERY_ROLE,
        check=lambda r, w, role: Notification.objects.get(pk=w.notification.pk).read_at is not None,
    ),  # fmt: skip
    "notifications:unread_badge": Route(
        "get", lambda w: "/notifications/compte/", MEMBERS, roles=EVERY_ROLE
    ),
    "notifications:read_all": Route(
        "post",
        lambda w: "/notifications/tout-lu/",
        MEMBERS,
        302,
        check=lambda r, w, role: (
            Notification.objects.get(pk=w.notification.pk).read_at is not None
            if role == "member"
            else None
        ),
    ),  # fmt: skip
    "notifications:preferences": Route(
        "post",
        lambda w: "/notifications/preferences/",
        MEMBERS,
        302,
        data=lambda w: {"frequency": "weekly"},
        check=lambda r, w, role: (
            NotificationSettings.objects.get(member=w.people[role]).frequency == "weekly"
        ),
    ),  # fmt: skip
    # The signed link needs no session: whoever holds it unsubscribes the member it names
    # (Bob), and only Bob.
    "notifications:unsubscribe": Route(
        "post",
        lambda w: f"/notifications/desabonnement/{w.unsubscribe_token}/",
        EVERYONE - {"suspended"},
        public=True,
        check=lambda r, w, role: (
            NotificationSettings.objects.get(member=w.member_member).frequency == "never"
        ),
    ),  # fmt: skip
}


@pytest.mark.parametrize(("route", "role"), cases(ROUTES))
def test_notifications_matrix(client_as, world, route, role):
    check(ROUTES, route, role, client_as, world)
