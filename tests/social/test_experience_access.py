"""The one rule for experiences and comments (tenant_apps/social/access.py): audiences,
blocks both ways, suspended and erased members, statuses; the queryset and the check of a
loaded experience agree."""

import pytest

from tenant_apps.members.models import Member, ProfileType, Role
from tenant_apps.moderation.models import ModerationSettings
from tenant_apps.social import access, services
from tenant_apps.social.models import Block, Experience, ExperienceComment, Follow
from tests.members.factories import account

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tenant):
    ModerationSettings.objects.update_or_create(defaults={"premoderated_posts": 0})
    return {
        "elsa": account("Elsa").member,
        "fanny": account("Fanny").member,
        "bob": account("Bob").member,
        "carla": account("Carla", profile_type=ProfileType.CAREGIVER).member,
        "mona": account("Mona", Role.MODERATOR).member,
    }


@pytest.fixture
def written(people):
    elsa = people["elsa"]
    Follow.objects.create(follower=people["fanny"], followed=elsa)
    made = {
        audience: services.experience_create(author=elsa, body=audience, audience=audience)
        for audience in Experience.Audience.values
    }
    made["held"] = services.experience_create(author=elsa, body="held")
    Experience.objects.filter(pk=made["held"].pk).update(status="held")
    made["held"].status = "held"
    return made


def _seen(member) -> set[str]:
    return set(Experience.objects.visible_to(member).values_list("body", flat=True))


def _checked(member, written) -> set[str]:
    fresh = Member.objects.get(pk=member.pk) if member else None
    return {
        name
        for name, experience in written.items()
        if access.experience_readable(fresh, Experience.objects.get(pk=experience.pk))
    }


def test_the_constants_match_the_models():
    assert access.PUBLISHED == Experience.Status.PUBLISHED
    assert {access.NETWORK, access.SPACES, access.FOLLOWERS} == set(Experience.Audience.values)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("elsa", {"network", "spaces", "followers", "held"}),
        ("fanny", {"network", "spaces", "followers"}),
        ("bob", {"network", "spaces"}),
        ("carla", {"network"}),  # outside the Patients space
        ("mona", {"network", "spaces"}),  # moderators enter every space, follow no one
        (None, set()),
    ],
)
def test_audiences(people, written, who, expected):
    member = people[who] if who else None
    assert _seen(member) == expected
    assert _checked(member, written) == expected


def test_a_block_hides_both_ways_and_the_blocked_member_is_not_told(people, written):
    boris = account("Boris").member
    his = services.experience_create(author=boris, body="boris")
    Block.objects.create(blocker=people["elsa"], blocked=boris)
    boris = Member.objects.get(pk=boris.pk)
    elsa = Member.objects.get(pk=people["elsa"].pk)
    assert _seen(boris) == {"boris"}  # nothing of Elsa's, though all of it was for everyone
    assert "boris" not in _seen(elsa)
    assert not access.experience_readable(elsa, his)
    assert _checked(boris, written) == set()


def test_comments_follow_the_rule_and_the_blocks(people, written):
    network = written["network"]
    mine = services.comment_create(author=people["bob"], experience=network, body="Bob")
    fanny = services.comment_create(author=people["fanny"], experience=network, body="Fanny")
    Block.objects.create(blocker=people["fanny"], blocked=people["bob"])
    bob = Member.objects.get(pk=people["bob"].pk)
    seen = set(ExperienceComment.objects.visible_to(bob).values_list("pk", flat=True))
    assert seen == {mine.pk}  # Fanny's comment is hidden from Bob, his own stays
    on_followers = services.comment_create(
        author=people["fanny"], experience=written["followers"], body="Abonnée"
    )
    carla = Member.objects.get(pk=people["carla"].pk)
    assert set(ExperienceComment.objects.visible_to(carla).values_list("pk", flat=True)) == {
        mine.pk,
        fanny.pk,
    }
    assert on_followers.pk not in set(
        ExperienceComment.objects.visible_to(carla).values_list("pk", flat=True)
    )


def test_suspended_and_erased_members_read_nothing(people, written):
    bob = people["bob"]
    Member.objects.filter(pk=bob.pk).update(status=Member.Status.SUSPENDED)
    assert _seen(Member.objects.get(pk=bob.pk)) == set()
    Member.objects.filter(pk=bob.pk).update(status=Member.Status.ACTIVE, user=None)
    assert _seen(Member.objects.get(pk=bob.pk)) == set()


def test_following_later_opens_the_followers_experiences_unfollowing_closes_them(people, written):
    bob = people["bob"]
    assert "followers" not in _seen(Member.objects.get(pk=bob.pk))
    Follow.objects.create(follower=bob, followed=people["elsa"])
    assert "followers" in _seen(Member.objects.get(pk=bob.pk))
    Follow.objects.filter(follower=bob).delete()
    assert "followers" not in _seen(Member.objects.get(pk=bob.pk))


def test_comments_and_reactions_need_a_readable_published_experience(people, written):
    from django.core.exceptions import ValidationError

    carla = people["carla"]
    with pytest.raises(ValidationError):
        services.comment_create(author=carla, experience=written["spaces"], body="x")
    with pytest.raises(ValidationError):
        services.reaction_set(
            member=carla, experience=written["followers"], kind="thanks", pressed=True
        )
    assert not ExperienceComment.objects.exists()
