"""The network's home page: a member's news since their previous visit (followed
discussions, replies and mentions, pinned messages, new articles, their spaces and groups),
what a signed-out visitor learns there, and the legal notice."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from tenant_apps.events import services as events
from tenant_apps.events.models import Event
from tenant_apps.forums.models import GroupMembership, Subscription, Topic, TopicRead
from tenant_apps.home import sections, views
from tenant_apps.knowledge.models import Article
from tenant_apps.members import services as members
from tenant_apps.members.models import Charter, Member
from tenant_apps.moderation import services as moderation
from tenant_apps.moderation.models import CrisisResource
from tenant_apps.notifications.models import Notification
from tenants import hosts
from tenants.models import Branding
from tests import matrix
from tests.events.factories import event_make
from tests.forums.factories import PostFactory, TopicFactory
from tests.knowledge.factories import ArticleFactory
from tests.notifications.factories import notify

pytestmark = pytest.mark.django_db

world = matrix.world
role_accounts = matrix.role_accounts


def _follow(member: Member, *topics: Topic) -> None:
    Subscription.objects.bulk_create(
        [Subscription(member=member, topic=t) for t in topics], ignore_conflicts=True
    )


def _read_all(member: Member, topic: Topic) -> None:
    last = topic.posts.order_by("-pk").values_list("pk", flat=True).first()
    TopicRead.objects.update_or_create(member=member, topic=topic, defaults={"last_post_id": last})


def _section(response, key: str) -> sections.Section:
    (found,) = [s for s in response.context["sections"] if s.key == key]
    return found


def _html(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


# --- Followed discussions ----------------------------------------------------------------


def test_a_followed_discussion_shows_how_many_messages_are_new_and_opens_at_the_first(
    client_as, world
):
    bob = world.member_member
    _read_all(bob, world.topic)
    mark = TopicRead.objects.get(member=bob, topic=world.topic).last_post_id
    PostFactory(topic=world.topic, author=world.tina, body="Un")
    PostFactory(topic=world.topic, author=world.tina, body="Deux")
    PostFactory(topic=world.topic, author=bob, body="Ma réponse")  # his own: not news
    html = _html(client_as("member"))
    assert f'id="home-topic-{world.topic.pk}"' in html
    assert f"/forums/sujet/{world.topic.pk}/?apres={mark}" in html
    (shown,) = _section(client_as("member").get("/"), "followed").items
    assert shown.unread == 2


def test_a_discussion_read_to_its_end_or_not_followed_is_not_news(client_as, world):
    bob = world.member_member
    _read_all(bob, world.topic)
    other = TopicFactory(category=world.topic.category, author=world.tina, title="Pas suivi")
    response = client_as("member").get("/")
    followed = _section(response, "followed")
    assert followed.items == []
    html = response.content.decode()
    assert f'id="home-topic-{other.pk}"' not in html
    # The empty state says what to do next.
    assert 'class="muted home-empty"' in html and 'href="/forums/"' in html


def test_a_hidden_message_is_news_for_the_moderators_only(client_as, world):
    bob, mona = world.member_member, world.moderator_member
    _follow(mona, world.topic)
    for reader in (bob, mona):
        _read_all(reader, world.topic)
    hidden = PostFactory(topic=world.topic, author=world.tina, body="Pub")
    moderation.post_hide(moderator=mona, post=hidden, reason="Publicité")
    assert f'id="home-topic-{world.topic.pk}"' not in _html(client_as("member"))
    assert f'id="home-topic-{world.topic.pk}"' in _html(client_as("moderator"))


def test_more_than_five_followed_discussions_lead_to_the_full_list_by_keyset(
    client_as, world, monkeypatch
):
    bob = world.member_member
    _read_all(bob, world.topic)
    topics = [
        TopicFactory(category=world.topic.category, author=world.tina, title=f"Sujet {i}")
        for i in range(7)
    ]
    _follow(bob, *topics)
    client = client_as("member")
    html = _html(client)
    shown = [t for t in topics if f'id="home-topic-{t.pk}"' in html]
    assert shown == topics[-5:][::-1] or set(shown) == set(topics[2:])
    assert len(shown) == 5
    assert 'href="/suivis/"' in html
    monkeypatch.setattr(views, "FOLLOWED_PER_PAGE", 4)
    first = client.get("/suivis/")
    page = first.context["page"]
    assert len(page.topics) == 4 and page.next_cursor
    second = client.get(f"/suivis/?apres={page.next_cursor}")
    rest = second.context["page"]
    assert rest.next_cursor is None
    assert {t.pk for t in page.topics + rest.topics} == {t.pk for t in topics}
    assert client.get("/suivis/?apres=pas-un-curseur").status_code == 404


# --- Replies and mentions ----------------------------------------------------------------


def test_unread_replies_and_mentions_are_shown_and_nothing_else(client_as, world):
    bob = world.member_member
    Notification.objects.filter(recipient=bob).update(read_at=timezone.now())
    mention = notify(bob, actor=world.tina, kind=Notification.Kind.MENTION, subject="Bonjour")
    read = notify(bob, actor=world.tina, kind=Notification.Kind.MENTION, subject="Vieux")
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    decision = notify(bob, kind=Notification.Kind.MODERATION, subject="Décision")
    html = _html(client_as("member"))
    assert f'id="home-notification-{mention.pk}"' in html
    assert "Tina" in html and "Bonjour" in html
    assert f'id="home-notification-{read.pk}"' not in html
    assert f'id="home-notification-{decision.pk}"' not in html
    # Another member's notifications stay theirs.
    assert f'id="home-notification-{mention.pk}"' not in _html(client_as("outsider_of_group"))


def test_a_notification_about_a_post_out_of_reach_keeps_its_title_off_the_home_page(
    client_as, world
):
    gina = world.group_member_member
    mention = notify(
        gina, actor=world.tina, kind=Notification.Kind.MENTION, subject=world.group_topic.title,
        source=f"forums.post:{world.group_post.pk}",
    )  # fmt: skip
    assert f'id="home-notification-{mention.pk}"' in _html(client_as("group_member"))
    GroupMembership.objects.filter(member=gina, group=world.group).delete()  # she left
    html = _html(client_as("group_member"))
    assert f'id="home-notification-{mention.pk}"' not in html
    assert world.group_topic.title not in html


# --- Articles since the previous visit ------------------------------------------------


def test_new_articles_are_those_published_since_the_previous_visit_that_the_member_may_read(
    client_as, world
):
    bob = world.member_member
    before = ArticleFactory(title="Avant")
    Article.objects.filter(pk=before.pk).update(published=timezone.now() - timedelta(days=3))
    Member.objects.filter(pk=bob.pk).update(previous_visit=timezone.now() - timedelta(days=1))
    after = ArticleFactory(title="Après")
    for_caregivers = ArticleFactory(title="Pour les proches", space=world.caregivers)
    draft = ArticleFactory(title="Brouillon", status=Article.Status.DRAFT)
    response = client_as("member").get("/")
    assert response.context["viewer"].since is not None
    html = response.content.decode()
    assert f'id="home-article-{after.pk}"' in html
    for hidden in (before, for_caregivers, draft):
        assert f'id="home-article-{hidden.pk}"' not in html
    # Carla, a caregiver, without a previous visit: the latest articles she may read.
    response = client_as("caregiver").get("/")
    assert response.context["viewer"].since is None
    html = response.content.decode()
    assert f'id="home-article-{for_caregivers.pk}"' in html
    assert f'id="home-article-{before.pk}"' in html
    assert f'id="home-article-{draft.pk}"' not in html


def test_a_visit_after_three_hours_away_remembers_when_the_previous_one_ended(world):
    bob = Member.objects.get(pk=world.member_member.pk)
    start = timezone.now()
    members.member_seen(member=bob, now=start)
    members.member_seen(member=bob, now=start + timedelta(hours=1, minutes=5))
    members.member_seen(member=bob, now=start + timedelta(hours=2, minutes=10))
    bob.refresh_from_db()
    # Still the same visit: written hourly, no previous visit moved.
    assert bob.last_seen == start + timedelta(hours=2, minutes=10)
    assert bob.previous_visit is None
    members.member_seen(member=bob, now=start + timedelta(hours=6))
    bob.refresh_from_db()
    assert bob.previous_visit == start + timedelta(hours=2, minutes=10)
    assert bob.last_seen == start + timedelta(hours=6)


# --- Pinned messages, spaces and groups ---------------------------------------------------

PINNED_READS = {
    "member": {"patients"},
    "caregiver": {"caregivers"},
    "outsider_of_group": {"patients"},
    "group_member": {"patients", "group"},
    "moderator": {"patients", "caregivers", "group"},
    "admin": {"patients", "caregivers", "group"},
}


@pytest.mark.parametrize("role", sorted(PINNED_READS))
def test_pinned_messages_are_those_the_member_may_read(role, client_as, world):
    topics = {
        "patients": world.topic,
        "caregivers": world.caregivers_topic,
        "group": world.group_topic,
    }
    Topic.objects.filter(pk__in=[t.pk for t in topics.values()]).update(pinned=True)
    html = _html(client_as(role))
    shown = {name for name, t in topics.items() if f'id="home-pinned-{t.pk}"' in html}
    assert shown == PINNED_READS[role]


def test_spaces_and_groups_are_links_to_what_the_member_may_open(client_as, world):
    html = _html(client_as("group_member"))
    assert f'href="/forums/#space-{world.patients.pk}"' in html
    assert f'href="/forums/#space-{world.caregivers.pk}"' not in html
    assert f'href="/forums/groupes/{world.group.slug}/"' in html
    response = client_as("outsider_of_group").get("/")
    assert _section(response, "spaces").extra["groups"] == []
    assert f'href="/forums/groupes/{world.group.slug}/"' not in response.content.decode()


def test_quick_actions_lead_to_the_forums_the_search_and_the_charter(client_as, world):
    html = _html(client_as("member"))
    assert 'id="action-start"' in html
    assert 'action="/recherche/"' in html
    assert 'href="/charte/"' in html


# --- Coming events ---------------------------------------------------------------------------


def _event_ids(response) -> list[int]:
    return [event.pk for event in _section(response, "events").items]


def test_the_next_three_events_the_member_may_see_soonest_first(client_as, world):
    admin = world.admin_member
    later = event_make(author=admin, title="Marche d'automne", starts_in=timedelta(days=20))
    soon = event_make(author=admin, title="Immunothérapie", starts_in=timedelta(days=2))
    under_way = event_make(
        author=admin, title="En cours", starts_in=timedelta(minutes=-30), hours=2
    )
    event_make(author=admin, title="Passé", starts_in=timedelta(days=-3))
    event_make(author=admin, title="Brouillon", status=Event.Status.DRAFT)
    patients = event_make(
        author=admin, title="Entre patients", space=world.patients, starts_in=timedelta(days=5)
    )
    response = client_as("member").get("/")
    assert _event_ids(response) == [under_way.pk, soon.pk, patients.pk]
    section = _section(response, "events")
    assert section.more_url == "/evenements/" and section.more_label
    html = response.content.decode()
    assert f'href="/evenements/{soon.pk}/"' in html
    assert f'id="home-event-{later.pk}"' not in html
    # Carla does not see the Patients space: its event is not hers to see.
    assert _event_ids(client_as("caregiver").get("/")) == [under_way.pk, soon.pk, later.pk]
    # The admin writes events but the home page shows no draft.
    assert "Brouillon" not in _html(client_as("admin"))


def test_an_event_the_member_registered_for_is_marked(client_as, world):
    admin = world.admin_member
    mine = event_make(author=admin, title="Mon webinaire")
    other = event_make(author=admin, title="Un autre", starts_in=timedelta(days=8))
    events.registration_create(member=world.member_member, event=mine)
    html = _html(client_as("member"))

    def item(event: Event) -> str:
        found = html[html.index(f'id="home-event-{event.pk}"') :]
        return found[: found.index("</li>")]

    assert "Registered" in item(mine) or "Inscrit" in item(mine)
    assert "Registered" not in item(other) and "Inscrit" not in item(other)


def test_with_no_coming_event_the_section_says_so_and_leads_to_the_past_ones(client_as, world):
    event_make(author=world.admin_member, title="Passé", starts_in=timedelta(days=-3))
    response = client_as("member").get("/")
    section = _section(response, "events")
    assert section.items == [] and not section.more_label
    html = response.content.decode()
    assert escape(section.empty) in html and 'href="/evenements/passes/"' in html


def test_a_signed_out_visitor_sees_no_event(client_as, world):
    event_make(author=world.admin_member, title="Webinaire des membres")
    html = client_as("anonymous").get("/").content.decode()
    assert "Webinaire des membres" not in html and 'id="home-events"' not in html


# --- Extension point ------------------------------------------------------------------------


def test_an_app_adds_a_section_through_the_providers_without_touching_the_view(
    client_as, world, monkeypatch
):
    def extra(viewer):
        return sections.Section(
            key="extra",
            title="An extra section",
            template="home/sections/pinned.html",
            items=[world.topic],
        )

    monkeypatch.setattr(sections, "PROVIDERS", [*sections.PROVIDERS, extra])
    html = _html(client_as("member"))
    assert 'id="home-extra"' in html
    assert "An extra section" in html


# --- Query count ------------------------------------------------------------------------------


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_home_page_costs_the_same_queries_whatever_a_member_follows(
    client_as, world, django_assert_max_num_queries
):
    bob = world.member_member
    client = client_as("member")
    client.get("/")  # the first request of a session also refreshes last_seen
    _follow(bob, TopicFactory(category=world.topic.category, author=world.tina))
    notify(bob, actor=world.tina)
    ArticleFactory()
    event_make(author=world.admin_member, title="E")
    # A first request fills what is kept between requests (the plan's member count, the
    # free plan), which the data created just before may have emptied: not what is measured.
    client.get("/")
    few = _home_queries(client)
    for i in range(15):
        topic = TopicFactory(category=world.topic.category, author=world.tina, title=f"T{i}")
        PostFactory(topic=topic, author=world.tina)
        _follow(bob, topic)
        notify(bob, actor=world.tina, subject=f"S{i}")
        Topic.objects.filter(pk=topic.pk).update(pinned=i % 2 == 0)
    for i in range(8):
        ArticleFactory(title=f"Article {i}")
        event = event_make(author=world.admin_member, title=f"E{i}")
        events.registration_create(member=bob, event=event)
        events.registration_create(member=world.tina, event=event)
    # Schema, session, user, member; the forums', the knowledge base's and the events' spaces
    # (each access module keeps its own), followed topics, notifications, pinned topics,
    # coming events, articles, the member's spaces and groups; the header's unread count and
    # help lines; the experiences of whom one follows (social's spaces and blocks, the
    # experiences, their authors).
    client.get("/")
    with django_assert_max_num_queries(20):
        many = _home_queries(client)
    assert many == few


def test_the_followed_list_costs_the_same_queries_whatever_its_length(
    client_as, world, django_assert_max_num_queries
):
    bob = world.member_member
    client = client_as("member")
    client.get("/suivis/")

    def add(count: int) -> None:
        for i in range(count):
            topic = TopicFactory(category=world.topic.category, author=world.tina, title=f"F{i}")
            PostFactory(topic=topic, author=world.tina)
            _follow(bob, topic)

    add(2)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/suivis/").context["page"].topics) >= 2
    add(30)
    # Schema, session, user, member, the forums' spaces, the page of topics, the header's
    # unread count.
    with django_assert_max_num_queries(8), CaptureQueriesContext(connection) as many:
        page = client.get("/suivis/").context["page"]
    assert len(page.topics) == views.FOLLOWED_PER_PAGE and page.next_cursor
    assert len(many) == len(few)


# --- Signed out, and the legal notice ---------------------------------------------------------


def test_a_visitor_learns_what_the_network_is_who_runs_it_and_how_to_join(client_as, tenant):
    Branding.objects.filter(tenant=tenant).update(
        tagline="Entre patients", contact_email="contact@example.org"
    )
    Charter.objects.create(version=99, title="Charte", body="Bienveillance et respect.")
    html = client_as("anonymous").get("/").content.decode()
    assert 'href="/comptes/signup/"' in html
    assert 'href="/comptes/login/"' in html
    assert "Bienveillance et respect." in html
    assert 'href="/mentions-legales/"' in html
    assert 'href="mailto:contact@example.org"' in html
    assert 'id="home-followed"' not in html


def test_the_legal_notice_shows_what_the_association_wrote_escaped(client_as, tenant):
    client = client_as("anonymous")
    assert b'id="legal-notice-missing"' in client.get("/mentions-legales/").content
    Branding.objects.filter(tenant=tenant).update(
        legal_notice="Association Souffle\n<script>alert(1)</script>"
    )
    hosts.forget_hosts()  # as a committed branding change does
    html = client.get("/mentions-legales/").content.decode()
    assert "Association Souffle" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


# --- Help lines ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["member", "anonymous"])
def test_a_help_line_named_by_its_number_is_not_said_twice(role, client_as, world):
    from_seed = CrisisResource.objects.get(phone="3114")
    CrisisResource.objects.filter(pk=from_seed.pk).update(name="3114")
    CrisisResource.objects.create(phone="15", name="SAMU", description="Urgence médicale")
    html = _html(client_as(role))
    assert 'href="tel:3114">3114</a></strong> :' in html
    assert "(3114)" not in html
    assert 'href="tel:15">15</a></strong> (SAMU) : Urgence médicale' in html
