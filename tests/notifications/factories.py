"""Accounts and notifications as the notifications tests need them."""

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tenant_apps.members import services as members
from tenant_apps.members.models import Member, Role
from tenant_apps.notifications.models import Notification, NotificationSettings

PASSWORD = "un-long-secret-42"


def account(username: str, role: str = Role.MEMBER, *, frequency: str | None = None, **kwargs):
    user = members.member_create(
        username=username,
        email=f"{username.lower()}@example.org",
        password=PASSWORD,
        role=role,
        **kwargs,
    )
    if role != Role.MEMBER:
        TOTP.activate(user, generate_totp_secret())
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
