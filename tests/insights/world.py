"""Members in bulk for the statistics' tests: a few inserts, whatever their number."""

import itertools
from datetime import date

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.utils import timezone

from tenant_apps.insights.engine import Params, params_clean
from tenant_apps.members.models import Consent, Member, Pathology, ProfileType, Role

User = get_user_model()
_numbers = itertools.count()


def people(
    n: int,
    *,
    department: str = "",
    profile_type: str = ProfileType.PATIENT,
    consent: bool = True,
    pathologies: tuple[Pathology, ...] = (),
) -> list[Member]:
    """``n`` members stating a département and profile; consenting to statistics unless not."""
    numbers = [next(_numbers) for _ in range(n)]
    users = User.objects.bulk_create(
        [User(username=f"Stat{k}", email=f"stat{k}@example.org") for k in numbers]
    )
    members = Member.objects.bulk_create(
        [Member(user=u, department=department, profile_type=profile_type) for u in users]
    )
    if consent:
        Consent.objects.bulk_create(
            [Consent(member=m, kind=Consent.Kind.STATISTICS) for m in members]
        )
    through = Member.pathologies.through
    through.objects.bulk_create(
        [through(member_id=m.pk, pathology_id=p.pk) for m in members for p in pathologies]
    )
    return members


def admin_in_bulk() -> Member:
    """An admin with their second factor, written directly (no plan's seat is taken)."""
    member = people(1, consent=False)[0]
    Member.objects.filter(pk=member.pk).update(role=Role.ADMIN)
    TOTP.activate(member.user, generate_totp_secret())
    return Member.objects.select_related("user").get(pk=member.pk)


def params(**choices) -> Params:
    defaults = {
        "measure": "members",
        "dimensions": ("region", "profile_type"),
        "period_start": date(timezone.localdate().year, 1, 1),
        "period_end": timezone.localdate(),
        "threshold": 10,
        "epsilon": "1",
    }
    return params_clean(**{**defaults, **choices})
