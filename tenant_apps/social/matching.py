""" "People like me": who opted in, and whom a member may be suggested.

The rule, the only copy of it (page, API and seeds ask here):

- Only members who opted in (``SocialSettings.matching``, off by default) see suggestions
  and are suggested; opting out removes a member from every list at once (the lists are
  computed on each request, nothing is stored).
- A suggestion shares at least one pathology with the member, is active, not erased, not
  the member, and neither blocked the other.
- The région counts only with both members' consent: a pair matches when neither asked for
  "only my région", or when both did and live in the same région (from their départements,
  core.geo). One who asked for it is never shown to, nor shown, a member from elsewhere or a
  member who did not consent to their région being used.
- Only coarse attributes leave this module: pseudonym, the shared pathologies, and the
  région when both asked for it. Never a commune, an age or free text.
- A list is shown only when at least ``MINIMUM`` members match, so nobody is singled out;
  below that, no list and no count.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet

from core import geo
from tenant_apps.members.models import Member
from tenant_apps.social.models import SocialSettings
from tenant_apps.social.relations import blocked_ids_query, reachable_members

MINIMUM = 5
# A page shows this many; the rest are not needed to meet people like me.
SHOWN = 30


@dataclass(frozen=True)
class Suggestion:
    member_id: int
    pseudonym: str
    shared_pathologies: list[str]
    region: str  # empty unless both members asked for the same région


@dataclass(frozen=True)
class Suggestions:
    """``shown`` is False below ``MINIMUM`` matches (or when the member has not opted in):
    then ``items`` is empty and ``reason`` says why, calmly."""

    shown: bool
    items: list[Suggestion]
    reason: str = ""  # "not_opted_in", "no_pathology", "no_region", "too_few"


def settings_of(member: Member) -> SocialSettings:
    """A member's social choices (an unsaved default row before they first choose)."""
    found = SocialSettings.objects.filter(member=member).first()
    return found or SocialSettings(member=member)


@transaction.atomic
def matching_settings_update(
    *, member: Member, matching: bool, matching_same_region: bool
) -> SocialSettings:
    """Opt in or out of the suggestions, and choose whether they need the same région."""
    chosen, _created = SocialSettings.objects.update_or_create(
        member=member,
        defaults={"matching": matching, "matching_same_region": matching_same_region},
    )
    return chosen


def _region_departments(department: str) -> list[str]:
    region = geo.DEPARTMENT_REGION.get(department)
    if region is None:
        return []
    return [code for code, _name in geo.REGIONS[region][1]]


def candidates(member: Member, chosen: SocialSettings, mine: list[int]) -> QuerySet[Member]:
    """Everyone who may be suggested to ``member`` (opted in themself) for their pathologies
    ``mine``, with ``shared`` (how many pathologies in common)."""
    people = (
        reachable_members()
        .filter(social_settings__matching=True, pathologies__in=mine)
        .exclude(pk=member.pk)
        .exclude(pk__in=blocked_ids_query(member))
    )
    if chosen.matching_same_region:
        people = people.filter(
            social_settings__matching_same_region=True,
            department__in=_region_departments(member.department),
        )
    else:
        people = people.filter(social_settings__matching_same_region=False)
    return people.annotate(shared=Count("pathologies", filter=Q(pathologies__in=mine)))


def suggestions_for(member: Member, *, size: int = SHOWN) -> Suggestions:
    """The members suggested to ``member``, most pathologies in common first; no list
    below ``MINIMUM`` (constant number of queries)."""
    chosen = settings_of(member)
    if not chosen.matching:
        return Suggestions(False, [], "not_opted_in")
    mine = {p.pk: p.name for p in member.pathologies.all()}
    if not mine:
        return Suggestions(False, [], "no_pathology")
    if chosen.matching_same_region and not _region_departments(member.department):
        return Suggestions(False, [], "no_region")
    people = candidates(member, chosen, list(mine))
    # One row per member (the annotation groups the pathology join by member).
    if people.count() < MINIMUM:
        return Suggestions(False, [], "too_few")
    rows = list(
        people.select_related("user")
        .prefetch_related("pathologies")
        .order_by(F("shared").desc(), "-pk")[:size]
    )
    region = geo.region_name(member.department) if chosen.matching_same_region else ""
    items = [
        Suggestion(
            member_id=person.pk,
            pseudonym=person.display_name,  # an active member's pseudonym
            shared_pathologies=sorted(mine[p.pk] for p in person.pathologies.all() if p.pk in mine),
            region=region,
        )
        for person in rows
    ]
    return Suggestions(True, items)
