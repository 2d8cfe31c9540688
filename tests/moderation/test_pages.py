"""Moderation pages: who reaches them, what each does, and what a refusal leaves unchanged."""

import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from tenant_apps.forums.models import Category, ContentWarning, Post, Topic
from tenant_apps.members.models import AuditEntry, Member
from tenant_apps.moderation import cases, services
from tenant_apps.moderation.models import (
    Case,
    CrisisTerm,
    ModerationSettings,
    OnDuty,
    Report,
    WatchedWord,
)
from tenant_apps.moderation.screening import Screening
from tenant_apps.notifications.models import Notification
from tests.moderation.factories import make_reply, make_topic

pytestmark = pytest.mark.django_db

REFUSED = ["anonymous", "other_network", "member"]
SIGNED_OUT = {"anonymous", "other_network"}


def snapshot() -> tuple:
    """Everything a moderation page could change."""
    return (
        list(Post.objects.order_by("pk").values_list("status", "hidden_reason", "body")),
        list(Topic.objects.order_by("pk").values_list("locked", "pinned", "category", "status")),
        list(Member.objects.order_by("pk").values_list("status", "role")),
        Case.objects.count(), Report.objects.count(), AuditEntry.objects.count(),
        Notification.objects.count(), OnDuty.objects.count(), WatchedWord.objects.count(),
        CrisisTerm.objects.count(), list(ContentWarning.objects.values_list("name", flat=True)),
        list(ModerationSettings.objects.values_list("premoderated_posts", flat=True)),
    )  # fmt: skip


# --- The authorization matrix ----------------------------------------------------------------


def pages(reply):
    """(method, url, data) for every moderation page acting on ``reply``."""
    post, topic = reply.pk, reply.topic_id
    word = WatchedWord.objects.create(phrase="arnaque", action="flag").pk
    term = CrisisTerm.objects.first().pk
    duty = OnDuty.objects.create(member=Member.objects.get(user__username="Mona")).pk
    traitements = Category.objects.get(slug="traitements").pk
    return [
        ("get", reverse("moderation:queue"), None),
        ("post", reverse("moderation:duty_toggle"), {}),
        ("post", reverse("moderation:post_action", args=[post, "approve"]), {}),
        ("post", reverse("moderation:post_action", args=[post, "hide"]), {"reason": "Spam"}),
        ("post", reverse("moderation:post_action", args=[post, "restore"]), {}),
        ("get", reverse("moderation:post_edit", args=[post]), None),
        ("post", reverse("moderation:post_edit", args=[post]), {"body": "x", "reason": "y"}),
        ("post", reverse("moderation:topic_action", args=[topic, "lock"]), {}),
        ("post", reverse("moderation:topic_action", args=[topic, "pin"]), {}),
        ("get", reverse("moderation:topic_move", args=[topic]), None),
        ("post", reverse("moderation:topic_move", args=[topic]), {"category": traitements}),
        ("get", reverse("moderation:member_warn", args=["Bob"]), None),
        ("post", reverse("moderation:member_warn", args=["Bob"]), {"reason": "Courtoisie"}),
        ("get", reverse("moderation:member_suspend", args=["Bob"]), None),
        ("post", reverse("moderation:member_suspend", args=["Bob"]), {"reason": "Insultes"}),
        ("get", reverse("moderation:settings"), None),
        ("post", reverse("moderation:word_add"), {"word-phrase": "pub", "word-action": "hold"}),
        ("post", reverse("moderation:word_remove", args=[word]), {}),
        ("post", reverse("moderation:term_add"), {"term-phrase": "adieu"}),
        ("post", reverse("moderation:term_remove", args=[term]), {}),
        ("post", reverse("moderation:warning_add"), {"warning-name": "Amputation"}),
        (
            "post",
            reverse("moderation:warning_remove", args=[ContentWarning.objects.first().pk]),
            {},
        ),
        ("post", reverse("moderation:premoderation"), {"premoderation-premoderated_posts": 5}),
        ("post", reverse("moderation:duty_add"), {"duty-member": duty}),
        ("post", reverse("moderation:duty_remove", args=[duty]), {}),
    ]


@pytest.mark.parametrize("who", [*REFUSED, "caregiver"])
def test_members_and_strangers_get_404_and_change_nothing(client_as, reply, who):
    client = client_as(who)
    for method, url, data in pages(reply):
        before = snapshot()
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        # Signed out here (another network's session too): sent to sign in, not told more.
        assert response.status_code == (302 if who in SIGNED_OUT else 404), (who, method, url)
        assert snapshot() == before, (who, method, url)


def test_moderators_do_not_reach_the_settings(client_as, reply):
    client = client_as("moderator")
    for method, url, data in pages(reply):
        if "/reglages/" not in url:
            continue
        before = snapshot()
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert response.status_code == 404, url
        assert snapshot() == before, url


@pytest.mark.parametrize("who", ["moderator", "admin"])
def test_the_team_reaches_the_queue(client_as, reply, who):
    assert client_as(who).get(reverse("moderation:queue")).status_code == 200


def test_an_unknown_action_is_a_404(client_as, reply):
    client = client_as("moderator")
    before = snapshot()
    assert (
        client.post(reverse("moderation:post_action", args=[reply.pk, "delete"])).status_code == 404
    )
    assert (
        client.post(reverse("moderation:topic_action", args=[reply.topic_id, "x"])).status_code
        == 404
    )
    assert (
        client.post(reverse("moderation:post_action", args=[99999, "approve"])).status_code == 404
    )
    assert client.get(reverse("moderation:member_warn", args=["Nobody"])).status_code == 404
    assert snapshot() == before


def test_actions_are_post_only(client_as, reply):
    client = client_as("moderator")
    response = client.get(reverse("moderation:post_action", args=[reply.pk, "hide"]))
    assert response.status_code == 405
    assert Post.objects.get(pk=reply.pk).status == Post.Status.PUBLISHED


# --- Reporting -------------------------------------------------------------------------------


def test_a_member_reports_a_post_and_sees_a_confirmation(client_as, reply):
    client = client_as("member")
    url = reverse("moderation:report", args=[reply.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="reason"' in page.content and b'type="radio"' in page.content

    response = client.post(url, {"reason": "medical", "detail": "Remède miracle"})

    assert response.status_code == 200
    assert b'role="status"' in response.content and b'id="report-sent"' in response.content
    report = Report.objects.get()
    assert (report.reporter.user.username, report.reason, report.detail) == (
        "Bob", "medical", "Remède miracle",
    )  # fmt: skip
    assert report.case.kind == "report" and report.case.post == reply


def test_a_bad_report_re_renders_with_what_was_typed(client_as, reply):
    client = client_as("member")
    url = reverse("moderation:report", args=[reply.pk])
    response = client.post(url, {"reason": "other", "detail": "   "})
    assert response.status_code == 200
    assert b'class="errors"' in response.content
    assert re.search(rb'<input[^>]*value="other"[^>]*checked', response.content)
    response = client.post(url, {"detail": "Texte gardé"})
    assert "Texte gardé" in response.content.decode()
    assert gettext("Choose a reason.") in response.content.decode()
    assert not Report.objects.exists()


def test_reporting_twice_shows_an_error(client_as, reply):
    client = client_as("member")
    url = reverse("moderation:report", args=[reply.pk])
    client.post(url, {"reason": "hurtful"})
    response = client.post(url, {"reason": "hurtful"})
    assert response.status_code == 200 and b'class="form-errors"' in response.content
    assert Report.objects.count() == 1


@pytest.mark.parametrize("status", [Post.Status.HELD, Post.Status.HIDDEN])
def test_a_post_that_is_not_published_cannot_be_reported(client_as, reply, status):
    Post.objects.filter(pk=reply.pk).update(status=status)
    response = client_as("member").post(
        reverse("moderation:report", args=[reply.pk]), {"reason": "hurtful"}
    )
    assert response.status_code == 404 and not Report.objects.exists()


def test_a_caregiver_cannot_report_in_the_patients_space_but_in_their_own(client_as, member_of):
    own = make_topic(member_of["author"], category=Category.objects.get(slug="bienvenue-proches"))
    opening = own.posts.get()
    client = client_as("caregiver")
    response = client.post(
        reverse("moderation:report", args=[opening.pk]), {"reason": "advertising"}
    )
    assert response.status_code == 200 and Report.objects.count() == 1


# --- The queue -------------------------------------------------------------------------------


def test_queue_order_and_content(client_as, member_of, django_assert_max_num_queries):
    topic = make_topic(member_of["author"], title="Un sujet")
    flagged_old = make_reply(
        topic, member_of["author"], body="ancien **signalé** par mot <script>x</script>"
    )
    held = make_reply(topic, member_of["author"], body="en attente", status=Post.Status.HELD)
    one_report = make_reply(topic, member_of["author"], body="un signalement")
    two_reports = make_reply(topic, member_of["author"], body="deux signalements")
    crisis = make_reply(topic, member_of["author"], body="détresse")
    cases.post_screened(post=flagged_old, screening=Screening(flagged_by=["cure"]))
    cases.post_screened(post=held, screening=Screening(premoderated=True))
    services.report_create(reporter=member_of["member"], post=one_report, reason="hurtful")
    services.report_create(reporter=member_of["member"], post=two_reports, reason="advertising")
    services.report_create(
        reporter=member_of["caregiver"], post=two_reports, reason="other", detail="Lien douteux"
    )
    cases.post_screened(post=crisis, screening=Screening(crisis=True, flagged_by=["cure"]))
    closed = make_reply(topic, member_of["author"], body="déjà traité")
    services.report_create(reporter=member_of["member"], post=closed, reason="hurtful")
    services.post_approve(moderator=member_of["moderator"], post=closed)

    client = client_as("moderator")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("moderation:queue"))
    assert response.status_code == 200
    ids = [post.pk for post in response.context["page"].object_list]
    assert ids == [crisis.pk, two_reports.pk, one_report.pk, held.pk, flagged_old.pk]
    html = response.content.decode()
    assert "<strong>signalé</strong>" in html and "<script>x" not in html
    assert "Lien douteux" in html and "Carla" in html  # reporters shown to moderators
    assert f'id="case-post-{crisis.pk}"' in html and "kind-crisis" in html
    assert "dede@example.org" not in html


def test_queue_query_count_does_not_grow(client_as, member_of, django_assert_max_num_queries):
    topic = make_topic(member_of["author"])
    for n in range(25):
        post = make_reply(topic, member_of["author"], body=f"message {n}")
        services.report_create(reporter=member_of["member"], post=post, reason="hurtful")
        cases.post_screened(post=post, screening=Screening(flagged_by=["cure"]))
    client = client_as("moderator")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("moderation:queue"))
    assert len(response.context["page"].object_list) == 20
    assert response.context["page"].paginator.count == 25
    with django_assert_max_num_queries(14):
        assert len(client.get(reverse("moderation:queue") + "?page=2").context["page"]) == 5


def test_going_on_and_off_duty(client_as, member_of):
    client = client_as("moderator")
    client.post(reverse("moderation:duty_toggle"))
    assert OnDuty.objects.filter(member=member_of["moderator"]).exists()
    client.post(reverse("moderation:duty_toggle"))
    assert not OnDuty.objects.exists()


# --- Actions ---------------------------------------------------------------------------------


def test_hide_from_the_queue_and_back_to_the_topic(client_as, reply, member_of):
    services.report_create(reporter=member_of["member"], post=reply, reason="hurtful")
    client = client_as("moderator")
    response = client.post(
        reverse("moderation:post_action", args=[reply.pk, "hide"]),
        {"reason": "Propos blessants", "next": "/forums/sujet/1/"},
    )
    assert response.status_code == 302 and response.url == "/forums/sujet/1/"
    reply.refresh_from_db()
    assert (reply.status, reply.hidden_reason) == ("hidden", "Propos blessants")
    assert AuditEntry.objects.get(action="moderation.post_hide").detail["post_id"] == reply.pk
    assert Notification.objects.get(recipient=member_of["author"]).detail == "Propos blessants"


def test_hiding_without_a_reason_re_renders_and_an_offsite_next_is_ignored(client_as, reply):
    client = client_as("moderator")
    url = reverse("moderation:post_action", args=[reply.pk, "hide"])
    response = client.post(url, {"reason": " ", "next": "https://evil.example/"})
    assert response.status_code == 200 and b'class="errors"' in response.content
    assert Post.objects.get(pk=reply.pk).status == "published"
    response = client.post(url, {"reason": "Spam", "next": "https://evil.example/"})
    assert response.url == reverse("moderation:queue")


def test_approve_and_restore_from_pages(client_as, topic, member_of):
    held = make_reply(topic, member_of["author"], status=Post.Status.HELD)
    cases.post_screened(post=held, screening=Screening(premoderated=True))
    client = client_as("moderator")
    client.post(reverse("moderation:post_action", args=[held.pk, "approve"]))
    held.refresh_from_db()
    assert held.status == "published"
    assert not Case.objects.filter(status="open").exists()
    client.post(reverse("moderation:post_action", args=[held.pk, "hide"]), {"reason": "Spam"})
    client.post(reverse("moderation:post_action", args=[held.pk, "restore"]))
    held.refresh_from_db()
    assert held.status == "published"
    # Restoring again: refused with a message, nothing changes.
    before = snapshot()
    response = client.post(reverse("moderation:post_action", args=[held.pk, "restore"]))
    assert response.status_code == 302 and snapshot() == before


def test_topic_actions_and_move_from_pages(client_as, topic):
    client = client_as("moderator")
    client.post(reverse("moderation:topic_action", args=[topic.pk, "lock"]))
    client.post(reverse("moderation:topic_action", args=[topic.pk, "pin"]))
    topic.refresh_from_db()
    assert topic.locked and topic.pinned
    url = reverse("moderation:topic_move", args=[topic.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"category": topic.category_id})
    assert response.status_code == 200 and b'class="errors"' in response.content
    target = Category.objects.get(slug="vie-quotidienne")
    assert client.post(url, {"category": target.pk}).status_code == 302
    topic.refresh_from_db()
    assert topic.category == target
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {
        "moderation.topic_lock", "moderation.topic_pin", "moderation.topic_move",
    }  # fmt: skip


def test_warn_and_suspend_from_pages(client_as, member_of):
    client = client_as("moderator")
    response = client.post(reverse("moderation:member_warn", args=["Bob"]), {"reason": ""})
    assert response.status_code == 200 and not Notification.objects.exists()
    client.post(reverse("moderation:member_warn", args=["Bob"]), {"reason": "Restez courtois"})
    assert Notification.objects.get(recipient=member_of["member"]).detail == "Restez courtois"
    # A moderator cannot suspend an admin: the form says why, nothing changes.
    response = client.post(reverse("moderation:member_suspend", args=["Alice"]), {"reason": "x"})
    assert response.status_code == 200 and b'class="form-errors"' in response.content
    assert Member.objects.get(pk=member_of["admin"].pk).status == "active"
    response = client.post(
        reverse("moderation:member_suspend", args=["Bob"]),
        {"reason": "Insultes", "until": "2001-01-01"},
    )
    assert (
        response.status_code == 200
        and Member.objects.get(pk=member_of["member"].pk).status == "active"
    )
    client.post(reverse("moderation:member_suspend", args=["Bob"]), {"reason": "Insultes"})
    assert Member.objects.get(pk=member_of["member"].pk).status == "suspended"


# --- Settings --------------------------------------------------------------------------------


def test_admin_settings(client_as, member_of):
    client = client_as("admin")
    assert client.get(reverse("moderation:settings")).status_code == 200
    client.post(
        reverse("moderation:word_add"), {"word-phrase": "  Arnaque ", "word-action": "block"}
    )
    assert WatchedWord.objects.get().phrase == "arnaque"
    response = client.post(
        reverse("moderation:word_add"), {"word-phrase": "ARNAQUE", "word-action": "hold"}
    )
    assert response.status_code == 200 and 'value="ARNAQUE"' in response.content.decode()
    client.post(reverse("moderation:word_remove", args=[WatchedWord.objects.get().pk]))
    assert not WatchedWord.objects.exists()

    terms = CrisisTerm.objects.count()
    assert terms > 10  # seeded
    client.post(reverse("moderation:term_add"), {"term-phrase": "Lettre d'adieu définitive"})
    assert CrisisTerm.objects.count() == terms + 1

    response = client.post(
        reverse("moderation:premoderation"), {"premoderation-premoderated_posts": -1}
    )
    assert response.status_code == 200 and b'class="errors"' in response.content
    client.post(reverse("moderation:premoderation"), {"premoderation-premoderated_posts": 5})
    assert ModerationSettings.objects.get().premoderated_posts == 5

    response = client.post(reverse("moderation:duty_add"), {"duty-member": member_of["member"].pk})
    assert response.status_code == 200 and not OnDuty.objects.exists()
    client.post(reverse("moderation:duty_add"), {"duty-member": member_of["moderator"].pk})
    duty = OnDuty.objects.get()
    page = client.get(reverse("moderation:settings")).content.decode()
    assert "Mona" in page
    client.post(reverse("moderation:duty_remove", args=[duty.pk]))
    assert not OnDuty.objects.exists()
    assert list(AuditEntry.objects.order_by("at", "pk").values_list("action", flat=True)) == [
        "moderation.word_add", "moderation.word_remove", "moderation.crisis_term_add",
        "moderation.settings_update", "moderation.duty_on", "moderation.duty_off",
    ]  # fmt: skip


def test_a_moderator_edits_a_post_with_a_reason(client_as, reply, member_of):
    services.report_create(reporter=member_of["member"], post=reply, reason="personal_data")
    client = client_as("moderator")
    url = reverse("moderation:post_edit", args=[reply.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Un message à modérer" in page.content.decode()
    response = client.post(url, {"body": "Texte corrigé", "reason": ""})
    assert response.status_code == 200 and "Texte corrigé" in response.content.decode()
    assert Post.objects.get(pk=reply.pk).body == "Un message à modérer"

    response = client.post(url, {"body": "Texte **corrigé**", "reason": "Numéro retiré"})

    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.body == "Texte **corrigé**" and "<strong>corrigé</strong>" in reply.body_html
    revision = reply.revisions.get()
    assert (revision.body, revision.reason, revision.edited_by) == (
        "Un message à modérer", "Numéro retiré", member_of["moderator"],
    )  # fmt: skip
    assert not Case.objects.filter(status="open").exists()
    assert AuditEntry.objects.get(action="moderation.post_edit").detail["reason"] == "Numéro retiré"
    assert Notification.objects.get(recipient=member_of["author"]).detail == "Numéro retiré"


def test_a_held_post_published_elsewhere_leaves_the_queue(client_as, topic, member_of):
    from tenant_apps.forums import services as forums

    held = make_reply(topic, member_of["author"], status=Post.Status.HELD)
    cases.post_screened(post=held, screening=Screening(premoderated=True))
    client = client_as("moderator")
    assert len(client.get(reverse("moderation:queue")).context["page"]) == 1
    forums.post_publish(post=held, moderator=member_of["moderator"])
    assert len(client.get(reverse("moderation:queue")).context["page"]) == 0


def test_the_author_reads_the_hidden_reason_on_the_topic_page(client_as, topic, reply, member_of):
    services.post_hide(moderator=member_of["moderator"], post=reply, reason="Hors charte")
    url = reverse("forums:topic", args=[topic.pk])
    author = client_as("author").get(url).content.decode()
    assert "Hors charte" in author and 'class="hidden-reason"' in author
    reader = client_as("member").get(url).content.decode()
    assert "Hors charte" not in reader and "Un message à modérer" not in reader


def test_admins_keep_the_networks_own_content_warnings(client_as, reply):
    client = client_as("admin")
    add = reverse("moderation:warning_add")
    topic_url = reverse("forums:topic", args=[reply.topic_id])
    assert "Amputation" not in client.get(topic_url).content.decode()  # the form is cached
    client.post(add, {"warning-name": "  Amputation "})
    amputation = ContentWarning.objects.get(name="Amputation")
    # The reply form lists it at once (its cached list and rendered form are replaced).
    topic_page = client.get(topic_url).content.decode()
    assert re.search(
        rf'value="{amputation.pk}" id="id_warnings_\d+">\s+Amputation</label>', topic_page
    )
    for bad in ("AMPUTATION", "   "):
        response = client.post(add, {"warning-name": bad})
        assert response.status_code == 200 and b'class="errors"' in response.content
    assert 'value="AMPUTATION"' in client.post(add, {"warning-name": "AMPUTATION"}).content.decode()

    death = ContentWarning.objects.get(name="Décès")
    client.post(reverse("moderation:warning_remove", args=[death.pk]))
    assert not ContentWarning.objects.filter(name="Décès").exists()
    topic_page = client.get(reverse("forums:topic", args=[reply.topic_id])).content.decode()
    assert "> Décès</label>" not in topic_page
    assert list(AuditEntry.objects.order_by("at", "pk").values_list("action", "detail")) == [
        ("moderation.content_warning_add", {"phrase": "Amputation"}),
        ("moderation.content_warning_remove", {"phrase": "Décès"}),
    ]
