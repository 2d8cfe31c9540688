"""The live list's questions are rendered once per question's version and kind of viewer,
then shared (events.views._question_items): each viewer still sees their own state (their
question, their vote), a change shows at the next poll, and no session's token is shared."""

import re

import pytest
from django.core.cache import cache

from tenant_apps.events import selectors, services
from tenant_apps.members import services as members
from tenant_apps.members.models import Member, Role
from tests.events.factories import event_make
from tests.members.factories import account

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def cast(tenant):
    cache.clear()
    admin = account("Alice", Role.ADMIN).member
    ana, bob, cleo = (account(name).member for name in ("Ana", "Bob", "Cleo"))
    event = event_make(author=admin, title="Fatigue et immunothérapie")
    for member in (ana, bob, cleo):
        services.registration_create(member=member, event=event)
    question = services.question_ask(member=ana, event=event, text="La fatigue dure-t-elle ?")
    return ana, bob, cleo, event, question


def poll(client, event) -> str:
    response = client.get(f"/evenements/{event.pk}/questions/", **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def votes(html: str, question) -> str:
    return re.search(rf'id="votes-{question.pk}">(\d+)', html).group(1)


def test_each_viewer_keeps_their_own_state_and_no_token_is_shared(cast, client_as):
    ana, bob, cleo, event, question = cast
    services.vote_toggle(member=bob, question_id=question.pk)
    as_bob, as_cleo, as_ana = (client_as(m) for m in (bob, cleo, ana))
    bob_list, cleo_list, ana_list = poll(as_bob, event), poll(as_cleo, event), poll(as_ana, event)
    assert 'aria-pressed="true"' in bob_list and 'aria-pressed="false"' not in bob_list
    assert 'aria-pressed="false"' in cleo_list and 'aria-pressed="true"' not in cleo_list
    assert f'id="vote-{question.pk}"' not in ana_list  # her own question: no vote button
    for html in (bob_list, cleo_list, ana_list):
        assert "csrfmiddlewaretoken" not in html  # the cached questions carry none
        (token,) = re.findall(r'X-CSRFToken": "([^"]+)"', html)  # the viewer's own, for htmx
        assert token
    # Cleo's rendering is shared with a fourth viewer in her situation, not Bob's.
    dan = account("Dan").member
    services.registration_create(member=dan, event=event)
    assert 'aria-pressed="false"' in poll(client_as(dan), event)


def test_a_change_shows_at_the_next_poll(cast, client_as):
    ana, bob, cleo, event, question = cast
    as_cleo = client_as(cleo)
    assert votes(poll(as_cleo, event), question) == "0"
    services.vote_toggle(member=bob, question_id=question.pk)
    assert votes(poll(as_cleo, event), question) == "1"


def test_the_page_keeps_the_token_in_each_form_for_posting_without_javascript(cast, client_as):
    ana, bob, cleo, event, question = cast
    page = client_as(bob).get(f"/evenements/{event.pk}/").content.decode()
    vote_form = page[page.index(f"/evenements/questions/{question.pk}/voter/") :]
    assert "csrfmiddlewaretoken" in vote_form[: vote_form.index("</form>")]


def shown(question, name: str) -> tuple:
    return (
        question.pk, question.author_id, name, question.text, question.anonymous,
        question.status, question.pinned, question.answered_at, question.votes_count,
        question.voted,
    )  # fmt: skip


def test_the_live_list_reads_the_questions_the_api_reads(cast):
    """selectors.live_questions (plain values) gives what questions_for gives: the same
    questions (visible_in decides), order, votes and pseudonyms, an erased author's too."""
    ana, bob, cleo, event, question = cast
    moderator = account("Mona", Role.MODERATOR).member
    hidden = services.question_ask(member=bob, event=event, text="Et le sport ?", anonymous=True)
    services.question_moderate(moderator=moderator, question_id=hidden.pk, action="hide")
    services.vote_toggle(member=cleo, question_id=question.pk)
    members.member_erase(member=ana)
    for member in (bob, cleo, moderator):
        expected = [shown(q, q.author.display_name) for q in selectors.questions_for(member, event)]
        got = [shown(q, q.author_name) for q in selectors.live_questions(member, event)]
        assert got == expected
    assert [q.pk for q in selectors.live_questions(cleo, event)] == [question.pk]
    assert [q.pk for q in selectors.live_questions(bob, event)] == [question.pk, hidden.pk]
    (erased,) = selectors.live_questions(cleo, event)
    assert erased.author_name == Member.objects.get(pk=ana.pk).display_name != "Ana"
    assert erased.voted and erased.votes_count == 1


def test_an_erased_author_shows_at_the_next_poll(cast, client_as):
    ana, bob, cleo, event, question = cast
    as_cleo = client_as(cleo)
    assert "Ana" in poll(as_cleo, event)
    members.member_erase(member=ana)
    html = poll(as_cleo, event)
    assert "Ana" not in html
    assert Member.objects.get(pk=ana.pk).display_name in html
