"""Webinar questions: asked by registrants and screened like forum posts, one vote each,
moderated; the live list polled by htmx answers 204 while nothing changed and renders in a
constant number of queries."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from tenant_apps.events import services
from tenant_apps.events.models import Event, Question
from tenant_apps.members.models import Role
from tenant_apps.moderation import services as moderation
from tenant_apps.moderation.models import CrisisTerm, WatchedWord
from tests.events.factories import event_make
from tests.members.factories import account

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def cast(tenant):
    admin = account("Alice", Role.ADMIN).member
    mona = account("Mona", Role.MODERATOR).member
    ana, bob, tom = (account(name).member for name in ("Ana", "Bob", "Tom"))
    event = event_make(author=admin, title="Fatigue et immunothérapie")
    for member in (ana, bob):
        services.registration_create(member=member, event=event)
    return admin, mona, ana, bob, tom, event


def test_registrants_ask_and_others_vote_once(cast):
    admin, mona, ana, bob, tom, event = cast
    question = services.question_ask(member=ana, event=event, text="La fatigue dure-t-elle ?")
    assert question.status == Question.Status.VISIBLE
    with pytest.raises(Http404):  # not registered
        services.question_ask(member=tom, event=event, text="Et moi ?")
    with pytest.raises(Http404):  # not for one's own question
        services.vote_toggle(member=ana, question_id=question.pk)
    with pytest.raises(Http404):  # not registered
        services.vote_toggle(member=tom, question_id=question.pk)
    assert services.vote_toggle(member=bob, question_id=question.pk)[1] is True
    question.refresh_from_db()
    assert question.votes_count == 1 == question.votes.count()
    assert services.vote_toggle(member=bob, question_id=question.pk)[1] is False
    question.refresh_from_db()
    assert question.votes_count == 0 == question.votes.count()
    walk = event_make(author=admin, format=Event.Format.IN_PERSON, online=False, place="Lyon")
    services.registration_create(member=ana, event=walk)
    with pytest.raises(Http404):  # questions are for webinars
        services.question_ask(member=ana, event=walk, text="Et la pluie ?")


def test_questions_are_screened_like_posts(cast):
    admin, mona, ana, bob, tom, event = cast
    moderation.watched_word_add(actor=admin, phrase="arnaque", action=WatchedWord.Action.BLOCK)
    with pytest.raises(ValidationError) as blocked:
        services.question_ask(member=ana, event=event, text="C'est une arnaque ?")
    assert "arnaque" in str(blocked.value)
    with pytest.raises(ValidationError):
        services.question_ask(member=ana, event=event, text="Appelez-moi au 06 12 34 56 78")
    confirmed = services.question_ask(
        member=ana, event=event, text="Appelez-moi au 06 12 34 56 78", confirmed_identifying=True
    )
    assert confirmed.status == Question.Status.VISIBLE
    if not CrisisTerm.objects.filter(phrase="en finir").exists():  # seeded by default
        moderation.crisis_term_add(actor=admin, phrase="en finir")
    crisis = services.question_ask(member=ana, event=event, text="J'ai envie d'en finir.")
    assert (crisis.status, crisis.crisis) == (Question.Status.PENDING, True)
    # Held for the moderators: others do not see it, its author and moderators do.
    assert not Question.objects.visible_in(bob, event).filter(pk=crisis.pk).exists()
    assert Question.objects.visible_in(ana, event).filter(pk=crisis.pk).exists()
    assert Question.objects.visible_in(mona, event).filter(pk=crisis.pk).exists()


def test_moderators_pin_one_question_at_a_time_and_mark_answered(cast, client_as):
    admin, mona, ana, bob, tom, event = cast
    first = services.question_ask(member=ana, event=event, text="Première ?")
    second = services.question_ask(member=bob, event=event, text="Seconde ?")
    with pytest.raises(Http404):
        services.question_moderate(moderator=ana, question_id=first.pk, action="pin")
    services.question_moderate(moderator=mona, question_id=first.pk, action="pin")
    services.question_moderate(moderator=mona, question_id=second.pk, action="pin")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.pinned, second.pinned) == (False, True)
    services.question_moderate(moderator=mona, question_id=second.pk, action="answered")
    services.question_moderate(moderator=mona, question_id=first.pk, action="hide")
    page = client_as(bob).get(f"/evenements/{event.pk}/").content.decode()
    assert "Seconde ?" in page and "Première ?" not in page
    assert (
        client_as(mona)
        .post(f"/evenements/questions/{first.pk}/moderer/", {"action": "supprimer"})
        .status_code
        == 400
    )


def test_anonymous_questions_keep_their_author_from_other_members(cast, client_as):
    admin, mona, ana, bob, tom, event = cast
    services.question_ask(member=ana, event=event, text="Question discrète ?", anonymous=True)
    for who, shown in ((bob, False), (mona, True)):
        page = client_as(who).get(f"/evenements/{event.pk}/").content.decode()
        assert "Question discrète ?" in page
        assert ("Ana" in page.split('id="questions"')[1]) is shown


def test_the_poll_answers_204_until_something_changes(cast, client_as):
    admin, mona, ana, bob, tom, event = cast
    client = client_as(bob)
    url = f"/evenements/{event.pk}/questions/"
    first = client.get(url, **HTMX)
    assert first.status_code == 200
    version = first.context["questions_version"]
    assert client.get(url, {"v": version}, **HTMX).status_code == 204
    question = services.question_ask(member=ana, event=event, text="Nouvelle ?")
    changed = client.get(url, {"v": version}, **HTMX)
    assert changed.status_code == 200 and b"Nouvelle ?" in changed.content
    version = changed.context["questions_version"]
    services.question_moderate(moderator=mona, question_id=question.pk, action="pin")
    pinned = client.get(url, {"v": version}, **HTMX)
    assert pinned.status_code == 200 and f'id="pinned-{question.pk}"'.encode() in pinned.content
    # Without htmx, the address leads to the event's page.
    assert client.get(url)["Location"] == f"/evenements/{event.pk}/#questions"


def test_the_live_list_renders_in_a_constant_number_of_queries(
    cast, client_as, django_assert_max_num_queries
):
    admin, mona, ana, bob, tom, event = cast
    client = client_as(bob)
    url = f"/evenements/{event.pk}/questions/"
    services.question_ask(member=ana, event=event, text="Une ?")
    client.get(url, **HTMX)
    with django_assert_max_num_queries(12) as small:
        client.get(url, **HTMX)
    people = [account(f"Votant{n}").member for n in range(6)]
    for member in people:
        services.registration_create(member=member, event=event)
    for n, member in enumerate(people):
        question = services.question_ask(member=member, event=event, text=f"Question {n} ?")
        services.vote_toggle(member=bob, question_id=question.pk)
    with django_assert_max_num_queries(12) as large:
        response = client.get(url, **HTMX)
    assert len(small.captured_queries) == len(large.captured_queries)
    assert response.content.count(b'class="card question') == 7


def test_a_duplicate_is_merged_with_its_votes(cast, client_as):
    admin, mona, ana, bob, tom, event = cast
    services.registration_create(member=tom, event=event)
    original = services.question_ask(member=ana, event=event, text="Combien de temps ?")
    duplicate = services.question_ask(member=bob, event=event, text="Ça dure combien ?")
    services.vote_toggle(member=tom, question_id=duplicate.pk)
    services.vote_toggle(member=ana, question_id=duplicate.pk)  # the original's author
    with pytest.raises(ValidationError):
        services.question_moderate(
            moderator=mona, question_id=duplicate.pk, action="merge", into=duplicate.pk
        )
    response = client_as(mona).post(
        f"/evenements/questions/{duplicate.pk}/moderer/",
        {"action": "merge", "into": f"#{original.pk}"},
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (Question.Status.HIDDEN, original)
    # Tom's vote moved, Bob (who asked the same) counts as one more; Ana's own is not one.
    assert sorted(original.votes.values_list("member__user__username", flat=True)) == [
        "Bob", "Tom"
    ]  # fmt: skip
    assert original.votes_count == 2 and duplicate.votes.count() == 0
    assert (
        client_as(mona)
        .post(f"/evenements/questions/{original.pk}/moderer/", {"action": "merge", "into": "x"})
        .status_code
        == 400
    )


def test_a_newly_pinned_question_is_told_to_screen_readers_once(cast, client_as):
    admin, mona, ana, bob, tom, event = cast
    question = services.question_ask(member=ana, event=event, text="La fatigue dure-t-elle ?")
    client = client_as(bob)
    url = f"/evenements/{event.pk}/questions/"
    before = client.get(url, {"v": "0", "pin": ""}, **HTMX)
    assert b"hx-swap-oob" not in before.content
    services.question_moderate(moderator=mona, question_id=question.pk, action="pin")
    told = client.get(url, {"v": before.context["questions_version"], "pin": ""}, **HTMX)
    assert b'hx-swap-oob="innerHTML:#live-status"' in told.content
    assert "La fatigue dure-t-elle ?" in told.content.decode().split("hx-swap-oob")[1]
    # The page now knows it: a vote changes the list, nothing is said again.
    services.vote_toggle(member=bob, question_id=question.pk)
    again = client.get(
        url, {"v": told.context["questions_version"], "pin": str(question.pk)}, **HTMX
    )
    assert again.status_code == 200 and b"hx-swap-oob" not in again.content
