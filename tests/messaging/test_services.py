"""Private messages' rules through the services: who may write first, blocks both ways, the
moderators who help, rate limits, screening, unread counts and the email notice."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from core.throttle import RateLimited
from tenant_apps.members.models import Role
from tenant_apps.messaging import access, selectors, services
from tenant_apps.messaging.models import Conversation, Message, Participation
from tenant_apps.moderation.models import CrisisTerm, WatchedWord
from tenant_apps.notifications.models import NotificationSettings
from tenant_apps.social import relations
from tenant_apps.social.models import Follow, SocialSettings
from tests.forums.factories import PostFactory
from tests.jobs import JobQueue, committed
from tests.members.factories import account
from tests.messaging.factories import exchange, open_to

pytestmark = pytest.mark.django_db

FirstContact = SocialSettings.FirstContact


@pytest.fixture
def ana(tenant):
    return account("Ana").member


@pytest.fixture
def bea(tenant):
    return account("Bea").member


def _refused(author, recipient, body="Bonjour"):
    with pytest.raises(ValidationError) as refusal:
        services.message_send(author=author, recipient=recipient, body=body)
    return refusal.value


def test_nobody_may_write_first_by_default(ana, bea):
    refusal = _refused(ana, bea)
    assert refusal.error_dict["body"][0].code == "unreachable"
    assert not Conversation.objects.exists()


def test_people_i_follow_may_write_first_and_others_not(ana, bea, tenant):
    cleo = account("Cleo").member
    open_to(bea, FirstContact.FOLLOWED)
    Follow.objects.create(follower=bea, followed=ana)
    message = services.message_send(author=ana, recipient=bea, body="Bonjour Bea")
    assert message.conversation.started_by == ana
    # Following Bea is not enough: Bea must follow the writer.
    Follow.objects.create(follower=cleo, followed=bea)
    assert _refused(cleo, bea).error_dict["body"][0].code == "unreachable"


def test_everyone_may_write_first_and_then_both_write_whatever_the_choice(ana, bea):
    open_to(bea)
    services.message_send(author=ana, recipient=bea, body="Bonjour")
    open_to(bea, FirstContact.NOBODY)
    # The conversation exists: either may go on in it.
    services.message_send(author=ana, recipient=bea, body="Encore moi")
    services.message_send(author=bea, recipient=ana, body="Oui ?")
    assert Conversation.objects.count() == 1
    assert Message.objects.count() == 3


@pytest.mark.parametrize("who_blocks", ["recipient", "sender"])
def test_a_block_either_way_stops_both_and_reads_as_unreachable(ana, bea, who_blocks):
    exchange(ana, bea, "Bonjour")
    open_to(ana)
    blocker, blocked = (bea, ana) if who_blocks == "recipient" else (ana, bea)
    relations.block_create(blocker=blocker, blocked=blocked)
    for author, recipient in ((ana, bea), (bea, ana)):
        relations.blocks_forget(author)
        refusal = _refused(author, recipient)
        # The same sentence as "nobody": the blocked member learns nothing.
        assert refusal.error_dict["body"][0].code == "unreachable"
    assert Message.objects.count() == 1


def test_suspended_or_erased_members_and_oneself_cannot_be_written_to(ana, bea, tenant):
    open_to(bea)
    open_to(ana)
    assert _refused(ana, ana).error_dict["body"][0].code == "unreachable"
    bea.status = bea.Status.SUSPENDED
    bea.save()
    assert _refused(ana, bea).error_dict["body"][0].code == "unreachable"


def test_a_moderator_writes_first_to_a_member_they_are_helping_only(ana, bea, tenant):
    from tenant_apps.moderation import cases
    from tenant_apps.moderation.models import Case

    mona = account("Mona", Role.MODERATOR).member
    assert not access.can_write(mona, ana)
    post = PostFactory(author=ana)
    cases.case_open(post=post, kind=Case.Kind.CRISIS)
    assert access.can_write(mona, ana)
    services.message_send(author=mona, recipient=ana, body="Je suis là si besoin.")
    # A plain member is not helping anyone; nor may the moderator write to Bea first.
    assert not access.can_write(bea, ana)
    assert not access.can_write(mona, bea)
    # Ana answers in the conversation the moderator started.
    services.message_send(author=ana, recipient=mona, body="Merci.")


@override_settings(THROTTLE_RATES={"messages.send": "100/min", "messages.first_contact": "2/hour"})
def test_first_contacts_are_rate_limited_and_replies_are_not(ana, tenant):
    others = [account(f"Membre{i}").member for i in range(3)]
    for other in others:
        open_to(other)
    services.message_send(author=ana, recipient=others[0], body="Bonjour")
    services.message_send(author=ana, recipient=others[1], body="Bonjour")
    with pytest.raises(RateLimited):
        services.message_send(author=ana, recipient=others[2], body="Bonjour")
    assert not Conversation.objects.filter(started_by=ana, member_high=others[2]).exists()
    assert not Conversation.objects.filter(started_by=ana, member_low=others[2]).exists()
    # Going on in a conversation is not a first contact.
    services.message_send(author=ana, recipient=others[0], body="Et toi ?")


def test_the_text_is_checked_a_megabyte_and_blank_are_refused(ana, bea):
    open_to(bea)
    assert _refused(ana, bea, "x" * 1_000_000).error_dict["body"][0].code == "max_length"
    assert _refused(ana, bea, "   ").error_dict["body"][0].code == "required"
    assert not Message.objects.exists()


def test_words_the_network_refuses_are_refused(ana, bea):
    open_to(bea)
    WatchedWord.objects.create(phrase="arnaque", action=WatchedWord.Action.BLOCK)
    assert _refused(ana, bea, "Une arnaque").error_dict["body"][0].code == "blocked"


def test_identifying_data_asks_for_a_confirmation(ana, bea):
    open_to(bea)
    text = "Appelle-moi au 06 12 34 56 78"
    assert _refused(ana, bea, text).error_dict["body"][0].code == "identifying"
    message = services.message_send(
        author=ana, recipient=bea, body=text, confirmed_identifying=True
    )
    assert message.body == text


def test_signs_of_a_crisis_show_the_help_lines_and_send_nothing_else(ana, bea):
    open_to(bea)
    CrisisTerm.objects.get_or_create(phrase="en finir")
    message = services.message_send(author=ana, recipient=bea, body="Je veux en finir.")
    assert message.screening.crisis


def test_unread_counts_read_and_hide(ana, bea):
    exchange(ana, bea, "Un", "Deux")
    assert selectors.unread_count(bea) == 2
    assert selectors.unread_count(ana) == 0
    side = access.participation_or_404(bea, Conversation.objects.get().pk)
    services.conversation_read(participation=side)
    assert selectors.unread_count(bea) == 0
    services.conversation_hide(participation=side)
    assert selectors.inbox_page(bea).items == []
    # A new message shows it again.
    services.message_send(author=ana, recipient=bea, body="Trois")
    assert [row.conversation_id for row in selectors.inbox_page(bea).items] == [
        side.conversation_id
    ]
    assert selectors.unread_count(bea) == 1


def test_a_double_submit_keeps_one_conversation(ana, bea):
    open_to(bea)
    services.message_send(author=ana, recipient=bea, body="Bonjour")
    open_to(ana)
    services.message_send(author=bea, recipient=ana, body="Bonjour")
    assert Conversation.objects.count() == 1
    assert Participation.objects.count() == 2


def test_the_email_notice_says_nothing_of_the_message_and_is_sent_once_until_read(
    ana, bea, tenant, mailoutbox
):
    open_to(bea)
    queue = JobQueue()
    with committed():
        services.message_send(author=ana, recipient=bea, body="Texte très privé")
    with committed():
        services.message_send(author=ana, recipient=bea, body="Deuxième texte privé")
    assert (
        queue.run("message_notice_send") == ["tenant_apps.messaging.jobs.message_notice_send"] * 2
    )
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["bea@example.org"]
    conversation = Conversation.objects.get()
    assert f"/messages/{conversation.pk}/" in email.body
    for secret in ("Texte très privé", "Deuxième", "Ana", "ana@example.org"):
        assert secret not in email.body
        assert secret not in email.subject
    # Read, then a new message: a new notice.
    services.conversation_read(participation=access.participation_or_404(bea, conversation.pk))
    with committed():
        services.message_send(author=ana, recipient=bea, body="Encore")
    queue.run("message_notice_send")
    assert len(mailoutbox) == 2


def test_no_notice_to_a_member_who_stopped_emails(tenant, mailoutbox):
    ana = account("Ana").member
    bea = account("Bea").member
    NotificationSettings.objects.update_or_create(member=bea, defaults={"frequency": "never"})
    open_to(bea)
    queue = JobQueue()
    with committed():
        services.message_send(author=ana, recipient=bea, body="Bonjour")
    queue.run("message_notice_send")
    assert mailoutbox == []
