"""Writes of the anonymous statistics: drafts, preview, publication, sharing, listing.

Only admins (``access.can_build``) call these; each checks it again, so a page or the API
cannot forget. Publishing freezes the result and spends the year's privacy budget in the
same transaction, under a lock on the budget's row: two publications at once cannot spend
more than the budget, and the one that would is refused with a message that says so.

A preview spends nothing, so it counts nothing: it shows the table's shape (its rows and
columns come from the network's lists, not from the data), the noise's margin and the budget.
Which values are hidden depends on the counts, so it is decided only at publication: a
preview that told it would let an admin find a count by trying thresholds.
"""

import dataclasses
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import defer_on_commit
from tenant_apps.insights import access, engine, selectors
from tenant_apps.insights.engine import Params, params_clean, params_from_json
from tenant_apps.insights.models import BudgetSpend, PrivacyBudget, Release
from tenant_apps.members.models import Member
from tenant_apps.members.services import audit

__all__ = [
    "Params",
    "Preview",
    "params_clean",
    "params_from_json",
    "release_draft_create",
    "release_draft_delete",
    "release_draft_update",
    "release_list_in_directory",
    "release_preview",
    "release_publish",
    "release_share",
]

# Deferred when a release's place in the platform directory changes (insights.jobs).
DIRECTORY_SYNC_JOB = "tenant_apps.insights.jobs.release_directory_sync"
TITLE_MAX = 200


def _require(member: Member | None) -> Member:
    if member is None or not access.can_build(member):
        raise Http404
    return member


def _title(title: str) -> str:
    title = " ".join((title or "").split())
    if any(ord(character) < 32 or ord(character) == 127 for character in title):
        raise ValidationError({"title": [_("A title cannot hold control characters.")]})
    if not title:
        raise ValidationError({"title": [_("Give the report a title.")]})
    if len(title) > TITLE_MAX:
        raise ValidationError(
            {"title": [_("A title has at most %(max)s characters.") % {"max": TITLE_MAX}]}
        )
    return title


# --- Preview -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Preview:
    """What a release would look like, without counting anything.

    Nothing in it depends on the data: not a count, not which values would be hidden (the
    threshold decides that from the counts, at publication only).
    """

    params: Params
    rows: list[dict[str, str]]
    columns: list[dict[str, str]]
    figures: int  # values in the table, totals included
    sensitivity: int
    scale: float
    margin_95: int
    budget: selectors.BudgetStatus
    # Why it could not be published now (the budget), or "".
    refusal: str

    @property
    def fits_budget(self) -> bool:
        return not self.refusal


def _budget_refusal(epsilon: Decimal, status: selectors.BudgetStatus) -> str:
    if status.allows(epsilon):
        return ""
    return _(
        "This report would spend ε = %(epsilon)s, but only %(left)s of the %(total)s allowed "
        "for %(year)s remain: the statistics of %(year)s would no longer protect the members "
        "who consented. Lower ε, or wait for next year's budget."
    ) % {
        "epsilon": epsilon,
        "left": status.left,
        "total": status.total,
        "year": status.year,
    }


def release_preview(*, member: Member, params: Params) -> Preview:
    """The shape of a release, its noise and the budget; counts nothing, spends nothing."""
    _require(member)
    shape = engine.shape(params)
    status = selectors.budget_status()
    return Preview(
        params=params,
        rows=shape.rows,
        columns=shape.columns,
        figures=shape.figures,
        sensitivity=shape.sensitivity,
        scale=shape.scale,
        margin_95=engine.margin_95(shape.scale),
        budget=status,
        refusal=_budget_refusal(params.epsilon, status),
    )


# --- Drafts ------------------------------------------------------------------------------------


def _apply(release: Release, *, title: str, params: Params) -> None:
    release.title = _title(title)
    release.measure = params.measure
    release.dimensions = list(params.dimensions)
    release.period_start = params.period_start
    release.period_end = params.period_end
    release.threshold = params.threshold
    release.epsilon = params.epsilon
    release.parameters = params.as_json()


def release_draft_create(*, member: Member, title: str, params: Params) -> Release:
    """Save an admin's choices as a draft to preview and publish later; no count is made."""
    _require(member)
    release = Release(created_by=member)
    _apply(release, title=title, params=params)
    release.save()
    return release


@transaction.atomic
def release_draft_update(
    *, member: Member, release: Release, title: str, params: Params
) -> Release:
    """Change a draft's title and choices; a published release never changes."""
    _require(member)
    release = Release.objects.select_for_update(of=("self",)).get(pk=release.pk)
    if release.status != Release.Status.DRAFT:
        raise ValidationError(_("A published report cannot be changed."))
    _apply(release, title=title, params=params)
    release.save()
    return release


@transaction.atomic
def release_draft_delete(*, member: Member, release: Release) -> None:
    """Delete a draft; a published release stays (its budget is spent)."""
    _require(member)
    deleted, _rows = Release.objects.filter(pk=release.pk, status=Release.Status.DRAFT).delete()
    if not deleted and Release.objects.filter(pk=release.pk).exists():
        raise ValidationError(_("A published report cannot be deleted."))


# --- Publication -------------------------------------------------------------------------------


def _budget_locked(year: int) -> PrivacyBudget:
    """The year's budget row, created if needed, locked until the transaction ends."""
    try:
        with transaction.atomic():
            PrivacyBudget.objects.get_or_create(
                year=year, defaults={"epsilon_total": selectors.budget_default()}
            )
    except IntegrityError:
        pass  # created by a concurrent publication meanwhile: lock theirs
    return PrivacyBudget.objects.select_for_update(of=("self",)).get(year=year)


# Not durable: the demo's seeds publish inside the transaction that seeds a network. The
# budget's lock is held until the outermost transaction ends, so the rule holds either way.
@transaction.atomic
def release_publish(
    *,
    member: Member,
    release: Release | None = None,
    title: str = "",
    params: Params | None = None,
    now: datetime | None = None,
) -> Release:
    """Count, hide, noise and freeze a release, and spend its ε from this year's budget.

    Give a draft (``release``), or ``title`` and ``params`` to publish at once. Refused with
    a ValidationError when the year's budget cannot pay for it, or when the draft is already
    published (a second click): nothing is spent twice.
    """
    _require(member)
    now = now or timezone.now()
    if release is None:
        if params is None:
            raise ValueError("release_publish needs a draft or params")
        release = Release(created_by=member)
        _apply(release, title=title, params=params)
        release.save()
    else:
        # Locks in one order: the release, then the budget.
        release = Release.objects.select_for_update(of=("self",)).get(pk=release.pk)
        if release.status != Release.Status.DRAFT:
            raise ValidationError(_("This report is already published."))
        params = params_from_json(release.parameters)
    budget = _budget_locked(selectors.budget_year(now))
    status = selectors.BudgetStatus(budget.year, budget.epsilon_total, budget.epsilon_spent)
    refusal = _budget_refusal(params.epsilon, status)
    if refusal:
        raise ValidationError({"epsilon": [refusal]})
    built = engine.build(params, now=now)
    release.result = built.as_json()
    release.parameters = built.parameters()
    release.status = Release.Status.PUBLISHED
    release.published_at = now
    release.save()
    budget.epsilon_spent += params.epsilon
    budget.save(update_fields=["epsilon_spent"])
    BudgetSpend.objects.create(budget=budget, release=release, epsilon=params.epsilon)
    audit(
        actor=member,
        action="insights.release_publish",
        release_id=release.pk,
        epsilon=str(params.epsilon),
        year=budget.year,
    )
    return release


# --- Leaving the network -----------------------------------------------------------------------


@transaction.atomic
def release_share(*, member: Member, release: Release, shared: bool) -> Release:
    """Turn a published release's share link on or off. Off also takes it out of the
    directory, whose entry points to that link."""
    _require(member)
    release = Release.objects.select_for_update(of=("self",)).get(pk=release.pk)
    if release.status != Release.Status.PUBLISHED:
        raise ValidationError(_("Only a published report can be shared."))
    if release.shared == shared:
        return release
    release.shared = shared
    fields = ["shared"]
    if not shared and release.listed_in_directory:
        release.listed_in_directory = False
        fields.append("listed_in_directory")
        defer_on_commit(DIRECTORY_SYNC_JOB, release_id=release.pk)
    release.save(update_fields=fields)
    audit(
        actor=member,
        action="insights.release_share" if shared else "insights.release_unshare",
        release_id=release.pk,
    )
    return release


@transaction.atomic
def release_list_in_directory(*, member: Member, release: Release, listed: bool) -> Release:
    """List a published release in the platform directory, or take it out.

    Listing shares it too (the directory links to the share page). The copy itself is made
    by the job ``DIRECTORY_SYNC_JOB`` (release id), deferred on commit: it copies the
    frozen release when it is listed and removes the copy otherwise, so it is safe to run
    twice and after any change.
    """
    _require(member)
    release = Release.objects.select_for_update(of=("self",)).get(pk=release.pk)
    if release.status != Release.Status.PUBLISHED:
        raise ValidationError(_("Only a published report can be listed in the directory."))
    if release.listed_in_directory == listed:
        return release
    release.listed_in_directory = listed
    fields = ["listed_in_directory"]
    if listed and not release.shared:
        release.shared = True
        fields.append("shared")
    release.save(update_fields=fields)
    audit(
        actor=member,
        action="insights.release_list" if listed else "insights.release_unlist",
        release_id=release.pk,
    )
    defer_on_commit(DIRECTORY_SYNC_JOB, release_id=release.pk)
    return release
