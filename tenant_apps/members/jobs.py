from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from procrastinate.contrib.django import app

from core.emails import network_email
from core.jobs import defer_for_every_network, tenant_job
from tenant_apps.members import services
from tenant_apps.members.models import Invitation
from tenants.links import tenant_base_url


@tenant_job()
def invitation_send(*, invitation_id: int) -> None:
    """Email an invitation link, branded with the network's name; sent at most once."""
    invitation = Invitation.objects.filter(pk=invitation_id, sent__isnull=True).first()
    if invitation is None:
        return
    tenant = connection.tenant
    with translation.override("fr"):
        context = {
            "network": tenant.branding.display_name,
            "url": tenant_base_url(tenant)
            + reverse("invitation", urlconf="config.urls_tenant", args=[invitation.key]),
            "expires": invitation.expires,
            "role": invitation.get_role_display(),
        }
        subject = render_to_string("members/email/invitation_subject.txt", context).strip()
        body = render_to_string("members/email/invitation.txt", context)
    network_email(subject=subject, body=body, to=[invitation.email], tenant=tenant).send()
    Invitation.objects.filter(pk=invitation.pk, sent__isnull=True).update(sent=timezone.now())


@tenant_job()
def inactive_members_erase() -> None:
    """Enforce the network's retention period for inactive accounts; safe to run twice."""
    services.inactive_members_erase()


@app.periodic(cron="17 3 * * *")
@app.task(name="members.retention_sweep", queue="default")
def retention_sweep(timestamp: int) -> None:
    """Every night: one retention job per network, each inside its own tenant."""
    defer_for_every_network(inactive_members_erase)
