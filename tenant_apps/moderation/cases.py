"""What the forums and the social layer ask of moderation while a member writes: opening
queue cases, alerting the moderators on duty of a crisis, and the help lines shown to its
author.

This module sits below the forums (see the "features" contract in pyproject.toml): it never
imports them, so the forums call it while moderators' actions on posts, in ``services``,
call the forums' services.
"""

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Model

from core.jobs import defer_on_commit
from tenant_apps.moderation.jobs import crisis_alert_send
from tenant_apps.moderation.models import CASE_TARGETS, Case, CrisisResource
from tenant_apps.moderation.screening import Screening

if TYPE_CHECKING:
    from tenant_apps.forums.models import Post


def case_target(target: Model) -> dict[str, Any]:
    """The Case field that points at ``target`` (a post, an experience, a comment…), as
    keyword arguments for a filter or a create."""
    name = {Case._meta.get_field(field).related_model: field for field in CASE_TARGETS}.get(
        type(target)
    )
    if name is None:
        raise TypeError(f"a moderation case cannot target a {type(target).__name__}")
    return {name: target}


def case_open(
    *, kind: str, detail: str = "", target: Model | None = None, post: "Post | None" = None
) -> tuple[Case, bool]:
    """The target's open case of this kind, opened if there is none yet; True when opened.

    ``post=`` is the forums' older spelling of ``target=``.
    """
    on = case_target(target if target is not None else post)  # type: ignore[arg-type]
    try:
        with transaction.atomic():
            return Case.objects.get_or_create(
                **on,
                kind=kind,
                status=Case.Status.OPEN,
                defaults={"priority": Case.PRIORITY[kind], "detail": detail[:300]},
            )
    except IntegrityError:
        # Opened meanwhile by a concurrent request: the constraint keeps one.
        return Case.objects.get(**on, kind=kind, status=Case.Status.OPEN), False


def screened(*, target: Model, screening: Screening) -> None:
    """Open the queue cases a just-saved text calls for (a post, an experience, a comment…);
    a crisis alerts on-duty moderators.

    A text the screening held back waits for approval: its app saved it as held.
    """
    if screening.crisis:
        case, opened = case_open(target=target, kind=Case.Kind.CRISIS)
        if opened:
            defer_on_commit(crisis_alert_send, case_id=case.pk)
    if screening.held:
        # An empty detail means the author is a new member whose first posts wait.
        case_open(target=target, kind=Case.Kind.HELD, detail=", ".join(screening.held_by))
    if screening.flagged_by:
        case_open(target=target, kind=Case.Kind.FLAGGED, detail=", ".join(screening.flagged_by))


def post_screened(*, post: "Post", screening: Screening) -> None:
    """``screened`` for a forum post."""
    screened(target=post, screening=screening)


def crisis_resources_list() -> list[CrisisResource]:
    """The network's help lines, in their order."""
    return list(CrisisResource.objects.all())
