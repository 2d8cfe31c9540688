"""Reads of working groups and guidelines: the list by organ or theme with the French
search, a guideline's versions, a version's differences with the previous one. What comes
back is what ``access`` lets the member read."""

import difflib
import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchRank, SearchVector
from django.db.models import F, Prefetch, QuerySet

from core.search import CONFIG, query
from tenant_apps.members.models import Member
from tenant_apps.pro.guidelines import access
from tenant_apps.pro.models import (
    Guideline,
    GuidelineSection,
    GuidelineVersion,
    WorkingGroup,
    WorkingGroupMember,
)

# The list shows at most this many guidelines (a network has tens of them, not thousands).
LIST_CAP = 200


def guideline_list(member: Member | None, *, organ: str = "", q: str = "") -> QuerySet[Guideline]:
    """The guidelines the member may read, by organ then title, or by relevance when
    searching (French, accent-insensitive)."""
    found = access.guidelines_visible_to(member).select_related("group", "current_version")
    if organ:
        found = found.filter(organ=organ)
    if q.strip():
        search = query(q)
        vector = SearchVector(F("search_document"), config=CONFIG)
        found = (
            found.annotate(vector=vector)
            .filter(vector=search)
            .annotate(rank=SearchRank(F("vector"), search))
            .order_by("-rank", "title", "pk")
        )
    else:
        found = found.order_by("organ", "title", "pk")
    return found.defer("search_document")[:LIST_CAP]


def organs(member: Member | None) -> list[str]:
    return list(
        access.guidelines_visible_to(member).order_by("organ").values_list("organ", flat=True)
        .distinct()
    )  # fmt: skip


def versions(member: Member | None, guideline: Guideline) -> list[GuidelineVersion]:
    return list(
        access.versions_visible_to(member, guideline)
        .select_related("validated_by__user")
        .prefetch_related(Prefetch("authors", queryset=Member.objects.select_related("user")))
        .order_by("-number")
    )


def sections(version: GuidelineVersion) -> list[GuidelineSection]:
    return list(version.sections.order_by("position"))


def groups(member: Member | None) -> list[WorkingGroup]:
    return list(access.groups_visible_to(member).order_by("name"))


def group_members(group: WorkingGroup) -> list[WorkingGroupMember]:
    return list(
        group.memberships.select_related("member__user").order_by("role", "member__pk")
    )  # the coordinator first ("coordinator" < "member")


def group_guidelines(member: Member | None, group: WorkingGroup) -> list[Guideline]:
    return list(
        access.guidelines_visible_to(member).filter(group=group).select_related("current_version")
        .order_by("title")
    )  # fmt: skip


# --- Differences between a version and the previous one -------------------------------------

_TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass
class SectionDiff:
    title: str
    # "added", "removed", "changed" or "same".
    state: str
    # (operation, text) pieces: "equal", "insert", "delete".
    pieces: list[tuple[str, str]] = field(default_factory=list)
    previous_title: str = ""


def _pieces(before: str, after: str) -> list[tuple[str, str]]:
    old, new = _TOKEN.findall(before), _TOKEN.findall(after)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("equal", "".join(old[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(("delete", "".join(old[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(("insert", "".join(new[j1:j2])))
    return pieces


def section_diff(
    previous: list[GuidelineSection], current: list[GuidelineSection]
) -> list[SectionDiff]:
    """Sections matched by title (else by position), their text compared word by word."""
    by_title = {s.title: s for s in previous}
    used: set[int] = set()
    result = []
    for index, section in enumerate(current):
        before = by_title.get(section.title)
        if (
            before is None
            and index < len(previous)
            and previous[index].title not in {s.title for s in current}
        ):
            before = previous[index]
        if before is None or before.pk in used:
            result.append(SectionDiff(section.title, "added", [("insert", section.body)]))
            continue
        used.add(before.pk)
        state = (
            "same" if (before.body, before.title) == (section.body, section.title) else "changed"
        )
        result.append(
            SectionDiff(section.title, state, _pieces(before.body, section.body), before.title)
        )
    for before in previous:
        if before.pk not in used:
            result.append(SectionDiff(before.title, "removed", [("delete", before.body)]))
    return result


def version_diff(version: GuidelineVersion) -> tuple[GuidelineVersion | None, list[SectionDiff]]:
    """The version before this one and what changed since (every section added for v1)."""
    previous = (
        GuidelineVersion.objects.filter(
            guideline_id=version.guideline_id, number__lt=version.number
        )
        .order_by("-number")
        .first()
    )
    before = sections(previous) if previous else []
    return previous, section_diff(before, sections(version))
