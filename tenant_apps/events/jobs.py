"""The events' jobs: emails a write leaves to send once it is committed.

Each email is claimed with a conditional UPDATE of its marker inside the transaction that
sends it: a job run twice (or twice at once) sends it once, and a failed send leaves the
marker unset for the retry.
"""

from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from procrastinate.contrib.django import app

from core.emails import network_email
from core.jobs import defer_for_every_network, tenant_job
from shared_apps.directory.services import Listing, directory_event_remove, directory_event_upsert
from tenant_apps.events import services
from tenant_apps.events.models import Event, Registration
from tenants.links import tenant_base_url
from tenants.models import Tenant


def _email(*, template: str, event, emails: list[str], **extra) -> None:
    """One message per address: registrants never see each other's."""
    tenant = connection.tenant
    # Dates in the network's own time zone, as its site shows them.
    with translation.override("fr"), timezone.override(tenant.branding.zone):
        context = {
            "network": tenant.branding.display_name,
            "event": event,
            "url": tenant_base_url(tenant)
            + reverse("events:event", args=[event.pk], urlconf="config.urls_tenant"),
            **extra,
        }
        subject = render_to_string(f"events/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"events/email/{template}.txt", context)
    for email in emails:
        network_email(subject=subject, body=body, to=[email], tenant=tenant).send()


@tenant_job()
def promotion_email(*, registration_id: int) -> None:
    """Tell a member who was waiting that a place is theirs; sent once."""
    with transaction.atomic():
        claimed = Registration.objects.filter(
            pk=registration_id,
            status=Registration.Status.REGISTERED,
            promotion_emailed__isnull=True,
        ).update(promotion_emailed=timezone.now())
        if not claimed:
            return  # sent already, or the place was given up since
        registration = Registration.objects.select_related("event", "member__user").get(
            pk=registration_id
        )
        user = registration.member.user
        if user is None or not user.email:
            return
        _email(template="promoted", event=registration.event, emails=[user.email])


@tenant_job()
def reminders_send() -> None:
    """Remind the registrants of the events starting within 24 hours, then within the hour;
    each reminder of each event goes once, however often this runs."""
    for marker, event_id in services.reminders_due():
        with transaction.atomic():
            if not services.reminder_claim(event_id=event_id, marker=marker):
                continue  # another run took it
            event = Event.objects.get(pk=event_id)
            emails = list(
                event.registrations.filter(status=Registration.Status.REGISTERED)
                .exclude(member__user__email="")
                .values_list("member__user__email", flat=True)
            )
            _email(template="reminder", event=event, emails=emails, soon=marker == "reminded_1h")


@app.periodic(cron="*/10 * * * *")
@app.task(name="events.reminders_sweep", queue="default")
def reminders_sweep(timestamp: int) -> None:
    """Every ten minutes: one reminders job per active network, inside its own tenant."""
    defer_for_every_network(reminders_send)


@tenant_job()
def cancellation_email(*, event_id: int) -> None:
    """Tell everyone registered or waiting that the event is cancelled; each once."""
    event = Event.objects.filter(pk=event_id, status=Event.Status.CANCELLED).first()
    if event is None:
        return
    with transaction.atomic():
        # Rows another run is emailing are skipped; those it emailed are marked.
        pending = list(
            event.registrations.select_for_update(skip_locked=True, of=("self",))
            .filter(cancellation_emailed__isnull=True)
            .select_related("member__user")
        )
        emails = [r.member.user.email for r in pending if r.member.user and r.member.user.email]
        Registration.objects.filter(pk__in=[r.pk for r in pending]).update(
            cancellation_emailed=timezone.now()
        )
        _email(template="cancelled", event=event, emails=emails)


def _listed(tenant: Tenant, event: Event) -> bool:
    """What the directory shows: a published event of an active network, not cancelled,
    marked for it, and open to everyone in the network (a space's event never leaves it)."""
    return (
        tenant.status == Tenant.Status.ACTIVE
        and event.in_directory
        and event.status == Event.Status.PUBLISHED
        and event.space_id is None
    )


@tenant_job()
def directory_sync(*, event_id: int) -> None:
    """Bring the platform directory's copy of an event in line with the event: written when
    it is listed, removed otherwise. It reads the network's schema, then writes the public
    one through the directory's services (no query joins the two); running it again changes
    nothing."""
    tenant: Tenant = connection.tenant  # type: ignore[attr-defined]
    event = Event.objects.filter(pk=event_id).first()
    if event is None or not _listed(tenant, event):
        directory_event_remove(tenant_id=tenant.pk, event_id=event_id)
        return
    listing = Listing(
        event_id=event.pk,
        title=event.title,
        description_html=event.description_html,
        format=event.format,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        online=event.online,
        place="" if event.online else event.place,
        network_name=tenant.branding.display_name,
        url=tenant_base_url(tenant)
        + reverse("events:event", args=[event.pk], urlconf="config.urls_tenant"),
    )
    directory_event_upsert(tenant_id=tenant.pk, listing=listing)
