"""What the forums ask of moderation while a post is written: opening queue cases, alerting
the moderators on duty of a crisis, and the help lines shown to its author.

This module sits below the forums (see the "features" contract in pyproject.toml): it never
imports them, so the forums call it while moderators' actions on posts, in ``services``,
call the forums' services.
"""

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from core.jobs import defer_on_commit
from tenant_apps.moderation.jobs import crisis_alert_send
from tenant_apps.moderation.models import Case, CrisisResource
from tenant_apps.moderation.screening import Screening

if TYPE_CHECKING:
    from tenant_apps.forums.models import Post


def case_open(*, post: "Post", kind: str, detail: str = "") -> tuple[Case, bool]:
    """The post's open case of this kind, opened if there is none yet; True when opened."""
    try:
        with transaction.atomic():
            return Case.objects.get_or_create(
                post=post,
                kind=kind,
                status=Case.Status.OPEN,
                defaults={"priority": Case.PRIORITY[kind], "detail": detail[:300]},
            )
    except IntegrityError:
        # Opened meanwhile by a concurrent request: the constraint keeps one.
        return Case.objects.get(post=post, kind=kind, status=Case.Status.OPEN), False


def post_screened(*, post: "Post", screening: Screening) -> None:
    """Open the queue cases a just-saved post calls for; a crisis alerts on-duty moderators.

    A post the screening held back waits for approval: the forums saved it as held.
    """
    if screening.crisis:
        case, opened = case_open(post=post, kind=Case.Kind.CRISIS)
        if opened:
            defer_on_commit(crisis_alert_send, case_id=case.pk)
    if screening.held:
        # An empty detail means the author is a new member whose first posts wait.
        case_open(post=post, kind=Case.Kind.HELD, detail=", ".join(screening.held_by))
    if screening.flagged_by:
        case_open(post=post, kind=Case.Kind.FLAGGED, detail=", ".join(screening.flagged_by))


def crisis_resources_list() -> list[CrisisResource]:
    """The network's help lines, in their order."""
    return list(CrisisResource.objects.all())
