"""What a member's data export and erasure (members app) get from the notifications app."""

import pytest

from tenant_apps.members.services import member_erase, member_export
from tenant_apps.notifications.models import Notification, NotificationSettings
from tests.notifications.factories import account, notify

pytestmark = pytest.mark.django_db


def test_the_export_lists_my_notifications_and_email_choice(tenant):
    bob = account("Bob", frequency="weekly").member
    carla = account("Carla").member
    notify(bob, actor=carla, subject="Pour Bob", detail="Raison")
    notify(carla, actor=bob, subject="Pour Carla")
    mine = member_export(member=bob)["content"]["notifications"]
    assert mine["email_frequency"] == "weekly"
    assert [(i["subject"], i["detail"]) for i in mine["notifications"]] == [("Pour Bob", "Raison")]
    assert member_export(member=carla)["content"]["notifications"]["email_frequency"] == "daily"


@pytest.mark.parametrize("delete_content", [False, True])
def test_erasure_deletes_what_was_addressed_to_the_member_only(tenant, delete_content):
    bob = account("Bob", frequency="weekly").member
    carla = account("Carla", frequency="never").member
    notify(bob, actor=carla)
    theirs = notify(carla, actor=bob)
    member_erase(member=bob, delete_content=delete_content)
    assert list(Notification.objects.values_list("pk", flat=True)) == [theirs.pk]
    assert list(NotificationSettings.objects.values_list("member_id", flat=True)) == [carla.pk]
    theirs.refresh_from_db()
    assert theirs.actor_id == bob.pk  # shown as "A member …", no pseudonym left
