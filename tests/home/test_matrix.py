"""Authorization matrix of the home app's pages: the network's home, the followed
discussions with news, and the legal notice."""

import pytest

from tenant_apps.forums.models import Subscription
from tests import matrix
from tests.forums.factories import PostFactory
from tests.matrix import EVERY_ROLE, EVERYONE, MEMBERS, Route, cases, check

pytestmark = pytest.mark.django_db

role_accounts = matrix.role_accounts


@pytest.fixture
def world(shared_world, tenant):
    """The shared world, where every role follows the three topics (Patients, caregivers,
    the on-request group) and Tina has just written in each: a reader may be shown only
    what they may open."""
    topics = [shared_world.topic, shared_world.caregivers_topic, shared_world.group_topic]
    Subscription.objects.bulk_create(
        [Subscription(member=m, topic=t) for m in shared_world.people.values() for t in topics],
        ignore_conflicts=True,
    )
    for topic in topics:
        PostFactory(topic=topic, author=shared_world.tina, body="Des nouvelles ?")
    return shared_world


# Which of the three topics each signed-in role may read.
READS = {
    "member": {"patients"},
    "caregiver": {"caregivers"},
    "outsider_of_group": {"patients"},
    "group_member": {"patients", "group"},
    "moderator": {"patients", "caregivers", "group"},
    "admin": {"patients", "caregivers", "group"},
}


def _followed_shown(prefix: str):
    def check_(response, world, role):
        html = response.content.decode()
        topics = {
            "patients": world.topic,
            "caregivers": world.caregivers_topic,
            "group": world.group_topic,
        }
        shown = {name for name, t in topics.items() if f'id="{prefix}{t.pk}"' in html}
        assert shown == READS.get(role, set()), role

    return check_


def _legal_notice(response, world, role):
    assert b'id="legal-notice' in response.content


ROUTES = {
    "home": Route(
        "get",
        lambda w: "/",
        EVERYONE - {"suspended"},
        public=True,
        roles=EVERY_ROLE,
        check=_followed_shown("home-topic-"),
    ),  # fmt: skip
    "home_followed": Route(
        "get",
        lambda w: "/suivis/",
        MEMBERS,
        roles=EVERY_ROLE,
        check=_followed_shown("followed-topic-"),
    ),  # fmt: skip
    "legal_notice": Route(
        "get",
        lambda w: "/mentions-legales/",
        EVERYONE - {"suspended"},
        public=True,
        roles=EVERY_ROLE,
        check=_legal_notice,
    ),  # fmt: skip
}


@pytest.mark.parametrize(("name", "role"), cases(ROUTES))
def test_home_routes(name, role, client_as, world):
    check(ROUTES, name, role, client_as, world)
