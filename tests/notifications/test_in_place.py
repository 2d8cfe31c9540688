"""Marking notifications read in place: with htmx (``HX-Request: true``) the view answers the
item or the list, with the header's unread counts swapped out of band; without it, the form
posts and is sent back to the list."""

import re

import pytest

from tenant_apps.notifications.models import Notification
from tests.notifications.factories import notify

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _badge(html: bytes, where: str) -> bytes:
    found = re.search(rb'<span id="unread-%s"[^>]*>.*?</span>(</span>)?' % where.encode(), html)
    assert found, where
    return found.group(0)


def test_the_header_counts_have_ids_to_be_swapped(client_as, people):
    notify(people["member"].member)
    page = client_as("member").get("/notifications/").content
    assert b'<span class="badge">1<' in _badge(page, "nav")


def test_one_notification_marked_read_with_htmx(client_as, people):
    bob = people["member"].member
    first, second = notify(bob), notify(bob)
    client = client_as("member")
    page = client.get("/notifications/").content
    assert f'action="/notifications/{first.pk}/lu/"'.encode() in page
    response = client.post(f"/notifications/{first.pk}/lu/", **HTMX)
    assert response.status_code == 200
    html = response.content
    item = f'<li class="notification" id="notification-{first.pk}"'.encode()
    assert html.lstrip().startswith(item)
    assert b"unread-label" not in html and b"mark-read" not in html
    # The header says one unread now, in both places, swapped out of band.
    for where in ("menu", "nav"):
        badge = _badge(html, where)
        assert b'hx-swap-oob="true"' in badge and b'<span class="badge">1<' in badge
    assert b'hx-swap-oob="innerHTML:#live-status"' in html
    first.refresh_from_db(), second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    # Twice: the same answer, nothing more changes.
    read_at = first.read_at
    again = client.post(f"/notifications/{first.pk}/lu/", **HTMX)
    assert again.status_code == 200
    first.refresh_from_db()
    assert first.read_at == read_at


def test_one_notification_marked_read_without_javascript(client_as, people):
    notification = notify(people["member"].member)
    response = client_as("member").post(f"/notifications/{notification.pk}/lu/")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/notifications/#notification-{notification.pk}"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_members_notification_cannot_be_marked_read(client_as, people):
    theirs = notify(people["other"].member)
    for headers in ({}, HTMX):
        response = client_as("member").post(f"/notifications/{theirs.pk}/lu/", **headers)
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_is_a_post(client_as, people):
    notification = notify(people["member"].member)
    assert client_as("member").get(f"/notifications/{notification.pk}/lu/").status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_all_marked_read_with_htmx_answers_the_list_and_empties_the_counts(client_as, people):
    bob = people["member"].member
    mine = [notify(bob) for _ in range(3)]
    theirs = notify(people["other"].member)
    response = client_as("member").post("/notifications/tout-lu/", **HTMX)
    assert response.status_code == 200
    html = response.content
    assert html.lstrip().startswith(b'<div id="notifications-area">')
    assert b'id="mark-all-read"' not in html and b"unread-label" not in html
    assert all(f'id="notification-{n.pk}"'.encode() in html for n in mine)
    for where in ("menu", "nav"):
        assert b'class="badge"' not in _badge(html, where)
    assert not Notification.objects.filter(recipient=bob, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_unread_count_alone(client_as, people, django_assert_max_num_queries):
    notify(people["member"].member), notify(people["member"].member)
    client = client_as("member")
    client.get("/notifications/compte/")
    with django_assert_max_num_queries(6):
        response = client.get("/notifications/compte/?ou=nav")
    assert response.status_code == 200
    assert response.content.lstrip().startswith(b'<span id="unread-nav"')
    assert b'<span class="badge">2<' in response.content
    assert b'id="unread-menu"' in client.get("/notifications/compte/?ou=autre").content
