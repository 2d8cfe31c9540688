"""A member's private messages, for their export and their erasure (core.hooks finds these)."""

from tenant_apps.members.models import Member
from tenant_apps.messaging.models import Message, Participation
from tenant_apps.messaging.selectors import unread_forget


def export(*, member: Member) -> dict:
    """The messages the member wrote, with whom each conversation was, and their settings'
    traces in each conversation (hidden, unread)."""
    sides = {
        side.conversation_id: side
        for side in Participation.objects.filter(member=member).select_related("other__user")
    }
    return {
        "conversations": [
            {
                "id": side.conversation_id,
                "with": side.other.display_name,
                "hidden": side.hidden,
                "unread": side.unread,
            }
            for side in sides.values()
        ],
        "messages": [
            {
                "conversation": message.conversation_id,
                "body": message.body,
                "created": message.created.isoformat(),
            }
            for message in Message.objects.filter(author=member, erased=False).order_by("id")
        ],
    }


def erase(*, member: Member, delete_content: bool) -> None:
    """Blank the text of every message the member wrote and forget their side of each
    conversation, whatever ``delete_content`` says: a private message is not kept for the
    others' sake. The rows stay, so the other member's side still reads in order, with
    "Deleted member #…" as the author and "deleted" in place of the text."""
    Message.objects.filter(author=member).update(body="", erased=True)
    Participation.objects.filter(member=member).delete()
    unread_forget(member.pk)
