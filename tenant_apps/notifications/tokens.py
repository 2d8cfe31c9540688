"""The signed unsubscribe link: works without signing in, only in the network it names."""

import uuid

from django.core import signing
from django.db import connection
from django.http import Http404

from tenant_apps.members.models import Member

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def unsubscribe_token(*, member: Member) -> str:
    """A signed token naming the member (by their anonymous id) and this network's schema."""
    return signing.dumps(
        {"m": str(member.anonymous_id), "s": connection.schema_name}, salt=UNSUBSCRIBE_SALT
    )


def access_unsubscribe(token: str) -> Member:
    """The member a token names in this network; tampered, foreign or erased → 404."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise Http404 from error
    if not isinstance(data, dict) or data.get("s") != connection.schema_name:
        raise Http404
    try:
        anonymous_id = uuid.UUID(str(data.get("m")))
    except ValueError as error:
        raise Http404 from error
    member = Member.objects.filter(
        anonymous_id=anonymous_id, erased__isnull=True, user__isnull=False
    ).first()
    if member is None:
        raise Http404
    return member
