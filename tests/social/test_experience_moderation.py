"""Experiences and their comments in the one moderation queue: screening opens cases as for
forum posts, members report them, moderators approve, hide and restore them from the queue
(pages and API), and the queue keeps its order across posts, experiences and comments."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tenant_apps.forums.models import Post
from tenant_apps.members.models import AuditEntry, ProfileType, Role
from tenant_apps.moderation import cases
from tenant_apps.moderation import services as moderation
from tenant_apps.moderation.models import Case, CrisisTerm, ModerationSettings, Report, WatchedWord
from tenant_apps.moderation.screening import Screening
from tenant_apps.notifications.models import Notification
from tenant_apps.social import services
from tenant_apps.social.models import Experience, ExperienceComment
from tests.members.factories import account

pytestmark = pytest.mark.django_db
QUEUE_QUERIES = 17


@pytest.fixture
def cast(tenant):
    ModerationSettings.objects.update_or_create(defaults={"premoderated_posts": 0})
    return {
        "author": account("Dede").member,
        "reader": account("Bob").member,
        "caregiver": account("Carla", profile_type=ProfileType.CAREGIVER).member,
        "moderator": account("Mona", Role.MODERATOR).member,
    }


@pytest.fixture
def role_accounts(cast):
    return {role: member.user for role, member in cast.items()}


def _experience(author, body="Mon parcours après la chimio.", **options):
    return services.experience_create(author=author, body=body, **options)


def _open(target) -> set[str]:
    on = cases.case_target(target)
    return set(Case.objects.filter(**on, status="open").values_list("kind", flat=True))


# --- The case model --------------------------------------------------------------------------


def test_a_case_targets_exactly_one_thing(cast):
    experience = _experience(cast["author"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(kind="report", priority=1)  # nothing
    from tests.moderation.factories import make_reply, make_topic

    post = make_reply(make_topic(cast["author"]), cast["author"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(kind="report", priority=1, post=post, experience=experience)
    case = Case.objects.create(kind="report", priority=1, experience=experience)
    assert case.target_name == "experience" and case.target_id == experience.pk
    # One open case of a kind per target, for experiences as for posts.
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(kind="report", priority=1, experience=experience)


def test_case_target_refuses_what_cannot_be_moderated(cast):
    with pytest.raises(TypeError):
        cases.case_target(cast["author"])


# --- Screening -------------------------------------------------------------------------------


def test_a_crisis_opens_an_urgent_case_and_the_author_sees_the_help_lines(cast, client_as):
    CrisisTerm.objects.get_or_create(phrase="en finir")
    client = client_as(cast["author"].user)
    response = client.post(
        reverse("social:experience_new"),
        {"body": "Je veux en finir, je n'en peux plus.", "audience": "network"},
    )
    experience = Experience.objects.get(author=cast["author"])
    assert response.status_code == 302 and response["Location"] == reverse(
        "social:experience", args=[experience.pk]
    )
    assert _open(experience) == {"crisis"} and experience.status == "published"
    page = client.get(response["Location"])
    assert b'id="crisis-resources"' in page.content
    # Shown once: the next page does not repeat it.
    assert b'id="crisis-resources"' not in client.get(response["Location"]).content


def test_identifying_data_asks_for_a_confirmation_and_keeps_the_text(cast, client_as):
    client = client_as(cast["author"].user)
    body = "Écrivez-moi à dede@exemple.fr pour en parler."
    response = client.post(reverse("social:experience_new"), {"body": body, "audience": "network"})
    assert response.status_code == 200 and not Experience.objects.exists()
    html = response.content.decode()
    assert 'name="confirm_identifying"' in html and "dede@exemple.fr" in html
    response = client.post(
        reverse("social:experience_new"),
        {"body": body, "audience": "network", "confirm_identifying": "on"},
    )
    assert response.status_code == 302 and Experience.objects.count() == 1


def test_watched_words_block_hold_and_flag(cast):
    WatchedWord.objects.create(phrase="arnaque", action="block")
    WatchedWord.objects.create(phrase="miracle", action="hold")
    WatchedWord.objects.create(phrase="cure", action="flag")
    with pytest.raises(ValidationError) as refused:
        _experience(cast["author"], "Une arnaque totale")
    assert refused.value.code == "blocked" and not Experience.objects.exists()
    held = _experience(cast["author"], "Un remède miracle")
    assert held.status == "held" and _open(held) == {"held"}
    flagged = _experience(cast["author"], "Ma cure thermale")
    assert flagged.status == "published" and _open(flagged) == {"flagged"}
    comment = services.comment_create(
        author=cast["reader"], experience=flagged, body="Quel miracle !"
    )
    assert comment.status == "held" and _open(comment) == {"held"}
    assert Experience.objects.get(pk=flagged.pk).comment_count == 0  # held: not counted


def test_a_new_members_first_messages_wait_for_a_moderator(cast):
    ModerationSettings.objects.update(premoderated_posts=2)
    first = _experience(cast["reader"])
    assert first.status == "held" and first.screening.premoderated
    first = moderation.content_approve(moderator=cast["moderator"], target=first)
    assert first.status == "published"
    second = services.comment_create(author=cast["reader"], experience=first, body="Merci.")
    assert second.status == "held"
    moderation.content_approve(moderator=cast["moderator"], target=second)
    third = _experience(cast["reader"], "Troisième message")
    assert third.status == "published"  # two published: no longer new
    staff = _experience(cast["moderator"])
    assert staff.status == "published"


def test_an_edit_is_never_held_but_flagged(cast):
    experience = _experience(cast["author"])
    WatchedWord.objects.create(phrase="miracle", action="hold")
    edited = services.experience_edit(
        experience=experience, editor=cast["author"], body="Un miracle", audience="network"
    )
    assert edited.status == "published" and _open(edited) == {"flagged"}


# --- Reports and decisions -------------------------------------------------------------------


def test_reports_open_one_case_and_one_report_per_member(cast):
    experience = _experience(cast["author"])
    moderation.report_create(reporter=cast["reader"], target=experience, reason="hurtful")
    with pytest.raises(ValidationError):
        moderation.report_create(reporter=cast["reader"], target=experience, reason="hurtful")
    moderation.report_create(
        reporter=cast["caregiver"], target=experience, reason="other", detail="Pub"
    )
    case = Case.objects.get(experience=experience)
    assert case.kind == "report" and case.reports.count() == 2
    assert Report.objects.filter(post__isnull=True).count() == 2


def test_hide_restore_approve_an_experience(cast):
    experience = _experience(cast["author"])
    moderation.report_create(reporter=cast["reader"], target=experience, reason="hurtful")
    moderation.content_hide(moderator=cast["moderator"], target=experience, reason="Blessant")
    experience.refresh_from_db()
    assert experience.status == "hidden" and experience.hidden_reason == "Blessant"
    assert _open(experience) == set() and not Report.objects.filter(open=True).exists()
    note = Notification.objects.get(recipient=cast["author"], kind="moderation")
    assert note.detail == "Blessant" and note.url == services.experience_url(experience)
    with pytest.raises(ValidationError):
        moderation.content_hide(moderator=cast["moderator"], target=experience, reason="Encore")
    with pytest.raises(ValidationError):
        moderation.content_approve(moderator=cast["moderator"], target=experience)
    moderation.content_restore(moderator=cast["moderator"], target=experience)
    experience.refresh_from_db()
    assert experience.status == "published" and experience.hidden_reason == ""
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["social.experience_hide", "social.experience_restore"]


def test_hiding_a_comment_keeps_the_count_right(cast):
    experience = _experience(cast["author"])
    comment = services.comment_create(author=cast["reader"], experience=experience, body="Oui")
    assert Experience.objects.get(pk=experience.pk).comment_count == 1
    moderation.content_hide(moderator=cast["moderator"], target=comment, reason="Hors sujet")
    assert Experience.objects.get(pk=experience.pk).comment_count == 0
    moderation.content_restore(moderator=cast["moderator"], target=comment)
    assert Experience.objects.get(pk=experience.pk).comment_count == 1
    assert ExperienceComment.objects.get(pk=comment.pk).status == "published"
    assert AuditEntry.objects.filter(action="social.comment_hide").count() == 1


def test_the_queue_orders_posts_experiences_and_comments_together(
    cast, client_as, django_assert_max_num_queries
):
    from tests.moderation.factories import make_reply, make_topic

    topic = make_topic(cast["author"])
    flagged_post = make_reply(topic, cast["author"], body="mot surveillé")
    cases.post_screened(post=flagged_post, screening=Screening(flagged_by=["cure"]))
    held = _experience(cast["author"], "attente")
    Experience.objects.filter(pk=held.pk).update(status="held")
    cases.screened(target=held, screening=Screening(premoderated=True))
    reported = _experience(cast["author"], "signalée")
    moderation.report_create(reporter=cast["reader"], target=reported, reason="hurtful")
    twice = _experience(cast["author"], "deux fois")
    comment = services.comment_create(author=cast["reader"], experience=twice, body="Crise")
    cases.screened(target=comment, screening=Screening(crisis=True))
    moderation.report_create(reporter=cast["author"], target=comment, reason="hurtful")
    moderation.report_create(reporter=cast["caregiver"], target=twice, reason="hurtful")
    moderation.report_create(reporter=cast["reader"], target=twice, reason="other", detail="x")

    client = client_as(cast["moderator"].user)
    # The layout's queries and the queue's: the count, the groups, one per kind of target
    # on the page (three here), the reports.
    with django_assert_max_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("moderation:queue"))
    items = [(item.case_target, item.pk) for item in response.context["page"].object_list]
    assert items == [
        ("experience_comment", comment.pk),  # a crisis first
        ("experience", twice.pk),  # two reports
        ("experience", reported.pk),  # one report
        ("experience", held.pk),  # held
        ("post", flagged_post.pk),  # flagged
    ]
    html = response.content.decode()
    assert f'id="case-experience-{twice.pk}"' in html and f'id="case-comment-{comment.pk}"' in html
    assert reverse("moderation:experience_action", args=[held.pk, "approve"]) in html

    api = client.get(reverse("api_moderation_queue")).json()["results"]
    assert [(item["target"], item["id"]) for item in api] == items
    assert api[-1]["post"] == flagged_post.pk and api[0]["post"] is None

    # Ten times as many cases of each kind: the same queries (one per kind of target).
    for n in range(10):
        more = _experience(cast["author"], f"encore {n}")
        moderation.report_create(reporter=cast["reader"], target=more, reason="hurtful")
        said = services.comment_create(author=cast["reader"], experience=more, body=f"c{n}")
        moderation.report_create(reporter=cast["author"], target=said, reason="hurtful")
        post = make_reply(topic, cast["author"], body=f"message {n}")
        moderation.report_create(reporter=cast["reader"], target=post, reason="hurtful")
    with django_assert_max_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("moderation:queue"))
    assert len(response.context["page"].object_list) == 20


def test_moderators_decide_from_the_queue_pages_and_api(cast, client_as):
    experience = _experience(cast["author"])
    comment = services.comment_create(author=cast["reader"], experience=experience, body="Oui")
    moderation.report_create(reporter=cast["reader"], target=experience, reason="hurtful")
    client = client_as(cast["moderator"].user)
    response = client.post(
        reverse("moderation:experience_action", args=[experience.pk, "hide"]),
        {"reason": "Propos blessants"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'id="case-done-experience-{experience.pk}"' in response.content.decode()
    assert Experience.objects.get(pk=experience.pk).status == "hidden"
    response = client.post(
        reverse("api_moderation_comment_decide", args=[comment.pk, "hide"]),
        data={},
        content_type="application/json",
    )
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post(
        reverse("api_moderation_comment_decide", args=[comment.pk, "hide"]),
        data={"reason": "Hors sujet"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "hidden"
    response = client.post(
        reverse("api_moderation_experience_decide", args=[experience.pk, "restore"]),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "published"
    # A member is refused, and nothing changes.
    member = client_as(cast["reader"].user)
    response = member.post(
        reverse("moderation:experience_action", args=[experience.pk, "hide"]), {"reason": "x"}
    )
    assert response.status_code == 404
    assert Experience.objects.get(pk=experience.pk).status == "published"


def test_members_report_an_experience_and_a_comment_through_the_page_and_api(cast, client_as):
    experience = _experience(cast["author"])
    comment = services.comment_create(author=cast["author"], experience=experience, body="Moi")
    client = client_as(cast["reader"].user)
    response = client.post(
        reverse("moderation:report_experience", args=[experience.pk]), {"reason": "hurtful"}
    )
    assert response.status_code == 200 and b'id="report-sent"' in response.content
    response = client.post(
        reverse("api_moderation_report"),
        data={"comment": comment.pk, "reason": "advertising"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["comment"] == comment.pk
    response = client.post(
        reverse("api_moderation_report"),
        data={"comment": comment.pk, "experience": experience.pk, "reason": "advertising"},
        content_type="application/json",
    )
    assert response.status_code == 400
    # One's own experience is not reported; a followers-only one is out of reach.
    own = client_as(cast["author"].user)
    assert own.get(reverse("moderation:report_experience", args=[experience.pk])).status_code == 404
    private = _experience(cast["author"], "Pour mes abonnés", audience="followers")
    response = client.get(reverse("moderation:report_experience", args=[private.pk]))
    assert response.status_code == 404
    assert Report.objects.count() == 2 and not Post.objects.exists()
