"""Who may read and write private messages: the only definition of it.

Reading: a conversation and its messages are readable by its two members, and by nobody
else — not a third member, not a moderator, not an admin, not another network (each has its
own schema). A moderator sees a message only when a case about it is in the queue (a report
or signs of a crisis), and then that message alone, through the moderation app's queue.
Pages, the API, the header's count, the email notice and the export all ask this module.

Writing to someone, the same refusal whatever the reason, so that nobody learns they were
blocked ("this member cannot receive messages"):
- the recipient is another active member with an account (not erased, not suspended);
- neither blocked the other (``social.relations.is_blocked``, both ways);
- once a conversation exists between the two, either may write in it;
- to start one (a first contact), the recipient's ``SocialSettings.first_contact`` decides:
  nobody (the default), the people they follow, or every member;
- a moderator may always start one with a member they are helping: a member who wrote
  something with an open case in the moderation queue (``is_helping``). Starting from the
  queue is the same rule, since the queue lists exactly those cases.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from tenant_apps.members.models import Member
from tenant_apps.members.permissions import has_permission, is_reader
from tenant_apps.messaging.models import Conversation, Message, Participation
from tenant_apps.moderation.models import Case
from tenant_apps.social import relations
from tenant_apps.social.models import SocialSettings

# A moderator helps members through the queue: the right to read it is the right to help.
HELP = "moderation.queue:read"
MODERATE = "moderation.post:moderate"


# --- reading ------------------------------------------------------------------------------


def participations_of(member: Member | None) -> QuerySet[Participation]:
    """The member's sides of their conversations (their inbox, hidden ones included)."""
    if not is_reader(member):
        return Participation.objects.none()
    return Participation.objects.filter(member=member)


def participation_or_404(member: Member | None, conversation_id: int) -> Participation:
    """The member's side of a conversation they are in, its conversation and the other
    member loaded; else the same 404 as a missing one."""
    found = (
        participations_of(member)
        .filter(conversation_id=conversation_id)
        .select_related("conversation", "other__user")
        .first()
    )
    if found is None or member is None:
        raise Http404
    found.member = member  # the same row: no second query for it
    return found


def messages_of(member: Member | None, conversation_id: int) -> QuerySet[Message]:
    """A conversation's messages, when the member is one of its two members; else none."""
    return Message.objects.filter(
        conversation_id=conversation_id,
        conversation_id__in=participations_of(member).values("conversation_id"),
    )


def message_readable(member: Member | None, message: Message) -> bool:
    """Whether the member may read a loaded message: one of the conversation's two."""
    if not is_reader(member):
        return False
    conversation = message.conversation
    return member.pk in (conversation.member_low_id, conversation.member_high_id)


def message_or_404(member: Member | None, message_id: int) -> Message:
    """A message the member may read, its conversation loaded; else 404."""
    found = (
        Message.objects.filter(
            pk=message_id,
            conversation_id__in=participations_of(member).values("conversation_id"),
        )
        .select_related("conversation")
        .first()
    )
    if found is None:
        raise Http404
    return found


def message_to_report_or_404(member: Member | None, message_id: int) -> Message:
    """A message the member may read and report: the other member's, not erased; else 404."""
    found = message_or_404(member, message_id)
    if found.author_id == member.pk or found.erased:  # type: ignore[union-attr]
        raise Http404
    return found


def message_to_moderate_or_404(member: Member | None, message_id: int) -> Message:
    """A message a moderator may see and act on: one with a case in the queue (reported, or
    signs of a crisis), and only that message; else 404. Admins are moderators here too:
    without a case, nobody but the two members reads a message."""
    if not has_permission(member, MODERATE):
        raise Http404
    found = (
        Message.objects.filter(pk=message_id, moderation_cases__isnull=False)
        .select_related("author__user", "conversation")
        .distinct()
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- writing ------------------------------------------------------------------------------


def reachable(member: Member) -> bool:
    """A member who may receive messages at all: active, with an account."""
    return (
        member.pk is not None
        and member.status == Member.Status.ACTIVE
        and member.user_id is not None
    )


def conversation_between(a: Member, b: Member) -> Conversation | None:
    low, high = sorted((a.pk, b.pk))
    return Conversation.objects.filter(member_low_id=low, member_high_id=high).first()


def is_helping(sender: Member, recipient: Member) -> bool:
    """Whether a moderator is helping this member: one who wrote something with an open case."""
    if not has_permission(sender, HELP):
        return False
    return Case.objects.filter(status=Case.Status.OPEN).filter(_written_by(recipient)).exists()


def _written_by(member: Member) -> Q:
    """Cases about what the member wrote (the queue's kinds of content)."""
    return Q(post__author=member) | Q(message__author=member)


def first_contact_allowed(sender: Member, recipient: Member) -> bool:
    """Whether the recipient's choice lets the sender start a conversation with them."""
    choice = (
        SocialSettings.objects.filter(member=recipient)
        .values_list("first_contact", flat=True)
        .first()
        or SocialSettings.FirstContact.NOBODY
    )
    if choice == SocialSettings.FirstContact.EVERYONE:
        return True
    if choice == SocialSettings.FirstContact.FOLLOWED:
        return relations.follows(recipient, sender)
    return False


def can_write(
    sender: Member | None, recipient: Member, *, conversation: Conversation | None = None
) -> bool:
    """Whether the sender may write to the recipient now (see the module's rule).

    ``conversation``: the pair's conversation when the caller has it loaded; else it is looked
    up."""
    if not is_reader(sender) or sender.pk == recipient.pk or not reachable(recipient):
        return False
    if relations.is_blocked(sender, recipient):
        return False
    if conversation is None:
        conversation = conversation_between(sender, recipient)
    if conversation is not None:
        return True
    return first_contact_allowed(sender, recipient) or is_helping(sender, recipient)


def recipient_or_404(sender: Member | None, pseudonym_or_id: str) -> Member:
    """The member a "new message" page is about, by pseudonym or id: any active member
    of the network with an account except the sender; else 404. Whether the sender may write
    is ``can_write``: the page says so without telling why."""
    # A NUL byte cannot reach PostgreSQL (it refuses it in a text): nobody has it anyway.
    if not is_reader(sender) or "\x00" in pseudonym_or_id or len(pseudonym_or_id) > 150:
        raise Http404
    found = Member.objects.filter(status=Member.Status.ACTIVE, user__isnull=False).select_related(
        "user"
    )
    if pseudonym_or_id.isdigit():
        found = found.filter(pk=int(pseudonym_or_id))
    else:
        found = found.filter(user__username=pseudonym_or_id)
    member = found.first()
    if member is None or member.pk == sender.pk:
        raise Http404
    return member
