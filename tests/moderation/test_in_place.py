"""The moderation queue acts in place: with htmx (``HX-Request: true``) a handled case is
answered by a short confirmation that takes its place (with an undo where there is one);
without it, the forms post and return to the queue."""

import re

import pytest
from django.urls import reverse

from tenant_apps.forums.models import Post
from tenant_apps.moderation import cases, services
from tenant_apps.moderation.models import Case
from tenant_apps.moderation.screening import Screening
from tests.moderation.factories import make_reply

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _action(post: Post, action: str) -> str:
    return reverse("moderation:post_action", args=[post.pk, action])


def test_the_queue_offers_its_actions_in_place(client_as, reply, member_of):
    services.report_create(reporter=member_of["member"], post=reply, reason="hurtful")
    page = client_as("moderator").get(reverse("moderation:queue")).content.decode()
    for action in ("approve", "hide"):
        form = re.search(rf'<form method="post" action="{_action(reply, action)}"[^>]*>', page)
        assert f'hx-post="{_action(reply, action)}"' in form.group(0)
        assert f'hx-target="#case-post-{reply.pk}"' in form.group(0)


def test_hiding_in_place_answers_a_confirmation_with_an_undo(client_as, reply, member_of):
    services.report_create(reporter=member_of["member"], post=reply, reason="hurtful")
    client = client_as("moderator")
    response = client.post(_action(reply, "hide"), {"reason": "Propos blessants"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<article")
    assert f'id="case-done-{reply.pk}"' in html and "data-focus-next" in html
    assert f'id="case-post-{reply.pk}"' not in html  # the case is gone from the queue
    assert f'hx-post="{_action(reply, "restore")}"' in html  # the undo
    assert 'hx-swap-oob="innerHTML:#live-status"' in html
    reply.refresh_from_db()
    assert (reply.status, reply.hidden_reason) == ("hidden", "Propos blessants")
    # Undone from the confirmation: restored, the focus stays on what was undone.
    undone = client.post(_action(reply, "restore"), {"undo": "1"}, **HTMX).content.decode()
    assert "data-autofocus" in undone and "data-focus-next" not in undone
    assert 'name="undo"' not in undone
    reply.refresh_from_db()
    assert reply.status == "published"


def test_approving_in_place_has_no_undo_and_closes_the_case(client_as, topic, member_of):
    held = make_reply(topic, member_of["author"], status=Post.Status.HELD)
    cases.post_screened(post=held, screening=Screening(premoderated=True))
    client = client_as("moderator")
    response = client.post(_action(held, "approve"), **HTMX)
    assert response.status_code == 200
    assert 'name="undo"' not in response.content.decode()
    held.refresh_from_db()
    assert held.status == "published"
    assert not Case.objects.filter(status="open").exists()
    # A double submit: the same place answered with what stands, nothing changes.
    again = client.post(_action(held, "approve"), **HTMX)
    assert again.status_code == 200 and f'id="case-done-{held.pk}"'.encode() in again.content
    held.refresh_from_db()
    assert held.status == "published"


def test_a_hide_without_reason_in_place_shows_the_form_with_its_error(client_as, reply):
    response = client_as("moderator").post(_action(reply, "hide"), {"reason": " "}, **HTMX)
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#main"
    assert response.headers["HX-Reselect"] == "#main"
    assert b'class="errors"' in response.content
    assert Post.objects.get(pk=reply.pk).status == "published"


def test_without_javascript_the_queue_still_redirects(client_as, reply):
    response = client_as("moderator").post(_action(reply, "hide"), {"reason": "Spam"})
    assert response.status_code == 302 and response.url == reverse("moderation:queue")


@pytest.mark.parametrize("who", ["member", "caregiver"])
def test_in_place_actions_are_refused_alike(client_as, reply, who):
    response = client_as(who).post(_action(reply, "hide"), {"reason": "Spam"}, **HTMX)
    assert response.status_code == 404
    assert Post.objects.get(pk=reply.pk).status == "published"
