"""Jobs of private messages: each takes ids plus ``schema_name`` (core.jobs.tenant_job)."""

from core.jobs import tenant_job
from tenant_apps.messaging import services


@tenant_job()
def message_notice_send(*, participation_id: int) -> None:
    """Email a member that a private message waits for them (never its text); once per
    conversation until read."""
    services.message_notice_send(participation_id=participation_id)
