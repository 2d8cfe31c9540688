"""Who writes events: admins through their role (tenant_apps/members/permissions.py), and
members an admin designated organizer (``Organizer``), registered at ``EventsConfig.ready()``
so that one ``has_permission`` answers for both, second factor included."""

from collections.abc import Iterable

from tenant_apps.events.access import WRITE
from tenant_apps.events.models import Organizer
from tenant_apps.members.models import Member
from tenant_apps.members.permissions import Designations

DESIGNATION_PERMISSIONS = {Organizer.Kind.ORGANIZER: frozenset({WRITE})}


def _kinds_of(member: Member) -> Iterable[str]:
    return Organizer.objects.filter(member=member).values_list("kind", flat=True)


DESIGNATIONS = Designations(permissions=DESIGNATION_PERMISSIONS, kinds_of=_kinds_of)
