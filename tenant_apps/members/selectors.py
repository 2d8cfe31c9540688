from django.http import Http404
from django.utils import timezone

from tenant_apps.members.models import Charter, Invitation, Space


def spaces_list() -> list[Space]:
    return list(Space.objects.all())


def charter_current() -> Charter | None:
    return Charter.objects.first()


def access_invitation(key: str) -> Invitation:
    """A pending invitation of this network; any other key is a 404."""
    invitation = Invitation.objects.filter(
        key=key, accepted__isnull=True, expires__gt=timezone.now()
    ).first()
    if invitation is None:
        raise Http404
    return invitation
