"""Who counts as a professional in this network: the one rule every area of ``pro`` asks.

A member is a professional when they are an active member with an account
(``permissions.is_reader``) and either:
- an admin has verified them (``Member.verified_professional``, set and cleared only by
  ``tenant_apps.pro.verification.services``); or
- they are an admin of the network whose second factor is set up (the right
  ``members.network:configure``): admins run the professional spaces, name working groups
  and verify professionals, so they see what professionals see.

Moderators are not professionals by their role: in these networks they are patient
partners moderating the forums, and RCP cases, guidelines in progress and the like are not
for them unless an admin verified them as professionals too.

Anyone else gets the same 404 as for something that does not exist
(``professional_or_404``), and nothing changes.
"""

from django.http import Http404

from tenant_apps.members.models import Member
from tenant_apps.members.permissions import has_permission, is_reader

# Admins (with their second factor) see what professionals see.
STAFF = "members.network:configure"
# Deciding on verification requests and withdrawing a verification.
VERIFY = "members.member:manage"


def is_verified(member: Member | None) -> bool:
    """A verified professional, staff or not (the badge; speakers of events)."""
    return is_reader(member) and member.verified_professional


def is_professional(member: Member | None) -> bool:
    """A verified professional, or an admin with a second factor."""
    if not is_reader(member):
        return False
    return member.verified_professional or has_permission(member, STAFF)


def professional_or_404(member: Member | None) -> Member:
    """The member if they are a professional; else the 404 of what does not exist."""
    if member is None or not is_professional(member):
        raise Http404
    return member


def can_verify(member: Member | None) -> bool:
    """Admins (with their second factor) decide on requests and withdraw verifications."""
    return is_reader(member) and has_permission(member, VERIFY)
