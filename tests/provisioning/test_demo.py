"""``manage.py tenants demo``: each demo network comes up with its own content, twice over."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tenants.utils import tenant_context

from provisioning.demo import DEMO_NETWORKS
from provisioning.demo_content import poumon
from tenant_apps.events.models import Chapter, Event, Question, Registration, Vote
from tenant_apps.forums.models import Group, Post, Reaction, Subscription, Topic
from tenant_apps.knowledge import selectors as knowledge
from tenant_apps.knowledge.models import Article
from tenant_apps.members.models import Consent, Member, ProfileType, Space
from tenant_apps.members.signup import AccountSignupForm
from tenant_apps.moderation.models import Case
from tenant_apps.notifications.models import Notification
from tenants.models import Tenant

pytestmark = pytest.mark.django_db

LUNG_TITLES = {article["title"] for article in poumon.CONTENT["articles"]}


def contents() -> dict[str, dict]:
    found = {}
    for network in DEMO_NETWORKS:
        with tenant_context(Tenant.objects.get(slug=network["slug"])):
            published = Article.objects.filter(status=Article.Status.PUBLISHED)
            found[network["slug"]] = {
                "legal_notice": Tenant.objects.get(slug=network["slug"]).branding.legal_notice,
                "spaces": sorted(Space.objects.values_list("slug", flat=True)),
                "topics": Topic.objects.count(),
                "posts": Post.objects.count(),
                "reactions": Reaction.objects.count(),
                "follows": Subscription.objects.count(),
                "notifications": Notification.objects.count(),
                "unread": Notification.objects.filter(read_at__isnull=True).count(),
                "members": Member.objects.count(),
                "avatars": Member.objects.exclude(avatar="").count(),
                "articles": set(published.values_list("title", flat=True)),
                "reviewers": set(published.values_list("reviewer__user__username", flat=True)),
                "open_cases": sorted(
                    Case.objects.filter(status=Case.Status.OPEN).values_list("kind", flat=True)
                ),
                "events": sorted(Event.objects.values_list("title", "format", "status")),
                "registrations": Registration.objects.count(),
                "questions": Question.objects.count(),
                "votes": Vote.objects.count(),
                "chapters": Chapter.objects.count(),
            }
    return found


def test_the_demo_seeds_every_network_with_its_own_content_and_is_idempotent():
    # One test seeds twice: seeding the three networks takes seconds.
    call_command("tenants", "template")
    call_command("tenants", "demo")
    first = contents()
    for slug, found in first.items():
        assert found["topics"] > 5 and len(found["articles"]) > 5, slug
        assert found["reactions"] > 0 and found["follows"] > 0, slug
        assert found["unread"] > 0 and found["notifications"] > found["unread"], slug
        # Publishing health information needs a second factor: the reviewer account has one.
        assert found["reviewers"] == {f"relecture-{slug}"}, slug
        # A moderation queue: a member's report and a newcomer's held first message.
        assert {"held", "report"} <= set(found["open_cases"]), slug
        # The association's legal notice, shown at /mentions-legales/, names its publisher.
        assert "association loi 1901" in found["legal_notice"], slug
    assert first["poumon"]["spaces"] == ["patients", "proches-aidants"]
    assert first["poumon-proches"]["spaces"] == ["proches-aidants"]
    assert not first["coeur"]["articles"] & LUNG_TITLES
    assert first["poumon"]["articles"] >= LUNG_TITLES

    each_network_is_about_its_own_subject()
    every_network_has_events_of_every_format_built()

    call_command("tenants", "demo")
    assert contents() == first


def every_network_has_events_of_every_format_built():
    """Past webinars with a replay in chapters and answered questions, an upcoming walk that
    is nearly full, upcoming webinars with registrations and questions with votes."""
    now = timezone.now()
    for network in DEMO_NETWORKS:
        with tenant_context(Tenant.objects.get(slug=network["slug"])):
            webinars = Event.objects.filter(format=Event.Format.WEBINAR, status="published")
            past = webinars.filter(ends_at__lt=now)
            assert past.exists(), network["slug"]
            for event in past:
                assert event.replay_url and event.chapters.first().start == 0, event
                assert event.questions.filter(answered_at__isnull=False).exists(), event
                assert event.chapters.filter(questions__isnull=False).exists(), event
                assert event.reminded_24h and event.reminded_1h, event
            coming = webinars.filter(starts_at__gt=now)
            assert coming.exists(), network["slug"]
            for event in coming:
                assert event.registrations.filter(status="registered").count() >= 3, event
                assert event.questions.filter(votes_count__gt=0, status="visible").exists()
                for question in event.questions.all():
                    assert question.votes_count == question.votes.count(), question
            (walk,) = Event.objects.filter(format=Event.Format.IN_PERSON, starts_at__gt=now)
            taken = walk.registrations.filter(status="registered").count()
            assert walk.capacity - 2 <= taken < walk.capacity, walk
            assert walk.place and walk.accessibility
    with tenant_context(Tenant.objects.get(slug="poumon")):
        assert Event.objects.filter(format=Event.Format.WEBINAR, ends_at__lt=now).count() == 4
        assert Event.objects.filter(title="Immunothérapie : gérer les effets secondaires",
                                    speakers__role__icontains="pneumologue").exists()  # fmt: skip
        assert Event.objects.filter(status=Event.Status.CANCELLED).exists()
        reader = Member.objects.get(user__username="membre-poumon")
        hits = knowledge.search(member=reader, text="immunothérapie").hits
        assert "event" in {hit.kind for hit in hits}
    with tenant_context(Tenant.objects.get(slug="coeur")):
        assert Event.objects.filter(
            title="Reprendre le sport après un stent", speakers__role__icontains="cardiologue"
        ).exists()
        assert not Event.objects.filter(title__icontains="immunothérapie").exists()
    with tenant_context(Tenant.objects.get(slug="poumon-proches")):
        assert Event.objects.filter(
            title="Prendre du répit : les solutions", speakers__role="assistante sociale"
        ).exists()


def each_network_is_about_its_own_subject():
    with tenant_context(Tenant.objects.get(slug="coeur")):
        reader = Member.objects.get(user__username="membre-coeur")
        hits = knowledge.search(member=reader, text="stent").hits
        assert {"article", "topic"} <= {hit.kind for hit in hits}
        assert not Topic.objects.filter(title__icontains="immunothérapie").exists()
        assert not Group.objects.filter(name__icontains="ALK").exists()
        # Demo members state pathologies and a département, with the consent it needs.
        assert Consent.objects.filter(
            member=reader, kind=Consent.Kind.HEALTH_DATA, withdrawn=None
        ).exists()
        assert reader.pathologies.exists() and reader.department and reader.avatar
    with tenant_context(Tenant.objects.get(slug="poumon-proches")):
        assert not Space.objects.filter(slug="patients").exists()
        assert not Topic.objects.filter(category__space__slug="patients").exists()
        assert AccountSignupForm().fields["profile_type"].initial == ProfileType.CAREGIVER
        assert set(Member.objects.exclude(role="admin").values_list("profile_type", flat=True)) == {
            ProfileType.CAREGIVER
        }
    with tenant_context(Tenant.objects.get(slug="poumon")):
        assert AccountSignupForm().fields["profile_type"].initial is None
        assert Topic.objects.filter(title__icontains="immunothérapie").exists()
