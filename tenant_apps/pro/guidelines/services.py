"""Writes of working groups and regional guidelines. Who may call what is decided by
``access`` in the views; the services check the state (one draft at a time, the latest
version validated, a future validity date)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.markup import render_markdown
from core.search import searchable
from tenant_apps.members.models import Member
from tenant_apps.members.services import audit
from tenant_apps.pro.access import is_verified
from tenant_apps.pro.models import (
    Guideline,
    GuidelineSection,
    GuidelineVersion,
    WorkingGroup,
    WorkingGroupMember,
)

# A validated version is in force for this long unless the coordinator sets another date.
VALIDITY_YEARS = 3
MAX_SECTIONS = 40
Role = WorkingGroupMember.Role


def _today() -> date:
    return timezone.localdate()


# Addresses of /referentiels/ that a guideline's slug must not take.
RESERVED_SLUGS = frozenset({"groupes"})


def _unique_slug(model, text: str, length: int) -> str:
    base = slugify(text)[: length - 4] or "ref"
    if base in RESERVED_SLUGS:
        base = f"ref-{base}"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def group_create(*, actor: Member, name: str, organ: str, description: str = "") -> WorkingGroup:
    """Create a working group (admins)."""
    group = WorkingGroup(name=name, organ=organ, description=description)
    group.slug = _unique_slug(WorkingGroup, name, 60)
    group.full_clean()
    group.save()
    audit(actor=actor, action="pro_wg_create", group=group.pk)
    return group


@transaction.atomic
def group_member_name(
    *, actor: Member, group: WorkingGroup, member: Member, role: str = Role.MEMBER
) -> WorkingGroupMember:
    """Name a verified professional to a group, or change their role; naming a new
    coordinator makes the previous one a plain member (one coordinator per group)."""
    if role not in Role.values:
        raise ValidationError({"role": [_("Choose a role from the list.")]})
    if not is_verified(member):
        raise ValidationError({"member": [_("Only a verified professional can be named.")]})
    # Lock the group so that two admins naming coordinators at once wait for each other.
    WorkingGroup.objects.select_for_update().get(pk=group.pk)
    if role == Role.COORDINATOR:
        WorkingGroupMember.objects.filter(group=group, role=Role.COORDINATOR).exclude(
            member=member
        ).update(role=Role.MEMBER)
    named, _created = WorkingGroupMember.objects.update_or_create(
        group=group, member=member, defaults={"role": role, "named_by": actor}
    )
    audit(actor=actor, action="pro_wg_name", target=member, group=group.pk, role=role)
    return named


@transaction.atomic
def group_member_remove(*, actor: Member, group: WorkingGroup, member: Member) -> None:
    """Take a member out of a group (admins)."""
    deleted, _rows = WorkingGroupMember.objects.filter(group=group, member=member).delete()
    if deleted:
        audit(actor=actor, action="pro_wg_remove", target=member, group=group.pk)


def _clean_sections(sections: list[dict]) -> list[dict]:
    kept = [
        {"title": s["title"].strip(), "body": s["body"].strip()}
        for s in sections
        if s.get("title", "").strip() or s.get("body", "").strip()
    ]
    if not kept:
        raise ValidationError({"sections": [_("Write at least one section.")]})
    if len(kept) > MAX_SECTIONS:
        raise ValidationError({"sections": [_("At most 40 sections.")]})
    for section in kept:
        if not section["title"] or not section["body"]:
            raise ValidationError({"sections": [_("Each section needs a title and a text.")]})
        if len(section["title"]) > 200 or len(section["body"]) > 60000:
            raise ValidationError({"sections": [_("A section is too long.")]})
    return kept


def _write_sections(version: GuidelineVersion, sections: list[dict]) -> None:
    version.sections.all().delete()
    GuidelineSection.objects.bulk_create(
        GuidelineSection(
            version=version,
            position=position,
            title=s["title"],
            body=s["body"],
            body_html=render_markdown(s["body"], top_heading=3),
        )  # fmt: skip
        for position, s in enumerate(sections)
    )


@transaction.atomic
def guideline_create(
    *,
    author: Member,
    group: WorkingGroup,
    title: str,
    organ: str,
    visibility: str,
    sections: list[dict],
    change_summary: str = "",
) -> Guideline:
    """A new guideline of a group, with its first version to validate."""
    kept = _clean_sections(sections)
    guideline = Guideline(group=group, title=title, organ=organ, visibility=visibility)
    guideline.slug = _unique_slug(Guideline, title, 80)
    guideline.full_clean()
    guideline.save()
    version = GuidelineVersion.objects.create(
        guideline=guideline, number=1, change_summary=change_summary
    )
    version.authors.add(author)
    _write_sections(version, kept)
    return guideline


@transaction.atomic
def version_save(
    *, author: Member, guideline: Guideline, sections: list[dict], change_summary: str
) -> GuidelineVersion:
    """Write the next version: a new one after a validated version, or the draft that waits
    for validation, edited in place (one draft at a time); its authors accumulate."""
    kept = _clean_sections(sections)
    if len(change_summary) > 2000:
        raise ValidationError({"change_summary": [_("At most 2000 characters.")]})
    locked = Guideline.objects.select_for_update().get(pk=guideline.pk)
    latest = locked.versions.order_by("-number").first()
    if latest is not None and latest.validated_at is None:
        version = latest
        version.change_summary = change_summary
        version.save(update_fields=["change_summary"])
    else:
        number = (locked.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version = GuidelineVersion.objects.create(
            guideline=locked, number=number, change_summary=change_summary
        )
    version.authors.add(author)
    _write_sections(version, kept)
    return version


def _search_document(guideline: Guideline, version: GuidelineVersion) -> str:
    parts = [guideline.title, guideline.organ, guideline.group.name]
    for section in version.sections.all():
        parts += [section.title, section.body]
    return searchable("\n".join(parts))


@transaction.atomic
def version_validate(
    *, actor: Member, version: GuidelineVersion, valid_until: date | None = None
) -> Guideline:
    """The coordinator validates the latest version: it is in force until ``valid_until``
    (by default three years from today)."""
    guideline = (
        Guideline.objects.select_for_update().select_related("group").get(pk=version.guideline_id)
    )
    version = GuidelineVersion.objects.select_for_update().get(pk=version.pk)
    if version.validated_at is not None:
        raise ValidationError({"valid_until": [_("This version is already validated.")]})
    if guideline.versions.filter(number__gt=version.number).exists():
        raise ValidationError({"valid_until": [_("Only the latest version can be validated.")]})
    valid_until = valid_until or valid_until_default()
    if valid_until <= _today():
        raise ValidationError({"valid_until": [_("Choose a date in the future.")]})
    version.validated_by, version.validated_at = actor, timezone.now()
    version.save(update_fields=["validated_by", "validated_at"])
    guideline.current_version = version
    guideline.status = Guideline.Status.VALID
    guideline.valid_until = valid_until
    guideline.search_document = _search_document(guideline, version)
    guideline.save(update_fields=["current_version", "status", "valid_until", "search_document",
                                  "updated"])  # fmt: skip
    audit(actor=actor, action="pro_guideline_validate", guideline=guideline.pk,
          version=version.number)  # fmt: skip
    return guideline


@transaction.atomic
def validity_set(*, actor: Member, guideline: Guideline, valid_until: date) -> Guideline:
    """The coordinator moves the validity date of the version in force; a future date puts a
    guideline being revised back in force."""
    locked = Guideline.objects.select_for_update().get(pk=guideline.pk)
    if locked.current_version_id is None:
        raise ValidationError({"valid_until": [_("No version is validated yet.")]})
    if valid_until <= _today():
        raise ValidationError({"valid_until": [_("Choose a date in the future.")]})
    locked.valid_until = valid_until
    locked.status = Guideline.Status.VALID
    locked.save(update_fields=["valid_until", "status", "updated"])
    audit(actor=actor, action="pro_guideline_validity", guideline=locked.pk)
    return locked


def guidelines_expire(*, today: date | None = None) -> int:
    """Guidelines in force whose validity date has passed become "being revised"; running it
    again changes nothing. How many changed."""
    today = today or _today()
    return Guideline.objects.filter(status=Guideline.Status.VALID, valid_until__lt=today).update(
        status=Guideline.Status.REVISING, updated=timezone.now()
    )


def valid_until_default() -> date:
    """Three years from today (the 28th of February for a 29th)."""
    today = _today()
    if (today.month, today.day) == (2, 29):
        today -= timedelta(days=1)
    return today.replace(year=today.year + VALIDITY_YEARS)
