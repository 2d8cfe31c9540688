"""Knowledge fixtures: one account per role the knowledge base knows, articles made through
the services (tests/knowledge/factories.py), and forum topics and posts written straight
into the tables (tests/forums/factories.py; the forums' own services are tested there)."""

from contextlib import contextmanager

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import transaction

from tenant_apps.forums.models import Topic
from tenant_apps.knowledge import services
from tenant_apps.knowledge.models import Article, EditorialRole
from tenant_apps.members.models import ProfileType, Role, Space
from tests.forums.factories import TopicFactory, category_of
from tests.knowledge.factories import ArticleFactory
from tests.members.factories import account

WHO = [
    "anonymous",
    "member",
    "outsider",
    "editor",
    "reviewer",
    "moderator",
    "admin",
    "other_network",
]


@contextmanager
def rolled_back():
    """A savepoint undone at the end: one caller's effects never reach the next one."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def people(tenant):
    """member: a patient (sees the "patients" space); outsider: a caregiver (does not)."""
    found = {
        "admin": account("Alice", Role.ADMIN),
        "moderator": account("Mona", Role.MODERATOR),
        "member": account("Bob"),
        "outsider": account("Carla", profile_type=ProfileType.CAREGIVER),
        "editor": account("Eddy"),
        "reviewer": account("DrRita", profile_type=ProfileType.PROFESSIONAL),
    }
    admin = found["admin"].member
    services.editorial_role_grant(
        member=found["editor"].member, kind=EditorialRole.Kind.EDITOR, actor=admin
    )
    services.editorial_role_grant(
        member=found["reviewer"].member, kind=EditorialRole.Kind.REVIEWER, actor=admin
    )
    for who in ("editor", "reviewer"):  # a designation counts only with a second factor
        TOTP.activate(found[who], generate_totp_secret())
    return found


@pytest.fixture
def member_of(people):
    def get(who: str):
        return people[who].member

    return get


@pytest.fixture
def role_accounts(people):
    """``client_as`` signs in as these people."""
    return people


@pytest.fixture
def make_article(people):
    """An article by the editor, published by the reviewer as far as ``status`` says
    (``ArticleFactory``'s arguments)."""

    def make(title: str = "Comprendre la thérapie ciblée", **fields) -> Article:
        return ArticleFactory(
            title=title,
            author=people["editor"].member,
            reviewer=people["reviewer"].member,
            **fields,
        )

    return make


@pytest.fixture
def make_topic(people):
    """A forum topic of the member, with its opening post and replies, indexed as the forums
    index them (``TopicFactory``'s arguments; ``space_slug`` picks the category)."""

    def make(title: str, body: str, *, space_slug: str = "patients", **fields) -> Topic:
        return TopicFactory(
            title=title,
            body=body,
            category=category_of(space_slug),
            author=people["member"].member,
            **fields,
        )

    return make


@pytest.fixture
def spaces(tenant):
    return {space.slug: space for space in Space.objects.all()}
