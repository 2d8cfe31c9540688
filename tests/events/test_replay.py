"""A webinar's replay: its address and chapters (the first at 0:00, then in order), each
linked to the questions it answered; the questions stay readable after the webinar."""

import pytest
from django.core.exceptions import ValidationError

from tenant_apps.events import services
from tenant_apps.events.forms import ReplayForm
from tenant_apps.events.services import ChapterData
from tenant_apps.members.models import Role
from tests.events.factories import event_make
from tests.members.factories import account

pytestmark = pytest.mark.django_db


@pytest.fixture
def webinar(tenant):
    admin = account("Alice", Role.ADMIN).member
    ana, bob = account("Ana").member, account("Bob").member
    event = event_make(author=admin, title="Fatigue et immunothérapie")
    for member in (ana, bob):
        services.registration_create(member=member, event=event)
    asked = services.question_ask(member=ana, event=event, text="La fatigue dure-t-elle ?")
    hidden = services.question_ask(member=bob, event=event, text="Hors sujet ?")
    return admin, ana, bob, event, asked, hidden


def test_chapters_start_at_zero_and_follow_in_order(webinar):
    admin, ana, bob, event, asked, hidden = webinar
    url = "https://video.example.org/w1"
    for wrong in (
        [ChapterData(60, "Accueil")],
        [ChapterData(0, "Accueil"), ChapterData(0, "Encore")],
        [ChapterData(0, "Accueil"), ChapterData(90, "Fatigue"), ChapterData(30, "Avant")],
        [ChapterData(0, "Accueil", (999_999,))],
    ):
        with pytest.raises(ValidationError) as refused:
            services.replay_set(event=event, by=admin, url=url, chapters=wrong)
        assert "chapters" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.replay_set(event=event, by=admin, url="", chapters=[ChapterData(0, "Accueil")])
    assert not event.chapters.exists()
    services.replay_set(
        event=event, by=admin, url=url,
        chapters=[ChapterData(0, "Accueil"), ChapterData(754, "Fatigue", (asked.pk, hidden.pk))],
    )  # fmt: skip
    assert [(c.timestamp, c.title) for c in event.chapters.all()] == [
        ("0:00", "Accueil"), ("12:34", "Fatigue")
    ]  # fmt: skip


def test_the_form_reads_one_chapter_a_line():
    form = ReplayForm(
        {"replay_url": "https://video.example.org/w1",
         "chapters": "0:00 Accueil\n12:30 Fatigue #14 #17\n\n1:02:03 Conclusion"}
    )  # fmt: skip
    assert form.is_valid(), form.errors
    assert form.cleaned_data["chapters"] == [
        ChapterData(0, "Accueil"), ChapterData(750, "Fatigue", (14, 17)),
        ChapterData(3723, "Conclusion"),
    ]  # fmt: skip
    bad = ReplayForm({"replay_url": "", "chapters": "0:00 Accueil\ndouze Fatigue"})
    assert not bad.is_valid() and "2" in bad.errors["chapters"][0]


def test_the_page_links_chapters_to_the_visible_questions_only(webinar, client_as):
    admin, ana, bob, event, asked, hidden = webinar
    services.question_moderate(moderator=admin, question_id=hidden.pk, action="hide")
    services.replay_set(
        event=event, by=admin, url="https://video.example.org/w1",
        chapters=[ChapterData(0, "Accueil"), ChapterData(60, "Fatigue", (asked.pk, hidden.pk))],
    )  # fmt: skip
    # Cleo (neither author) reads the page after the webinar.
    page = client_as(account("Cleo").member).get(f"/evenements/{event.pk}/").content.decode()
    assert 'href="https://video.example.org/w1"' in page
    assert f'href="#question-{asked.pk}"' in page
    assert f'href="#question-{hidden.pk}"' not in page
    assert "La fatigue dure-t-elle ?" in page and "Hors sujet ?" not in page
