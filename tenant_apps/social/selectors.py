"""Reads of experiences, their comments and reactions, always through ``access`` (the one
rule). The home feed (social.feed), the pages and the API use these."""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Q, QuerySet
from django.http import Http404

from tenant_apps.forums.models import Reaction
from tenant_apps.members.models import Member
from tenant_apps.social import access
from tenant_apps.social.models import Experience, ExperienceComment, ExperienceReaction

PAGE_SIZE = 20


@dataclass(frozen=True)
class Cursor:
    """Where a page of experiences starts: after (created, id), newest first."""

    created: datetime
    pk: int

    def __str__(self) -> str:
        return f"{int(self.created.timestamp() * 1_000_000)}-{self.pk}"

    @classmethod
    def parse(cls, text: str | None) -> "Cursor | None":
        """A cursor from the query string; anything malformed is a missing page (404)."""
        if not text:
            return None
        micros, _dash, pk = text.partition("-")
        if not (micros.isdigit() and pk.isdigit()) or len(micros) > 20 or len(pk) > 19:
            raise Http404
        try:
            created = datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC)
        except (OverflowError, OSError, ValueError) as error:
            raise Http404 from error
        return cls(created=created, pk=int(pk))


def experiences_visible(member: Member | None) -> QuerySet[Experience]:
    """Experiences this member may read, with their authors, newest first."""
    return (
        Experience.objects.visible_to(member)
        .select_related("author__user")
        .order_by("-created", "-id")
    )


def experiences_page(
    member: Member | None,
    *,
    after: Cursor | None = None,
    where: Q | None = None,
    size: int = PAGE_SIZE,
) -> tuple[list[Experience], Cursor | None]:
    """One page of experiences (keyset on created, id) and the cursor of the next one.

    ``where`` narrows the list (an author's, the people someone follows), inside the rule."""
    found = experiences_visible(member)
    if where is not None:
        found = found.filter(where)
    if after is not None:
        found = found.filter(
            Q(created__lt=after.created) | Q(created=after.created, id__lt=after.pk)
        )
    rows = list(found[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    reactions_mark(member, rows)
    following = Cursor(rows[-1].created, rows[-1].pk) if more else None
    return rows, following


def experience_for(member: Member | None, pk: int) -> Experience:
    """An experience this member may read, with its reactions' state; else 404."""
    experience = access.experience_or_404(
        member, Experience.objects.select_related("author__user"), pk
    )
    reactions_mark(member, [experience])
    return experience


def experience_own(member: Member | None, pk: int) -> Experience:
    """The member's own experience (to edit or delete it); anything else is a 404."""
    experience = experience_for(member, pk)
    if member is None or experience.author_id != member.pk:
        raise Http404
    return experience


def comments_of(member: Member | None, experience: Experience) -> list[ExperienceComment]:
    """The comments of an experience this member reads (``experience_for`` checked it),
    oldest first."""
    return list(
        ExperienceComment.objects.visible_to(member)
        .filter(experience=experience)
        .select_related("author__user")
        .order_by("id")
    )


def comment_own(member: Member | None, pk: int) -> ExperienceComment:
    """The member's own comment (to edit or delete it), on an experience they still read."""
    comment = access.comment_or_404(
        member, ExperienceComment.objects.select_related("experience", "author__user"), pk
    )
    if member is None or comment.author_id != member.pk:
        raise Http404
    return comment


@dataclass(frozen=True)
class Shown:
    kind: str
    label: str
    count: int
    pressed: bool


def reactions_mark(member: Member | None, experiences: list[Experience]) -> None:
    """Give each experience ``reactions_shown``: the four kinds, their counts and whether
    this member pressed them (one query for the whole list)."""
    pressed: set[tuple[int, str]] = set()
    if member is not None and experiences:
        pressed = set(
            ExperienceReaction.objects.filter(
                member=member, experience__in=[e.pk for e in experiences]
            ).values_list("experience_id", "kind")
        )
    for experience in experiences:
        experience.reactions_shown = [  # type: ignore[attr-defined]
            Shown(
                kind=kind,
                label=str(label),
                count=getattr(experience, Experience.count_field(kind)),
                pressed=(experience.pk, kind) in pressed,
            )
            for kind, label in Reaction.Kind.choices
        ]


def experiences_of(member: Member) -> QuerySet[Experience]:
    """The member's own experiences (export, their profile)."""
    return Experience.objects.filter(author=member).order_by("id")
