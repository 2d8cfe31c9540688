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

from core.jobs import tenant_job
from tenant_apps.events.models import Registration
from tenants.links import network_sender, tenant_base_url


def _email(*, template: str, event, email: str) -> None:
    tenant = connection.tenant
    with translation.override("fr"), timezone.override(timezone.get_default_timezone()):
        context = {
            "network": tenant.branding.display_name,
            "event": event,
            "url": tenant_base_url(tenant)
            + reverse("events:event", args=[event.pk], urlconf="config.urls_tenant"),
        }
        subject = render_to_string(f"events/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"events/email/{template}.txt", context)
    send_mail(subject, body, network_sender(tenant), [email])


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
        _email(template="promoted", event=registration.event, email=user.email)
