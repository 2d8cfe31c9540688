import secrets
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.hooks import tenant_app_hooks
from core.jobs import defer_on_commit
from shared_apps.accounts.pseudonyms import pseudonym_clean
from shared_apps.billing import limits as plan_limits
from shared_apps.directory import services as directory
from tenant_apps.members import selectors
from tenant_apps.members.images import avatar_reencode, logo_reencode
from tenant_apps.members.models import (
    AuditEntry,
    Charter,
    Consent,
    Invitation,
    Member,
    NetworkAudience,
    NetworkSettings,
    Pathology,
    ProfileType,
    ProfileTypeRequest,
    Role,
    Space,
)
from tenant_apps.members.permissions import permissions_forget
from tenants import services as tenant_services
from tenants.models import Tenant

if TYPE_CHECKING:
    # settings.AUTH_USER_MODEL, for annotations: the code asks get_user_model().
    from shared_apps.accounts.models import User as Account

User = get_user_model()

PROFILE_FIELDS = (
    "profile_type",
    "department",
    "bio",
    "visibility_profile_type",
    "visibility_pathologies",
    "visibility_region",
    "visibility_bio",
    "visibility_avatar",
)


def audit(*, actor: Member | None, action: str, target: Member | None = None, **detail) -> None:
    """Record a staff action; details never hold an email or a pseudonym."""
    AuditEntry.objects.create(actor=actor, action=action, target=target, detail=detail)


# --- Designations: a member given one kind of an app's role (members.permissions) ------------


def designation_grant(*, model, member: Member, kind: str, actor: Member, action: str):
    """Give ``member`` the designation ``kind`` of an app (``model``: one row per member and
    kind, with ``granted_by``); idempotent, audited once as ``action`` with its kind. Their
    rights are looked up again."""
    if member.user_id is None or member.status != Member.Status.ACTIVE:
        raise ValidationError({"member": [_("This member cannot receive a role.")]})
    role, created = model.objects.get_or_create(
        member=member, kind=kind, defaults={"granted_by": actor}
    )
    permissions_forget(member)
    if created:
        audit(actor=actor, action=action, target=member, kind=kind)
    return role


def designation_revoke(
    *, model, member: Member, actor: Member, action: str, kind: str | None = None
) -> None:
    """Take back a member's designation of an app (of one ``kind``, or all); audited as
    ``action`` when there was one."""
    held = model.objects.filter(member=member)
    if kind is not None:
        held = held.filter(kind=kind)
    deleted, _rows = held.delete()
    permissions_forget(member)
    if deleted:
        audit(actor=actor, action=action, target=member, **({"kind": kind} if kind else {}))


# --- Accounts --------------------------------------------------------------------------------


def members_counted_for_plan() -> int:
    """The members a plan's limit counts: every account of the network, suspended ones
    included (erased ones have no account left)."""
    return Member.objects.filter(user__isnull=False).count()


def _plan_seat_check() -> None:
    """Refuse one more member beyond the network's plan (shared_apps.billing), counted
    under a lock on the network's one settings row so two joins cannot both take the last
    seat; the caller's transaction creates the member."""
    tenant = plan_limits.current_tenant()
    if tenant is None:
        return
    NetworkSettings.objects.select_for_update().order_by("pk").first()
    try:
        plan_limits.member_limit_check(tenant, used=members_counted_for_plan())
    except ValidationError as error:
        raise ValidationError({NON_FIELD_ERRORS: error.messages}, code="member_limit") from None
    transaction.on_commit(plan_limits.member_usage_forget)


@transaction.atomic
def member_create(
    *,
    username: str,
    email: str,
    password: str | None,
    role: str = Role.MEMBER,
    profile_type: str = ProfileType.PATIENT,
    verified: bool = True,
) -> "Account":
    """Create an account in the current network with its role (demo, invitations, tests);
    refused beyond the plan's members."""
    _plan_seat_check()
    try:
        username = pseudonym_clean(username)
    except ValidationError as error:
        raise ValidationError({"username": error.messages}) from error
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account already uses this email address.")})
    user = User(username=username, email=email.lower())
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
        user.set_password(password)
    try:
        # A concurrent sign-up took a look-alike pseudonym since the check above.
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise ValidationError({"username": _("This pseudonym is already taken.")}) from error
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=verified)
    Member.objects.create(user=user, role=role, profile_type=profile_type)
    return user


def member_register(
    *,
    user,
    profile_type: str,
    pathologies: list[Pathology],
    department: str,
    charter_version: int,
) -> Member:
    """Complete a self-registration: the member row and the two recorded consents;
    refused beyond the plan's members (the account made just before goes with the
    transaction: members.signup)."""
    _plan_seat_check()
    member = Member.objects.create(user=user, profile_type=profile_type, department=department)
    member.pathologies.set(pathologies)
    Consent.objects.bulk_create(
        [
            Consent(member=member, kind=Consent.Kind.CHARTER, version=charter_version),
            Consent(member=member, kind=Consent.Kind.HEALTH_DATA, version=1),
        ]
    )
    return member


def invitation_create(*, email: str, role: str, actor: Member | None = None) -> Invitation:
    """Invite someone into the current network by email; the message is sent by a job."""
    invitation = Invitation.objects.create(
        email=email.lower(),
        role=role,
        key=secrets.token_urlsafe(32),
        expires=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    if actor is not None:
        audit(actor=actor, action="invite", role=role)
    # By name: the jobs module imports this one.
    defer_on_commit("tenant_apps.members.jobs.invitation_send", invitation_id=invitation.pk)
    return invitation


def invitation_accept(*, key: str, username: str, password: str):
    """Turn a pending invitation into an account; a key works once."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(key=key, accepted__isnull=True, expires__gt=timezone.now())
            .first()
        )
        if invitation is None:
            raise ValidationError({NON_FIELD_ERRORS: _("This invitation link is no longer valid.")})
        user = member_create(
            username=username, email=invitation.email, password=password, role=invitation.role
        )
        invitation.accepted = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted", "accepted_by"])
    return user


# --- Profile ---------------------------------------------------------------------------------


def profile_update(
    *,
    member: Member,
    pathologies: list[Pathology] | None = None,
    avatar=None,
    remove_avatar: bool = False,
    **fields,
) -> Member:
    """Change what a member states about themselves; an avatar is re-encoded without EXIF."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    requested_type = fields.pop("profile_type", None)
    for name, value in fields.items():
        setattr(member, name, value)
    # A form may already have set the instance's type: the stored one is what counts.
    stored_type = Member.objects.filter(pk=member.pk).values_list("profile_type", flat=True).get()
    member.profile_type = stored_type
    if requested_type is not None:
        if requested_type not in ProfileType.values:
            raise ValidationError({"profile_type": _("Choose a profile from the list.")})
        if requested_type == stored_type:
            _profile_type_requests_withdraw(member=member)
        elif selectors.profile_type_opens_a_space(member, requested_type):
            _profile_type_request(member=member, profile_type=requested_type)
        else:
            _profile_type_requests_withdraw(member=member)
            member.profile_type = requested_type
    if pathologies and not health_consent_active(member=member):
        raise ValidationError(
            {"pathologies": _("Give your consent to the processing of health data first.")}
        )
    old_avatar = member.avatar.name if (avatar is not None or remove_avatar) else ""
    if avatar is not None:
        content = avatar_reencode(avatar)
        plan_limits.upload_check(adding_bytes=content.size, field="avatar")
        member.avatar.save(f"{uuid.uuid4().hex}.jpg", content, save=False)
    elif remove_avatar:
        member.avatar = ""
    member.full_clean(exclude=["user", "avatar"])
    member.save()
    if pathologies is not None:
        member.pathologies.set(pathologies)
    if old_avatar:
        transaction.on_commit(lambda: member.avatar.storage.delete(old_avatar))
    return member


def _profile_type_request(*, member: Member, profile_type: str) -> ProfileTypeRequest:
    """Ask for a profile type that opens a space; a newer request replaces a pending one."""
    _profile_type_requests_withdraw(member=member)
    return ProfileTypeRequest.objects.create(
        member=member, requested=profile_type, previous=member.profile_type
    )


def _profile_type_requests_withdraw(*, member: Member) -> None:
    ProfileTypeRequest.objects.filter(
        member=member, status=ProfileTypeRequest.Status.PENDING
    ).delete()


def profile_type_request_decide(
    *, actor: Member, request: ProfileTypeRequest, approve: bool
) -> ProfileTypeRequest:
    """Approve (the member's type changes, their new spaces open) or refuse a pending
    change of profile type; either way it is audited."""
    with transaction.atomic():
        request = (
            ProfileTypeRequest.objects.select_for_update(of=("self",))
            .select_related("member")
            .get(pk=request.pk)
        )
        if request.status != ProfileTypeRequest.Status.PENDING:
            raise ValidationError({NON_FIELD_ERRORS: _("This request was already decided.")})
        member = request.member
        if approve:
            member.profile_type = request.requested
            member.save(update_fields=["profile_type"])
        request.status = (
            ProfileTypeRequest.Status.APPROVED if approve else ProfileTypeRequest.Status.REFUSED
        )
        request.decided = timezone.now()
        request.decided_by = actor
        request.save(update_fields=["status", "decided", "decided_by"])
        audit(
            actor=actor,
            action="profile_type_approve" if approve else "profile_type_refuse",
            target=member,
            previous=request.previous,
            requested=request.requested,
        )
    return request


# --- Staff actions ---------------------------------------------------------------------------


def member_role_change(*, actor: Member, member: Member, role: str) -> Member:
    """Give a member another role; an admin cannot demote themselves (the network keeps one)."""
    if member.pk == actor.pk and role != Role.ADMIN:
        raise ValidationError({"role": _("You cannot remove your own admin role.")})
    previous = member.role
    member.role = role
    member.save(update_fields=["role"])
    audit(actor=actor, action="role_change", target=member, previous=previous, role=role)
    return member


def member_suspend(*, actor: Member, member: Member, reason: str, until: datetime | None) -> None:
    """Suspend a member (until a date, or until reinstated) and end their sessions."""
    if member.pk == actor.pk:
        raise ValidationError({NON_FIELD_ERRORS: _("You cannot suspend yourself.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the member a reason.")})
    member.status = Member.Status.SUSPENDED
    member.suspension_reason = reason.strip()
    member.suspended_until = until
    member.save(update_fields=["status", "suspension_reason", "suspended_until"])
    if member.user_id:
        sessions_end(user_id=member.user_id)
    audit(actor=actor, action="suspend", target=member, until=until.isoformat() if until else None)


def member_reinstate(*, actor: Member | None, member: Member) -> None:
    """Lift a suspension (``actor`` None: its end date has passed)."""
    member.status = Member.Status.ACTIVE
    member.suspension_reason = ""
    member.suspended_until = None
    member.save(update_fields=["status", "suspension_reason", "suspended_until"])
    audit(actor=actor, action="reinstate", target=member, automatic=actor is None)


def member_suspension_lapse(*, member: Member) -> bool:
    """End a suspension whose end date has passed; audited once, however many of the
    member's requests race to do it. Whether the member is active again."""
    with transaction.atomic():
        lapsed = (
            Member.objects.select_for_update(of=("self",))
            .filter(
                pk=member.pk,
                status=Member.Status.SUSPENDED,
                suspended_until__lte=timezone.now(),
            )
            .first()
        )
        if lapsed is not None:
            member_reinstate(actor=None, member=lapsed)
    member.refresh_from_db(fields=["status", "suspension_reason", "suspended_until"])
    return member.status == Member.Status.ACTIVE


def sessions_end(*, user_id: int) -> int:
    """Delete every session of a user in this network; returns how many ended."""
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


# --- Network configuration -------------------------------------------------------------------


def branding_update(
    *,
    tenant: Tenant,
    actor: Member,
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
    **fields: str,
) -> list[str]:
    """Change how the network looks and introduces itself, a logo re-encoded first; audited.

    The names of what changed. The public-schema row is written by ``tenants.services``.
    """
    content, logo_errors = None, None
    if logo is not None:
        try:
            content = logo_reencode(logo)
            plan_limits.upload_check(adding_bytes=content.size, field="logo")
        except ValidationError as error:
            logo_errors = error.messages
    changed = tenant_services.branding_update(
        tenant=tenant,
        logo=content,
        logo_errors=logo_errors,
        remove_logo=remove_logo,
        **fields,
    )
    audit(actor=actor, action="branding_update", fields=changed)
    if tenant.organization_id:
        # The association's listing in the platform directory shows its networks' branding.
        directory.customer_sync_on_commit(organization_id=tenant.organization_id)
    return changed


def space_create(
    *,
    name: str,
    slug: str,
    description: str = "",
    audience=(),
    professionals_only: bool = False,
    actor: Member | None = None,
) -> Space:
    """Add an audience space at the end of the network's list."""
    position = (Space.objects.aggregate(m=Max("position"))["m"] or 0) + 1
    space = Space.objects.create(
        name=name, slug=slug, description=description, position=position,
        audience=list(audience), professionals_only=professionals_only,
    )  # fmt: skip
    if actor is not None:
        audit(actor=actor, action="space_create", space=space.pk)
    return space


def pathology_create(*, name: str, actor: Member | None = None) -> Pathology:
    """Add a pathology at the end of the network's list."""
    position = (Pathology.objects.aggregate(m=Max("position"))["m"] or 0) + 1
    pathology = Pathology.objects.create(name=name, position=position)
    if actor is not None:
        audit(actor=actor, action="pathology_create", pathology=pathology.pk)
    return pathology


def charter_publish(*, title: str, body: str, actor: Member | None = None) -> Charter:
    """Publish a new version of the charter; earlier versions stay for the record."""
    with transaction.atomic():
        # The row lock makes concurrent publications take successive versions.
        latest = Charter.objects.select_for_update().order_by("-version").first()
        version = (latest.version if latest else 0) + 1
        charter = Charter.objects.create(version=version, title=title, body=body)
        if actor is not None:
            audit(actor=actor, action="charter_publish", version=version)
    return charter


def pathology_rename(*, actor: Member, pathology: Pathology, name: str) -> Pathology:
    """Rename an entry of the network's pathology list."""
    name = name.strip()
    if Pathology.objects.filter(name__iexact=name).exclude(pk=pathology.pk).exists():
        raise ValidationError({"name": _("This pathology is already in the list.")})
    previous = pathology.name
    pathology.name = name
    pathology.full_clean()
    pathology.save(update_fields=["name"])
    audit(actor=actor, action="pathology_rename", previous=previous, name=name)
    return pathology


def pathology_delete(*, actor: Member, pathology: Pathology) -> None:
    """Remove a pathology from the list; members who stated it simply no longer do."""
    name = pathology.name
    pathology.delete()
    audit(actor=actor, action="pathology_delete", name=name)


def space_update(
    *,
    actor: Member,
    space: Space,
    name: str,
    description: str,
    audience: list[str],
    professionals_only: bool | None = None,
) -> Space:
    """Change a space's name, description and the profile types it is open to (and whether
    only verified professionals enter it)."""
    unknown = set(audience) - set(ProfileType.values)
    if unknown:
        raise ValidationError({"audience": _("Choose profile types from the list.")})
    space.name = name.strip()
    space.description = description
    space.audience = list(audience)
    if professionals_only is not None:
        space.professionals_only = professionals_only
    space.full_clean()
    space.save(update_fields=["name", "description", "audience", "professionals_only"])
    audit(
        actor=actor, action="space_update", space=space.slug, audience=list(audience),
        professionals_only=space.professionals_only,
    )  # fmt: skip
    return space


def network_settings_update(*, actor: Member, inactive_retention_days: int | None) -> None:
    """Set how long inactive accounts are kept; ``None`` keeps them."""
    if inactive_retention_days is not None and inactive_retention_days < 1:
        raise ValidationError(
            {"inactive_retention_days": _("Enter a number of days of at least 1.")}
        )
    with transaction.atomic():
        policy = NetworkSettings.objects.select_for_update().first()
        if policy is None:
            policy = NetworkSettings()
        policy.inactive_retention_days = inactive_retention_days
        policy.save()
    audit(actor=actor, action="retention_change", days=inactive_retention_days)


def network_audience_update(*, actor: Member, audience: str, local_groups_open: bool) -> None:
    """Who the network is for (patients, professionals or both), and whether local groups
    open without an admin's approval."""
    if audience not in NetworkAudience.values:
        raise ValidationError({"audience": _("Choose who the network is for.")})
    with transaction.atomic():
        policy = NetworkSettings.objects.select_for_update().first()
        if policy is None:
            policy = NetworkSettings()
        policy.audience = audience
        policy.local_groups_open = local_groups_open
        policy.save()
    audit(
        actor=actor, action="audience_change", audience=audience,
        local_groups_open=local_groups_open,
    )  # fmt: skip


# --- Personal data (GDPR) --------------------------------------------------------------------


def health_consent_active(*, member: Member) -> bool:
    return member.consents.filter(kind=Consent.Kind.HEALTH_DATA, withdrawn__isnull=True).exists()


# What a member may give and withdraw on their data page; the charter goes with the account.
CONSENTS_WITHDRAWABLE = (Consent.Kind.HEALTH_DATA, Consent.Kind.STATISTICS)


def consent_withdraw(*, member: Member, kind: str) -> None:
    """Withdraw a consent. Without consent to health data, the stated pathologies go too;
    without consent to statistics, no release built afterwards counts the member (those
    already published stay as they are: they hold no one's data)."""
    if kind not in CONSENTS_WITHDRAWABLE:
        raise ValidationError(
            {"kind": _("To withdraw your acceptance of the charter, delete your account.")}
        )
    member.consents.filter(kind=kind, withdrawn__isnull=True).update(withdrawn=timezone.now())
    if kind == Consent.Kind.HEALTH_DATA:
        member.pathologies.clear()


def consent_give(*, member: Member, kind: str, version: int = 1) -> Consent:
    """Record a consent anew (e.g. after a withdrawal); a consent in force is kept as is."""
    current = member.consents.filter(kind=kind, version=version, withdrawn__isnull=True).first()
    return current or Consent.objects.create(member=member, kind=kind, version=version)


def member_export(*, member: Member) -> dict:
    """Everything stored about a member and everything they authored, as plain JSON data."""
    user = member.user
    if user is None:
        raise ValueError("an erased member's account is gone: there is nothing to export")
    return {
        "format": 1,
        "exported_at": timezone.now().isoformat(),
        "account": {
            "pseudonym": user.username,
            "email": user.email,
            "emails": [
                {"email": e.email, "verified": e.verified, "primary": e.primary}
                for e in EmailAddress.objects.filter(user=user)
            ],
            "joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "second_factors": [
                {"type": a.type, "created": a.created_at.isoformat()}
                for a in Authenticator.objects.filter(user=user)
            ],
        },
        "membership": {
            "role": member.role,
            "status": member.status,
            "joined": member.joined.isoformat(),
        },
        "profile": {
            "profile_type": member.profile_type,
            "pathologies": [p.name for p in member.pathologies.all()],
            "department": member.department,
            "bio": member.bio,
            "avatar": member.avatar.name or None,
            "visibility": {
                field: getattr(member, f"visibility_{field}")
                for field in ("profile_type", "pathologies", "region", "bio", "avatar")
            },
        },
        "consents": [
            {
                "kind": c.kind,
                "version": c.version,
                "given": c.given.isoformat(),
                "withdrawn": c.withdrawn.isoformat() if c.withdrawn else None,
            }
            for c in member.consents.all()
        ],
        # What the member wrote or chose in the other apps (forums, notifications, …).
        "content": {
            app: export(member=member)
            for app, export in tenant_app_hooks("personal_data", "export")
        },
    }


def member_erase(*, member: Member, delete_content: bool = False) -> None:
    """Erase a member: account, emails, second factors, profile, avatar, consents, sessions.

    What they wrote stays under "Deleted member #…" (a stable anonymous id) unless they ask
    for it to be deleted too. Their email and pseudonym are left nowhere in the schema.
    """
    user = member.user
    avatar = member.avatar.name
    with transaction.atomic():
        if user is not None:
            sessions_end(user_id=user.pk)
            emails = {user.email.lower()} | {
                e.lower()
                for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
            }
            Invitation.objects.filter(Q(accepted_by=user) | Q(email__in=emails)).delete()
            EmailAddress.objects.filter(user=user).delete()
        for _app, erase in tenant_app_hooks("personal_data", "erase"):
            erase(member=member, delete_content=delete_content)
        member.consents.all().delete()
        member.pathologies.clear()
        for field in ("department", "bio", "suspension_reason"):
            setattr(member, field, "")
        member.avatar = ""
        member.erased = timezone.now()
        member.user = None
        member.save()
        if user is not None:
            user.delete()
        audit(actor=None, action="erase", target=member, content_deleted=delete_content)
    if avatar:
        transaction.on_commit(lambda: member.avatar.storage.delete(avatar))


def inactive_members_erase(*, now: datetime | None = None) -> int:
    """Erase the accounts inactive for longer than the network's retention period."""

    policy = selectors.network_settings()
    if not policy.inactive_retention_days:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=policy.inactive_retention_days)
    # Activity is the last request seen (kept by the middleware), else the last sign-in,
    # else the registration date.
    last_active = Coalesce("last_seen", "user__last_login", "user__date_joined")
    stale = (
        Member.objects.filter(user__isnull=False, role=Role.MEMBER, erased__isnull=True)
        .alias(last_active=last_active)
        .filter(last_active__lt=cutoff)
    )
    erased = 0
    for member in stale.select_related("user"):
        member_erase(member=member)
        erased += 1
    if erased:
        audit(actor=None, action="retention", erased=erased)
    return erased


# A request after this long without one starts a new visit. last_seen is written at most
# hourly, so an active member's is never much more than an hour old: three hours apart means
# at least two hours away.
VISIT_GAP = timedelta(hours=3)


def member_seen(*, member: Member, now: datetime | None = None) -> None:
    """Remember that a member is active; written at most once an hour.

    The first request of a new visit (``VISIT_GAP`` after the last one seen) also keeps when
    the previous visit ended, as ``previous_visit``: the home page's "since your last visit".
    It is kept here rather than read from last_seen because the middleware refreshes
    last_seen before any page runs, so the home page would always find it set to now.
    """
    now = now or timezone.now()
    if member.last_seen is None or member.last_seen < now - timedelta(hours=1):
        changes = {"last_seen": now}
        if member.last_seen is not None and member.last_seen < now - VISIT_GAP:
            changes["previous_visit"] = member.last_seen
        Member.objects.filter(pk=member.pk).update(**changes)
        for field, value in changes.items():
            setattr(member, field, value)
