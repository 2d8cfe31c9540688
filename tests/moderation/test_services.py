"""The moderation services: cases opened by screening, reports, and moderators' actions."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from tenant_apps.forums.models import Category, Post, Topic
from tenant_apps.members.models import AuditEntry, Member
from tenant_apps.moderation import cases, selectors, services
from tenant_apps.moderation.jobs import crisis_alert_send
from tenant_apps.moderation.models import Case, OnDuty, Report, WatchedWord
from tenant_apps.moderation.screening import Screening
from tenant_apps.notifications import presentation
from tenant_apps.notifications.models import Notification
from tests.moderation.factories import make_reply, make_topic

pytestmark = pytest.mark.django_db

# The job's body, run inside the test's tenant and transaction (the real wrapper closes the
# connection when done; tests/config/test_jobs.py covers the wrapper with a real worker).
send_crisis_alert = crisis_alert_send.func.__wrapped__


def open_kinds(post) -> set[str]:
    return set(Case.objects.filter(post=post, status="open").values_list("kind", flat=True))


# --- post_screened ---------------------------------------------------------------------------


def test_a_held_post_opens_a_held_case_with_the_words(reply):
    Post.objects.filter(pk=reply.pk).update(status=Post.Status.HELD)
    reply.refresh_from_db()
    cases.post_screened(post=reply, screening=Screening(held_by=["arnaque"]))
    case = Case.objects.get(post=reply)
    assert (case.kind, case.status, case.detail) == ("held", "open", "arnaque")
    assert case.priority == Case.PRIORITY["held"]


def test_a_premoderated_post_opens_a_held_case_without_words(reply):
    Post.objects.filter(pk=reply.pk).update(status=Post.Status.HELD)
    reply.refresh_from_db()
    cases.post_screened(post=reply, screening=Screening(premoderated=True))
    assert Case.objects.get(post=reply).detail == ""


def test_a_flagged_post_stays_published_with_a_flagged_case(reply):
    cases.post_screened(post=reply, screening=Screening(flagged_by=["homéopathie", "cure"]))
    case = Case.objects.get(post=reply)
    assert (case.kind, case.detail) == ("flagged", "homéopathie, cure")
    reply.refresh_from_db()
    assert reply.status == Post.Status.PUBLISHED


def test_a_clean_post_opens_nothing(reply):
    cases.post_screened(post=reply, screening=Screening())
    assert not Case.objects.exists()


def test_screening_twice_keeps_one_case_per_kind(reply):
    cases.post_screened(post=reply, screening=Screening(flagged_by=["cure"], crisis=True))
    cases.post_screened(post=reply, screening=Screening(flagged_by=["cure"], crisis=True))
    assert Case.objects.filter(post=reply).count() == 2
    assert open_kinds(reply) == {"crisis", "flagged"}


def test_a_crisis_defers_one_alert_job_with_the_schema(
    reply, member_of, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        cases.post_screened(post=reply, screening=Screening(crisis=True))
    case = Case.objects.get(post=reply, kind="crisis")
    assert case.priority == 0
    job = ProcrastinateJob.objects.get(task_name="tenant_apps.moderation.jobs.crisis_alert_send")
    assert job.args == {"schema_name": connection.schema_name, "case_id": case.pk}


def test_the_crisis_email_reaches_on_duty_moderators_without_quoting(tenant, reply, member_of):
    reply.body = "Je veux mourir, je n'en peux plus."
    services.on_duty_set(actor=member_of["moderator"], member=member_of["moderator"], on_duty=True)
    cases.post_screened(post=reply, screening=Screening(crisis=True))
    case = Case.objects.get(post=reply, kind="crisis")

    send_crisis_alert(case_id=case.pk)

    assert [m.to for m in mail.outbox] == [["mona@example.org"]]
    message = mail.outbox[0]
    assert tenant.branding.display_name in message.subject
    assert tenant.branding.display_name in message.from_email
    assert "/moderation/" in message.body
    assert "mourir" not in message.body and "modérer" not in message.body
    case.refresh_from_db()
    assert case.alerted_at is not None
    # Run twice (a retry): nothing sent again.
    send_crisis_alert(case_id=case.pk)
    assert len(mail.outbox) == 1


def test_with_nobody_on_duty_every_moderator_is_alerted(tenant, reply, member_of):
    cases.post_screened(post=reply, screening=Screening(crisis=True))
    case = Case.objects.get(post=reply, kind="crisis")
    send_crisis_alert(case_id=case.pk)
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "mona@example.org"]


def test_only_the_team_can_be_on_duty(member_of):
    with pytest.raises(ValidationError):
        services.on_duty_set(actor=member_of["admin"], member=member_of["member"], on_duty=True)
    services.on_duty_set(actor=member_of["admin"], member=member_of["moderator"], on_duty=True)
    services.on_duty_set(actor=member_of["admin"], member=member_of["moderator"], on_duty=True)
    assert OnDuty.objects.count() == 1
    services.on_duty_set(actor=member_of["admin"], member=member_of["moderator"], on_duty=False)
    assert not OnDuty.objects.exists()
    assert list(AuditEntry.objects.order_by("at").values_list("action", flat=True)) == [
        "moderation.duty_on",
        "moderation.duty_off",
    ]


# --- Reports ---------------------------------------------------------------------------------


def test_reports_join_one_case_and_one_open_report_per_member(reply, member_of):
    services.report_create(reporter=member_of["member"], post=reply, reason="hurtful")
    services.report_create(
        reporter=member_of["caregiver"], post=reply, reason="other", detail="Pub déguisée"
    )
    case = Case.objects.get(post=reply)
    assert case.kind == "report" and case.reports.count() == 2
    with pytest.raises(ValidationError):
        services.report_create(reporter=member_of["member"], post=reply, reason="medical")
    assert Report.objects.count() == 2


@pytest.mark.parametrize(
    ("reason", "detail", "field"),
    [("nonsense", "", "reason"), ("other", "  ", "detail"), ("hurtful", "x" * 501, "detail")],
)
def test_a_bad_report_is_refused_by_field(reply, member_of, reason, detail, field):
    with pytest.raises(ValidationError) as error:
        services.report_create(
            reporter=member_of["member"], post=reply, reason=reason, detail=detail
        )
    assert field in error.value.message_dict
    assert not Report.objects.exists() and not Case.objects.exists()


def test_after_a_decision_the_member_can_report_again(reply, member_of):
    services.report_create(reporter=member_of["member"], post=reply, reason="hurtful")
    services.post_approve(moderator=member_of["moderator"], post=reply)
    services.report_create(reporter=member_of["member"], post=reply, reason="hurtful")
    assert Report.objects.filter(open=True).count() == 1
    assert Case.objects.filter(status="closed", resolution="approved").count() == 1


# --- Actions on posts ------------------------------------------------------------------------


def test_approving_a_held_reply_publishes_it_and_counts_it(topic, member_of):
    held = make_reply(topic, member_of["author"], status=Post.Status.HELD)
    cases.post_screened(post=held, screening=Screening(premoderated=True))
    before = topic.reply_count

    services.post_approve(moderator=member_of["moderator"], post=held)

    held.refresh_from_db()
    topic.refresh_from_db()
    assert held.status == Post.Status.PUBLISHED
    assert topic.reply_count == before + 1
    case = Case.objects.get(post=held)
    assert (case.status, case.resolution, case.closed_by) == (
        "closed", "approved", member_of["moderator"],
    )  # fmt: skip
    entry = AuditEntry.objects.get(action="moderation.post_approve")
    assert (entry.actor, entry.target, entry.detail["post_id"]) == (
        member_of["moderator"], member_of["author"], held.pk,
    )  # fmt: skip
    notification = Notification.objects.get(recipient=member_of["author"])
    assert notification.kind == Notification.Kind.MODERATION
    assert notification.subject == topic.title
    assert notification.url == services.post_url(held)
    assert notification.url.startswith(f"/forums/sujet/{topic.pk}/")


@pytest.mark.parametrize("decision", ["keep", "hide"])
def test_the_author_of_a_possible_crisis_hears_from_the_team_with_the_help_lines(
    decision, reply, member_of
):
    cases.post_screened(post=reply, screening=Screening(crisis=True))
    if decision == "keep":
        services.post_approve(moderator=member_of["moderator"], post=reply)
    else:
        services.post_hide(moderator=member_of["moderator"], post=reply, reason="Trop précis")
    support = Notification.objects.get(recipient=reply.author, kind=Notification.Kind.SUPPORT)
    assert support.url == services.post_url(reply)
    assert "3114" in support.detail
    assert "3114" in presentation.reason(support)
    assert presentation.sentence(support) == (
        "L'équipe de modération a lu votre message dans "
        f"«\u00a0{reply.topic.title}\u00a0» et pense à vous"
    )
    # Dealt with once: a second decision on the same message says nothing more.
    if decision == "keep":
        services.post_approve(moderator=member_of["moderator"], post=reply)
    assert Notification.objects.filter(kind=Notification.Kind.SUPPORT).count() == 1


def test_a_decision_on_a_message_without_a_crisis_sends_no_support_note(reply, member_of):
    services.report_create(reporter=member_of["member"], post=reply, reason="hurtful")
    services.post_approve(moderator=member_of["moderator"], post=reply)
    assert not Notification.objects.filter(kind=Notification.Kind.SUPPORT).exists()


def test_approving_a_held_opening_post_shows_the_topic(member_of):
    topic = make_topic(member_of["author"], status=Post.Status.HELD)
    opening = topic.posts.get()
    services.post_approve(moderator=member_of["moderator"], post=opening)
    topic.refresh_from_db()
    assert topic.status == Topic.Status.VISIBLE and topic.reply_count == 0


def test_hiding_a_reply_needs_a_reason_and_tells_the_author(topic, reply, member_of):
    services.report_create(reporter=member_of["member"], post=reply, reason="hurtful")
    with pytest.raises(ValidationError) as error:
        services.post_hide(moderator=member_of["moderator"], post=reply, reason="  ")
    assert "reason" in error.value.message_dict
    reply.refresh_from_db()
    assert reply.status == Post.Status.PUBLISHED

    services.post_hide(moderator=member_of["moderator"], post=reply, reason="Propos blessants")

    reply.refresh_from_db()
    topic.refresh_from_db()
    assert (reply.status, reply.hidden_reason) == (Post.Status.HIDDEN, "Propos blessants")
    assert topic.reply_count == 0
    assert open_kinds(reply) == set()
    assert not Report.objects.filter(open=True).exists()
    entry = AuditEntry.objects.get(action="moderation.post_hide")
    assert entry.detail["reason"] == "Propos blessants" and entry.target == member_of["author"]
    notification = Notification.objects.get(recipient=member_of["author"])
    assert (notification.kind, notification.detail, notification.actor) == (
        "moderation", "Propos blessants", member_of["moderator"],
    )  # fmt: skip


def test_hiding_the_opening_post_hides_the_topic_and_restore_shows_it(topic, member_of):
    opening = topic.posts.get(is_opening=True)
    services.post_hide(moderator=member_of["moderator"], post=opening, reason="Hors charte")
    topic.refresh_from_db()
    assert topic.status == Topic.Status.HIDDEN
    services.post_restore(moderator=member_of["moderator"], post=opening)
    topic.refresh_from_db()
    opening.refresh_from_db()
    assert topic.status == Topic.Status.VISIBLE
    assert (opening.status, opening.hidden_reason) == (Post.Status.PUBLISHED, "")


def test_restoring_a_reply_counts_it_again(topic, reply, member_of):
    services.post_hide(moderator=member_of["moderator"], post=reply, reason="Erreur")
    services.post_restore(moderator=member_of["moderator"], post=reply)
    topic.refresh_from_db()
    reply.refresh_from_db()
    assert topic.reply_count == 1 and reply.status == Post.Status.PUBLISHED
    assert AuditEntry.objects.filter(action="moderation.post_restore").count() == 1
    assert Notification.objects.filter(recipient=member_of["author"]).count() == 2


def test_restoring_a_visible_post_or_hiding_twice_is_refused(reply, member_of):
    with pytest.raises(ValidationError):
        services.post_restore(moderator=member_of["moderator"], post=reply)
    services.post_hide(moderator=member_of["moderator"], post=reply, reason="Spam")
    with pytest.raises(ValidationError):
        services.post_hide(moderator=member_of["moderator"], post=reply, reason="Spam")
    with pytest.raises(ValidationError):
        services.post_approve(moderator=member_of["moderator"], post=reply)
    assert AuditEntry.objects.filter(action__startswith="moderation.post").count() == 1


# --- Topics ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "field", "value"),
    [("lock", "locked", True), ("pin", "pinned", True)],
)
def test_topic_lock_and_pin(topic, member_of, action, field, value):
    services.topic_moderate(moderator=member_of["moderator"], topic=topic, action=action)
    topic.refresh_from_db()
    assert getattr(topic, field) is value
    undo = {"lock": "unlock", "pin": "unpin"}[action]
    services.topic_moderate(moderator=member_of["moderator"], topic=topic, action=undo)
    topic.refresh_from_db()
    assert getattr(topic, field) is not value
    assert list(AuditEntry.objects.order_by("at").values_list("action", flat=True)) == [
        f"moderation.topic_{action}", f"moderation.topic_{undo}",
    ]  # fmt: skip


def test_topic_move(topic, member_of):
    target = Category.objects.get(slug="traitements")
    services.topic_move(moderator=member_of["moderator"], topic=topic, category=target)
    topic.refresh_from_db()
    assert topic.category == target
    entry = AuditEntry.objects.get(action="moderation.topic_move")
    assert entry.detail["category"] == target.name
    with pytest.raises(ValidationError):
        services.topic_move(moderator=member_of["moderator"], topic=topic, category=target)


# --- Members ---------------------------------------------------------------------------------


def test_warning_a_member_notifies_and_audits(member_of):
    services.member_warn(
        moderator=member_of["moderator"], member=member_of["member"], reason="Restez courtois"
    )
    notification = Notification.objects.get(recipient=member_of["member"])
    assert (notification.kind, notification.detail) == ("warning", "Restez courtois")
    entry = AuditEntry.objects.get(action="moderation.member_warn")
    assert entry.target == member_of["member"] and entry.detail == {"reason": "Restez courtois"}


def test_moderators_cannot_warn_or_suspend_the_team_or_themselves(member_of):
    for target in ("admin", "moderator"):
        with pytest.raises(ValidationError):
            services.member_warn(
                moderator=member_of["moderator"], member=member_of[target], reason="x"
            )
        with pytest.raises(ValidationError):
            services.member_suspend(
                moderator=member_of["moderator"], member=member_of[target], reason="x", until=None
            )
    assert not AuditEntry.objects.exists() and not Notification.objects.exists()


def test_suspending_for_a_period(member_of):
    until = timezone.now() + timedelta(days=7)
    services.member_suspend(
        moderator=member_of["moderator"], member=member_of["member"], reason="Insultes", until=until
    )
    member = Member.objects.get(pk=member_of["member"].pk)
    assert member.status == Member.Status.SUSPENDED and member.suspended_until == until
    assert AuditEntry.objects.get(action="suspend").actor == member_of["moderator"]


# --- Through the forums' writing pipeline ----------------------------------------------------


def test_a_crisis_reply_written_through_the_forums_reaches_the_queue(
    topic, member_of, django_capture_on_commit_callbacks
):
    from tenant_apps.forums import services as forums

    WatchedWord.objects.create(phrase="remède miracle", action=WatchedWord.Action.FLAG)
    with django_capture_on_commit_callbacks(execute=True):
        post = forums.post_create(
            author=member_of["member"],
            topic=topic,
            body="Je n'en peux plus, j'ai envie de mourir. On m'a parlé d'un remède miracle.",
        )
    # Bob is a new member: pre-moderated, so the post is held as well.
    assert open_kinds(post) == {"crisis", "held", "flagged"}
    assert (
        ProcrastinateJob.objects.filter(
            task_name="tenant_apps.moderation.jobs.crisis_alert_send", args__case_id__isnull=False
        ).count()
        == 1
    )
    assert [p.pk for p in selectors.queue_posts()] == [post.pk]


def test_a_lapsed_suspension_ends_on_the_members_next_request_audited_once(member_of, client_as):
    member = member_of["member"]
    services.member_suspend(
        moderator=member_of["moderator"],
        member=member,
        reason="Insultes",
        until=timezone.now() + timedelta(days=7),
    )
    Member.objects.filter(pk=member.pk).update(
        suspended_until=timezone.now() - timedelta(minutes=1)
    )
    client = client_as("member")
    assert client.get("/forums/").status_code == 200
    assert client.get("/forums/").status_code == 200

    member.refresh_from_db()
    assert (member.status, member.suspended_until, member.suspension_reason) == (
        Member.Status.ACTIVE,
        None,
        "",
    )
    entry = AuditEntry.objects.get(action="reinstate")
    assert (entry.actor, entry.target, entry.detail) == (None, member, {"automatic": True})
