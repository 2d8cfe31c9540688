"""Groups: proposed by members, decided by moderators, joined openly or on request."""

import pytest

from tenant_apps.forums import services as forums
from tenant_apps.forums.models import Category, Group, GroupMembership
from tenant_apps.members.models import AuditEntry, Space
from tenant_apps.notifications.models import Notification

pytestmark = pytest.mark.django_db


def propose(client, space, access=Group.Access.PUBLIC, name="Stade 4"):
    return client.post(
        "/forums/groupes/proposer/",
        {"name": name, "description": "Entre nous.", "space": space.pk, "access": access},
    )


def test_a_member_proposes_and_a_moderator_approves(client_as, people):
    patients = Space.objects.get(slug="patients")
    member = client_as("member")
    assert propose(member, patients).status_code == 302
    group = Group.objects.get(name="Stade 4")
    assert (group.status, group.proposed_by, group.space) == (
        Group.Status.PROPOSED, people["member"], patients,
    )  # fmt: skip
    assert not Category.objects.filter(group=group).exists()
    moderator = client_as("moderator")
    pending = moderator.get("/forums/groupes/a-valider/")
    assert f'id="pending-{group.slug}"'.encode() in pending.content
    response = moderator.post(f"/forums/groupes/{group.slug}/decider/", {"decision": "approve"})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.status == Group.Status.APPROVED and group.decided_by == people["moderator"]
    forum = Category.objects.get(group=group)
    assert forum.space == patients
    membership = GroupMembership.objects.get(group=group)
    assert (membership.member, membership.is_moderator) == (people["member"], True)
    entry = AuditEntry.objects.get(action="group_approve")
    assert (entry.actor, entry.target, entry.detail) == (
        people["moderator"], people["member"], {"group": group.pk},
    )  # fmt: skip
    assert Notification.objects.filter(
        recipient=people["member"], kind=Notification.Kind.GROUP
    ).exists()
    # Its forum works like any other.
    assert member.get(f"/forums/{forum.slug}/").status_code == 200
    assert (
        member.post(
            f"/forums/{forum.slug}/nouveau/", {"title": "Bienvenue", "body": "Présentez-vous"}
        ).status_code
        == 302
    )


def test_a_refusal_needs_a_reason_and_tells_the_proposer(client_as, people):
    patients = Space.objects.get(slug="patients")
    propose(client_as("member"), patients)
    group = Group.objects.get()
    moderator = client_as("moderator")
    url = f"/forums/groupes/{group.slug}/decider/"
    response = moderator.post(url, {"decision": "refuse", "reason": ""})
    assert response.status_code == 400
    group.refresh_from_db()
    assert group.status == Group.Status.PROPOSED
    assert moderator.post(url, {"decision": "refuse", "reason": "Existe déjà"}).status_code == 302
    group.refresh_from_db()
    assert (group.status, group.refusal_reason) == (Group.Status.REFUSED, "Existe déjà")
    notice = Notification.objects.get(recipient=people["member"], kind=Notification.Kind.GROUP)
    assert notice.detail == "Existe déjà"
    assert AuditEntry.objects.filter(action="group_refuse", actor=people["moderator"]).exists()
    assert not Category.objects.filter(group=group).exists()
    # Decided once: a second decision is a missing page.
    assert moderator.post(url, {"decision": "approve"}).status_code == 404


def test_a_group_is_proposed_only_in_ones_own_spaces(client_as, people):
    caregivers = Space.objects.get(slug="proches-aidants")
    response = propose(client_as("member"), caregivers)
    assert response.status_code == 200
    assert b'aria-invalid="true"' in response.content
    assert not Group.objects.exists()


def test_joining_an_open_group_is_immediate(client_as, people):
    group = forums.group_propose(
        proposer=people["member"], name="Nouvelle-Aquitaine", description="Région",
        space=Space.objects.get(slug="patients"), access=Group.Access.PUBLIC,
    )  # fmt: skip
    forums.group_approve(group=group, moderator=people["moderator"])
    client = client_as("patient2")
    assert client.post(f"/forums/groupes/{group.slug}/adhesion/").status_code == 302
    assert GroupMembership.objects.get(member=people["patient2"]).status == "member"
    client.post(f"/forums/groupes/{group.slug}/adhesion/", {"leave": "1"})
    assert not GroupMembership.objects.filter(member=people["patient2"]).exists()


def test_an_on_request_group_is_joined_once_accepted(client_as, people):
    group = forums.group_propose(
        proposer=people["member"], name="Stade 4", description="Entre nous",
        space=Space.objects.get(slug="patients"), access=Group.Access.ON_REQUEST,
    )  # fmt: skip
    forums.group_approve(group=group, moderator=people["moderator"])
    forum = Category.objects.get(group=group)
    paul = client_as("patient2")
    # Listed and described, but its forum is closed to non-members.
    assert paul.get(f"/forums/groupes/{group.slug}/").status_code == 200
    assert paul.get(f"/forums/{forum.slug}/").status_code == 404
    paul.post(f"/forums/groupes/{group.slug}/adhesion/")
    request = GroupMembership.objects.get(member=people["patient2"])
    assert request.status == GroupMembership.Status.PENDING
    assert paul.get(f"/forums/{forum.slug}/").status_code == 404
    # Bob moderates the group: he sees the request and accepts it.
    bob = client_as("member")
    page = bob.get(f"/forums/groupes/{group.slug}/")
    assert f'id="membership-{request.pk}"'.encode() in page.content
    response = bob.post(f"/forums/groupes/{group.slug}/demandes/{request.pk}/", {"accept": "1"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == GroupMembership.Status.MEMBER
    assert paul.get(f"/forums/{forum.slug}/").status_code == 200
    assert AuditEntry.objects.filter(action="group_request_accept", target=people["patient2"])
    # And names him a group moderator.
    bob.post(f"/forums/groupes/{group.slug}/moderateurs/{request.pk}/")
    request.refresh_from_db()
    assert request.is_moderator


def test_a_declined_request_is_removed_and_told(client_as, people):
    group = forums.group_propose(
        proposer=people["member"], name="Stade 4", description="Entre nous",
        space=Space.objects.get(slug="patients"), access=Group.Access.ON_REQUEST,
    )  # fmt: skip
    forums.group_approve(group=group, moderator=people["moderator"])
    request = forums.group_join(member=people["patient2"], group=group)
    response = client_as("moderator").post(
        f"/forums/groupes/{group.slug}/demandes/{request.pk}/", {"accept": "0"}
    )
    assert response.status_code == 302
    assert not GroupMembership.objects.filter(member=people["patient2"]).exists()
    assert Notification.objects.filter(recipient=people["patient2"], kind="group").exists()


def test_the_group_list_shows_approved_groups_of_ones_spaces(client_as, people):
    patients = Space.objects.get(slug="patients")
    approved = forums.group_propose(proposer=people["member"], name="Stade 4",
                                    description="x", space=patients, access="public")  # fmt: skip
    forums.group_approve(group=approved, moderator=people["moderator"])
    forums.group_propose(proposer=people["member"], name="En attente", description="x",
                         space=patients, access="public")  # fmt: skip
    caregiver = client_as("caregiver").get("/forums/groupes/")
    assert b'id="group-stade-4"' not in caregiver.content
    paul = client_as("patient2").get("/forums/groupes/")
    assert b'id="group-stade-4"' in paul.content
    assert b'id="group-en-attente"' not in paul.content
    bob = client_as("member").get("/forums/groupes/")
    assert b'id="group-en-attente"' in bob.content
