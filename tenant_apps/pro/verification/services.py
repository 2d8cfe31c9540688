"""Verification of health professionals: a member's request, an admin's decision, a later
withdrawal, and the professional's choice to show their real name.

These services alone set and clear the denormalised ``Member.verified_professional``,
``professional_title`` and ``real_name_shown``. Each decision is audited (members' audit
log) and the member is notified; the supporting document is deleted once the decision
commits.
"""

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.billing import limits as plan_limits
from tenant_apps.members.models import Member
from tenant_apps.members.services import audit
from tenant_apps.notifications.models import Notification
from tenant_apps.notifications.services import notification_create
from tenant_apps.pro.access import can_verify
from tenant_apps.pro.models import Profession, VerificationRequest
from tenant_apps.pro.verification.documents import document_clean, document_delete_on_commit

Status = VerificationRequest.Status


def _title(profession: str, specialty: str) -> str:
    label = str(Profession(profession).label)
    return f"{label} — {specialty}"[:150] if specialty else label[:150]


def verification_request_create(
    *,
    member: Member,
    profession: str,
    workplace: str,
    specialty: str = "",
    rpps: str = "",
    other_identifier: str = "",
    document: File | None = None,
) -> VerificationRequest:
    """A member asks to be recognised as a professional: one pending request at a time."""
    if member.user_id is None or member.status != Member.Status.ACTIVE:
        raise ValidationError({"profession": [_("This member cannot ask for a verification.")]})
    if member.verified_professional:
        raise ValidationError({"profession": [_("You are already a verified professional.")]})
    errors: dict[str, list[str]] = {}
    if profession not in Profession.values:
        errors["profession"] = [_("Choose your profession in the list.")]
    workplace = (workplace or "").strip()
    if not workplace:
        errors["workplace"] = [_("Say where you work.")]
    elif len(workplace) > 200:
        errors["workplace"] = [_("At most 200 characters.")]
    specialty = (specialty or "").strip()
    if len(specialty) > 120:
        errors["specialty"] = [_("At most 120 characters.")]
    rpps = (rpps or "").strip().replace(" ", "")
    other_identifier = (other_identifier or "").strip()
    if rpps and not (len(rpps) == 11 and rpps.isdigit()):
        errors["rpps"] = [_("An RPPS number has exactly 11 digits.")]
    if len(other_identifier) > 40:
        errors["other_identifier"] = [_("At most 40 characters.")]
    if not rpps and not other_identifier:
        errors["rpps"] = [_("Give your RPPS number, or another professional identifier.")]
    stored = None
    if document is not None:
        try:
            stored = document_clean(document)
            plan_limits.upload_check(adding_bytes=stored.size, field="document")
        except ValidationError as error:
            errors["document"] = error.messages
    if errors:
        raise ValidationError(errors)
    request = VerificationRequest(
        member=member, profession=profession, specialty=specialty, rpps=rpps,
        other_identifier=other_identifier, workplace=workplace,
    )  # fmt: skip
    try:
        with transaction.atomic():
            if stored is not None:
                request.document.save(stored.name or "document", stored, save=False)
            request.save()
    except IntegrityError as error:  # the partial unique index: a pending one exists
        if request.document:
            request.document.delete(save=False)
        raise ValidationError(
            _("Your request is already awaiting review."), code="pending"
        ) from error
    return request


def _locked_pending(request_id: int) -> VerificationRequest:
    found = (
        VerificationRequest.objects.select_for_update()
        .filter(pk=request_id, status=Status.PENDING)
        .first()
    )
    if found is None:
        raise ValidationError(_("This request was already decided."), code="decided")
    return found


def _decide(request: VerificationRequest, *, admin: Member, status: str, reason: str) -> None:
    if request.document:
        document_delete_on_commit(str(request.document.name))
        request.document = ""
    request.status = status
    request.reason = reason
    request.decided_by = admin
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "reason", "decided_by", "decided_at", "document"])


def _check_admin(admin: Member) -> None:
    if not can_verify(admin):
        raise ValidationError({"reason": [_("You may not decide on verifications.")]})


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": [_("Give a reason: the member will read it.")]})
    if len(reason) > 500:
        raise ValidationError({"reason": [_("At most 500 characters.")]})
    return reason


def verification_verify(*, admin: Member, request_id: int) -> VerificationRequest:
    """An admin recognises the member as a professional: the badge shows from now on."""
    _check_admin(admin)
    with transaction.atomic():
        request = _locked_pending(request_id)
        member = Member.objects.select_for_update().get(pk=request.member_id)
        _decide(request, admin=admin, status=Status.VERIFIED, reason="")
        member.verified_professional = True
        member.professional_title = _title(request.profession, request.specialty)
        member.save(update_fields=["verified_professional", "professional_title"])
        audit(actor=admin, action="pro_verify", target=member, request=request.pk)
        notification_create(
            recipient=member, kind=Notification.Kind.PROFESSIONAL, actor=admin,
            subject=_("You are now a verified professional"), url=reverse("pro:hub"),
        )  # fmt: skip
    return request


def verification_refuse(*, admin: Member, request_id: int, reason: str) -> VerificationRequest:
    """An admin refuses a request, with a reason the member reads."""
    _check_admin(admin)
    reason = _reason(reason, required=True)
    with transaction.atomic():
        request = _locked_pending(request_id)
        _decide(request, admin=admin, status=Status.REFUSED, reason=reason)
        audit(actor=admin, action="pro_refuse", target=request.member, request=request.pk)
        notification_create(
            recipient=request.member, kind=Notification.Kind.PROFESSIONAL, actor=admin,
            subject=_("Your verification request was refused"), detail=reason,
            url=reverse("pro:verification_request"),
        )  # fmt: skip
    return request


def verification_withdraw(*, admin: Member, member_id: int, reason: str) -> Member:
    """An admin withdraws a verification: the badge, title and real name go at once."""
    _check_admin(admin)
    reason = _reason(reason, required=True)
    with transaction.atomic():
        member = Member.objects.select_for_update().filter(pk=member_id).first()
        if member is None or not member.verified_professional:
            raise ValidationError(_("This member is not a verified professional."), code="decided")
        member.verified_professional = False
        member.professional_title = ""
        member.real_name_shown = ""
        member.save(
            update_fields=["verified_professional", "professional_title", "real_name_shown"]
        )
        VerificationRequest.objects.filter(member=member, status=Status.VERIFIED).update(
            status=Status.WITHDRAWN, reason=reason, decided_by=admin, decided_at=timezone.now()
        )
        audit(actor=admin, action="pro_withdraw", target=member)
        notification_create(
            recipient=member, kind=Notification.Kind.PROFESSIONAL, actor=admin,
            subject=_("Your professional verification was withdrawn"), detail=reason,
            url=reverse("pro:verification_request"),
        )  # fmt: skip
    return member


def real_name_set(*, member: Member, show: bool, real_name: str = "") -> Member:
    """The professional alone decides whether their real name shows beside the pseudonym."""
    if not member.verified_professional:
        raise ValidationError({"real_name": [_("Only verified professionals may show a name.")]})
    real_name = " ".join((real_name or "").split())
    if show and not real_name:
        raise ValidationError({"real_name": [_("Write the name to show.")]})
    if len(real_name) > 150:
        raise ValidationError({"real_name": [_("At most 150 characters.")]})
    member.real_name_shown = real_name if show else ""
    member.save(update_fields=["real_name_shown"])
    return member
