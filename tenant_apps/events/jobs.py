"""The events' jobs: emails a write leaves to send once it is committed.

Each email is claimed with a conditional UPDATE of its marker inside the transaction that
sends it: a job run twice (or twice at once) sends it once, and a failed send leaves the
marker unset for the retry.
"""

from django.core.mail import send_mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from procrastinate.contrib.django import app

from core.jobs import defer_for_every_network, tenant_job
from tenant_apps.events import services
from tenant_apps.events.models import Event, Registration
from tenants.links import network_sender, tenant_base_url


def _email(*, template: str, event, emails: list[str], **extra) -> None:
    """One message per address: registrants never see each other's."""
    tenant = connection.tenant
    with translation.override("fr"), timezone.override(timezone.get_default_timezone()):
        context = {
            "network": tenant.branding.display_name,
            "event": event,
            "url": tenant_base_url(tenant)
            + reverse("events:event", args=[event.pk], urlconf="config.urls_tenant"),
            **extra,
        }
        subject = render_to_string(f"events/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"events/email/{template}.txt", context)
    sender = network_sender(tenant)
    for email in emails:
        send_mail(subject, body, sender, [email])


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
