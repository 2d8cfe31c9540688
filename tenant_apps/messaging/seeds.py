"""The demo networks' private conversations (``demo_activity``, once every member exists).

They are history: written to the tables as ``services.message_send`` would have left them
(the conversation, both sides with their unread counts, the messages), not sent now, so no
email notice goes out and no one's choice about first contacts is asked again. A network that
already has conversations is left as it is, so seeding again changes nothing.

Each network gets: the demo member's conversation with another member, whose last message
waits unread (the header's count shows it); a moderator who writes kindly to a member, as
they do for a member in difficulty; a caregiver's short exchange with another member.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from tenant_apps.members.models import Member
from tenant_apps.messaging.models import Conversation, Message, Participation
from tenant_apps.messaging.selectors import unread_forget

# (first writer, other, [(who writes: 0 = first writer, 1 = other, text)], unread for whom)
EXCHANGES = (
    (
        "membre",
        1,
        [
            (1, "Bonjour ! J'ai lu votre témoignage sur la fatigue pendant l'immunothérapie, "
                "je vis exactement la même chose."),
            (0, "Merci de m'écrire. Les premières semaines ont été les plus dures. "
                "Vous en êtes où ?"),
            (1, "Troisième cure la semaine prochaine. Qu'est-ce qui vous a aidé ?"),
        ],
    ),
    (
        "modo",
        2,
        [
            (0, "Bonjour, je suis modératrice bénévole. J'ai lu votre dernier message sur le "
                "forum et je voulais simplement vous dire que nous sommes là. Si vous voulez "
                "en parler, je vous réponds ici."),
            (1, "Merci, ça me touche. Ça va un peu mieux aujourd'hui."),
        ],
    ),
    (
        "proche",
        3,
        [
            (0, "Bonjour, comment faites-vous pour souffler un peu entre deux rendez-vous ?"),
            (1, "Une amie prend le relais le mercredi. Et vous ?"),
        ],
    ),
)  # fmt: skip


def _others(accounts: dict[str, Member]) -> list[Member]:
    """The network's members written to: its content's members (not the role accounts), in
    the order the content lists them, active and with an account."""
    roles = {"admin", "modo", "membre", "proche", "relecture"}
    return [
        member
        for key, member in accounts.items()
        if key not in roles and member.user_id is not None and member.status == Member.Status.ACTIVE
    ]


@transaction.atomic
def demo_activity(*, accounts: dict[str, Member], content: dict) -> None:
    """The demo's conversations, written once (see the module)."""
    if Conversation.objects.exists():
        return
    others = _others(accounts)
    start = timezone.now() - datetime.timedelta(days=3)
    for number, (key, other_index, lines) in enumerate(EXCHANGES):
        first = accounts.get(key)
        if first is None or other_index >= len(others):
            continue
        other = others[other_index]
        pair = (first, other)
        low, high = sorted((first.pk, other.pk))
        conversation = Conversation.objects.create(
            member_low_id=low, member_high_id=high, started_by=first
        )
        moment = start + datetime.timedelta(hours=number)
        for step, (writer, text) in enumerate(lines):
            message = Message.objects.create(
                conversation=conversation, author=pair[writer], body=text
            )
            moment = start + datetime.timedelta(hours=number, minutes=20 * step)
            Message.objects.filter(pk=message.pk).update(created=moment)
        # The last message waits unread for the one who did not write it.
        last_writer = pair[lines[-1][0]]
        for member, partner in (pair, pair[::-1]):
            Participation.objects.create(
                conversation=conversation,
                member=member,
                other=partner,
                last_message_at=moment,
                unread=0 if member == last_writer else 1,
            )
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=moment)
        unread_forget(first.pk, other.pk)
