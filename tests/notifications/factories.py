"""Accounts and notifications as the notifications tests need them."""

from allauth.account.models import EmailAddress

from tenant_apps.members.models import Member, Role
from tenant_apps.notifications.models import Notification, NotificationSettings
from tests.members.factories import account as member_account


def account(username: str, role: str = Role.MEMBER, *, frequency: str | None = None, **kwargs):
    """A shared-factory account, with an email frequency when one is given."""
    user = member_account(username, role, **kwargs)
    if frequency is not None:
        NotificationSettings.objects.create(member=user.member, frequency=frequency)
    return user


def notify(recipient: Member, *, actor: Member | None = None, **fields) -> Notification:
    """A notification as another app would store it (without going through the service)."""
    values = {
        "kind": Notification.Kind.MENTION,
        "subject": "Fatigue après la chimio",
        "url": "/forums/sujets/1/",
    }
    values.update(fields)
    return Notification.objects.create(recipient=recipient, actor=actor, **values)


def unverify(user) -> None:
    EmailAddress.objects.filter(user=user).update(verified=False)
