"""Accounts as the tests need them: a pseudonym, a role, a profile type; staff already have
their second factor, as the middleware requires."""

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tenant_apps.members import services as members
from tenant_apps.members.models import ProfileType, Role

PASSWORD = "un-long-secret-42"


def account(username: str, role: str = Role.MEMBER, profile_type: str = ProfileType.PATIENT,
            **fields):  # fmt: skip
    """A verified account of the current network; its email is ``<pseudonym>@example.org``."""
    user = members.member_create(
        username=username,
        email=f"{username.lower()}@example.org",
        password=PASSWORD,
        role=role,
        profile_type=profile_type,
        **fields,
    )
    if role != Role.MEMBER:
        TOTP.activate(user, generate_totp_secret())
    return user
