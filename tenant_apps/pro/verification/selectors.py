"""Reads for verification: the member's own requests, the admins' queue, the verified list."""

from django.db.models import QuerySet
from django.http import Http404

from tenant_apps.members.models import Member
from tenant_apps.pro.access import can_verify
from tenant_apps.pro.models import VerificationRequest

Status = VerificationRequest.Status
QUEUE_SIZE = 100


def own_requests(member: Member) -> list[VerificationRequest]:
    """The member's own requests, newest first (their history with its reasons)."""
    return list(VerificationRequest.objects.filter(member=member).order_by("-created", "-pk")[:20])


def pending_requests(admin: Member) -> list[VerificationRequest]:
    """The queue of requests awaiting review, oldest first; admins only."""
    if not can_verify(admin):
        return []
    return list(
        VerificationRequest.objects.filter(
            status=Status.PENDING, member__status=Member.Status.ACTIVE
        )
        .select_related("member__user")
        .order_by("created", "pk")[:QUEUE_SIZE]
    )


def verified_members(admin: Member) -> QuerySet[Member]:
    if not can_verify(admin):
        return Member.objects.none()
    return (
        Member.objects.filter(verified_professional=True)
        .select_related("user")
        .order_by("user__username")
    )


def pending_request_or_404(admin: Member, request_id: int) -> VerificationRequest:
    """A pending request, for an admin; 404 for anyone else and for a decided one."""
    if not can_verify(admin):
        raise Http404
    found = (
        VerificationRequest.objects.filter(pk=request_id, status=Status.PENDING)
        .select_related("member__user")
        .first()
    )
    if found is None:
        raise Http404
    return found
