from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.emails import network_email
from core.jobs import tenant_job
from tenant_apps.members.selectors import staff_members
from tenant_apps.moderation.models import Case
from tenants.links import tenant_base_url


def _recipients() -> list[str]:
    """Email addresses of the on-duty moderators; when nobody is on duty, of every moderator,
    so a crisis is never left unseen."""
    staff = staff_members()
    on_duty = staff.filter(on_duty__isnull=False)
    chosen = on_duty if on_duty.exists() else staff
    return [email for email in chosen.values_list("user__email", flat=True) if email]


@tenant_job()
def crisis_alert_send(*, case_id: int) -> None:
    """Email the on-duty moderators that a post may signal a crisis; sent at most once.

    The message never quotes the post: only a link to the queue, behind sign-in.
    """
    case = Case.objects.filter(pk=case_id, kind=Case.Kind.CRISIS, alerted_at__isnull=True).first()
    if case is None:
        return
    recipients = _recipients()
    tenant = connection.tenant
    with translation.override("fr"):
        context = {
            "network": tenant.branding.display_name,
            "url": tenant_base_url(tenant)
            + reverse("moderation:queue", urlconf="config.urls_tenant"),
        }
        subject = render_to_string("moderation/email/crisis_subject.txt", context).strip()
        body = render_to_string("moderation/email/crisis.txt", context)
    # One message per moderator: recipients never see each other's addresses.
    for email in recipients:
        network_email(subject=subject, body=body, to=[email], tenant=tenant).send()
    Case.objects.filter(pk=case.pk, alerted_at__isnull=True).update(alerted_at=timezone.now())
