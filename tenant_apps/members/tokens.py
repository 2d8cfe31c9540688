"""Personal access tokens for the network's API: made, listed and revoked from "My account",
sent by apps as ``Authorization: Bearer <token>``.

A token lives in its network's schema, like the account it belongs to: another network has
no such row and refuses it. Only its SHA-256 is stored; the secret is shown once. Staff (and
designated members) make one only with their authenticator app set up, by typing a current
code; other members confirm with their password. The token then carries the member's rights,
checked on every request as for a signed-in browser (``NetworkPermission``), and is refused
while the member is suspended or, for staff, while the second factor is missing.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tenant_apps.members import services
from tenant_apps.members.models import ApiToken, Member
from tenant_apps.members.permissions import (
    SECOND_FACTOR_ROLES,
    current_member,
    has_second_factor,
    second_factor_missing,
)

# Recognisable in a leaked file or a secret scanner; the rest is 256 random bits.
TOKEN_PREFIX = "ent_"  # noqa: S105 (a marker, not a secret)
# A member may keep this many live tokens: one per app or device is plenty.
MAX_ACTIVE_TOKENS = 10
# last_used is written at most this often: a token's requests do not each write a row.
LAST_USED_EVERY = timedelta(minutes=5)


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def confirmation_kind(member: Member) -> str:
    """What a member types to make a token: ``"totp"`` when they have an authenticator app
    (always so for staff), else ``"password"``."""
    return "totp" if has_second_factor(member) else "password"


def api_tokens_of(member: Member) -> QuerySet[ApiToken]:
    """The member's tokens, newest first, revoked ones included (they say when)."""
    return ApiToken.objects.filter(member=member).order_by("-created", "-pk")


def _confirm(member: Member, confirmation: str) -> None:
    if second_factor_missing(member):
        raise ValidationError(
            _("Your role requires two-step sign-in: set up an authenticator app first."),
            code="second_factor_required",
        )
    if confirmation_kind(member) == "totp":
        authenticator = Authenticator.objects.get(
            user_id=member.user_id, type=Authenticator.Type.TOTP
        )
        if not TOTP(authenticator).validate_code(confirmation.strip()):
            raise ValidationError(
                {"confirmation": _("This code is not the one your app shows now.")},
                code="invalid_code",
            )
    elif member.user is None or not member.user.check_password(confirmation):
        raise ValidationError(
            {"confirmation": _("This is not your password.")}, code="invalid_password"
        )


@transaction.atomic
def api_token_create(*, member: Member, name: str, confirmation: str) -> NewToken:
    """Make a token for the member's apps, after checking who asks (code or password)."""
    _confirm(member, confirmation)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")}, code="required")
    # Locked, so that two requests at once cannot both pass the count.
    Member.objects.select_for_update(of=("self",)).filter(pk=member.pk).first()
    if api_tokens_of(member).filter(revoked__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You already have %(count)d tokens: revoke one you no longer use first.")
            % {"count": MAX_ACTIVE_TOKENS},
            code="too_many",
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        member=member, name=name[:80], prefix=secret[:10], digest=token_digest(secret)
    )
    return NewToken(token=token, secret=secret)


def access_api_token(member: Member, token_id: int) -> ApiToken:
    """One of the member's own tokens, or the 404 of a missing page."""
    token = api_tokens_of(member).filter(pk=token_id).first()
    if token is None:
        raise Http404
    return token


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Refuse the token from now on (revoking twice keeps the first date)."""
    ApiToken.objects.filter(pk=token.pk, revoked__isnull=True).update(revoked=timezone.now())
    token.refresh_from_db(fields=["revoked"])
    return token


def api_token_authenticate(secret: str) -> Member | None:
    """The member a presented token stands for in this network, or None: unknown here,
    revoked, its member suspended or erased, or staff without their second factor."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.select_related("member__user")
        .filter(digest=token_digest(secret), revoked__isnull=True)
        .first()
    )
    if token is None or token.member.user is None:
        return None
    member, user = token.member, token.member.user
    if (
        member.status == Member.Status.SUSPENDED
        and member.suspended_until
        and member.suspended_until <= timezone.now()
    ):
        services.member_suspension_lapse(member=member)
    if current_member(user) is None or not user.is_active:
        return None
    if member.role in SECOND_FACTOR_ROLES and not has_second_factor(member):
        return None
    now = timezone.now()
    if token.last_used is None or token.last_used < now - LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    services.member_seen(member=member, now=now)
    return member
