"""Who may read a statistics release: the only definition of it.

- The association's admins (``insights.release:publish``, with their second factor) read
  every release of their network, drafts included, and build them.
- Anyone, signed in or not, reads one *published* release through its share link while the
  association shares it (``shared``), and nothing else: not its drafts, not another release.
- Nobody else reads anything; missing and forbidden answer the same 404.
"""

from django.db.models import QuerySet
from django.http import Http404

from tenant_apps.insights.models import Release
from tenant_apps.members.models import Member
from tenant_apps.members.permissions import has_permission, is_reader

PERMISSION = "insights.release:publish"
# A share token's length (models.share_token): anything else is not looked up.
TOKEN_MAX = 64


def can_build(member: Member | None) -> bool:
    """Whether a member builds, previews, publishes and shares releases (admins)."""
    return is_reader(member) and has_permission(member, PERMISSION)


def releases_visible_to(member: Member | None) -> QuerySet[Release]:
    """Every release of the network for an admin; none for anyone else."""
    if not can_build(member):
        return Release.objects.none()
    return Release.objects.all()


def release_or_404(member: Member | None, pk: int | str) -> Release:
    """A release an admin may read (and act on), or 404."""
    try:
        return releases_visible_to(member).get(pk=int(pk))
    except (Release.DoesNotExist, ValueError, TypeError, OverflowError) as missing:
        raise Http404 from missing


def shared_release_or_404(token: str) -> Release:
    """The published, shared release of a share link, or 404 (unknown, unshared, draft)."""
    if not token or len(token) > TOKEN_MAX:
        raise Http404
    release = Release.objects.filter(
        share_token=token, shared=True, status=Release.Status.PUBLISHED
    ).first()
    if release is None:
        raise Http404
    return release
