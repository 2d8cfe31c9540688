"""The forums' jobs: what a write leaves to do once it is committed."""

from core.jobs import tenant_job
from tenant_apps.forums import services


@tenant_job()
def post_announce(*, post_id: int) -> None:
    """Notify the mentioned members and the topic's followers of a published post; safe to
    run twice."""
    services.post_announce(post_id=post_id)
