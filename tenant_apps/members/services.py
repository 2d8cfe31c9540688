import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from config.jobs import defer_on_commit
from tenant_apps.members.models import Charter, Invitation, Member, Role, Space

User = get_user_model()


def member_create(*, username: str, email: str, password: str | None, role: str = Role.MEMBER):
    """Create an account in the current network with its role."""
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This pseudonym is already taken.")})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account already uses this email address.")})
    user = User(username=username, email=email.lower())
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
        user.set_password(password)
    user.save()
    Member.objects.create(user=user, role=role)
    return user


def invitation_create(*, email: str, role: str) -> Invitation:
    """Invite someone into the current network by email; the message is sent by a job."""
    from tenant_apps.members.jobs import invitation_send

    invitation = Invitation.objects.create(
        email=email.lower(),
        role=role,
        key=secrets.token_urlsafe(32),
        expires=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    defer_on_commit(invitation_send, invitation_id=invitation.pk)
    return invitation


def invitation_accept(*, key: str, username: str, password: str):
    """Turn a pending invitation into an account; a key works once."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(key=key, accepted__isnull=True, expires__gt=timezone.now())
            .first()
        )
        if invitation is None:
            raise ValidationError({NON_FIELD_ERRORS: _("This invitation link is no longer valid.")})
        user = member_create(
            username=username, email=invitation.email, password=password, role=invitation.role
        )
        invitation.accepted = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted", "accepted_by"])
    return user


def space_create(*, name: str, slug: str, description: str = "") -> Space:
    """Add an audience space at the end of the network's list."""
    position = (Space.objects.aggregate(m=Max("position"))["m"] or 0) + 1
    return Space.objects.create(name=name, slug=slug, description=description, position=position)


def charter_publish(*, title: str, body: str) -> Charter:
    """Publish a new version of the charter; earlier versions stay for the record."""
    with transaction.atomic():
        # The table lock makes concurrent publications take successive versions.
        latest = Charter.objects.select_for_update().aggregate(m=Max("version"))["m"] or 0
        return Charter.objects.create(version=latest + 1, title=title, body=body)
