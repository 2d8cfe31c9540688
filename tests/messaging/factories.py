"""Private messages for tests, made through the services."""

from tenant_apps.messaging import services
from tenant_apps.social.models import SocialSettings


def open_to(member, choice: str = SocialSettings.FirstContact.EVERYONE) -> None:
    """Let ``member`` be written to first by ``choice`` (every member by default)."""
    SocialSettings.objects.update_or_create(member=member, defaults={"first_contact": choice})


def exchange(author, recipient, *bodies: str):
    """``author`` writes to ``recipient`` (made open to everyone) each of ``bodies`` in turn;
    the messages."""
    open_to(recipient)
    return [services.message_send(author=author, recipient=recipient, body=b) for b in bodies]
