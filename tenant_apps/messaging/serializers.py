from rest_framework import serializers

from tenant_apps.messaging.models import BODY_MAX, Message
from tenant_apps.social.models import SocialSettings


class MessagingMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    display_name = serializers.CharField(help_text="Pseudonym, or “Deleted member #…”.")


class ConversationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="conversation_id")
    other = MessagingMemberSerializer()
    last_message_at = serializers.DateTimeField(allow_null=True)
    unread = serializers.IntegerField()
    snippet = serializers.CharField(allow_null=True, help_text="The last message's beginning.")


class ConversationPageSerializer(serializers.Serializer):
    results = ConversationSerializer(many=True)
    next = serializers.CharField(allow_null=True, help_text="`apres` of the next page.")


class ConversationFilterSerializer(serializers.Serializer):
    apres = serializers.CharField(required=False, max_length=40)


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    conversation = serializers.IntegerField(source="conversation_id")
    author = serializers.IntegerField(source="author_id")
    mine = serializers.BooleanField()
    body = serializers.SerializerMethodField(
        help_text="Plain text; empty once its author's data was erased or the moderators hid it."
    )
    erased = serializers.BooleanField()
    status = serializers.CharField(help_text="`published`, or `hidden` by the moderators.")

    def get_body(self, message: Message) -> str:
        return "" if message.status == Message.Status.HIDDEN else message.body

    created = serializers.DateTimeField()


class MessagePageSerializer(serializers.Serializer):
    results = MessageSerializer(many=True)
    next = serializers.CharField(
        allow_null=True, help_text="`avant` for the earlier messages (oldest first on a page)."
    )


class MessageFilterSerializer(serializers.Serializer):
    avant = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class MessageSendSerializer(serializers.Serializer):
    recipient = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    body = serializers.CharField(max_length=BODY_MAX, trim_whitespace=False)
    confirm_identifying = serializers.BooleanField(required=False, default=False)


class SentSerializer(MessageSerializer):
    crisis = serializers.BooleanField(
        help_text="Signs of a crisis: show the author the network's help lines."
    )


class FirstContactSerializer(serializers.Serializer):
    first_contact = serializers.ChoiceField(
        choices=SocialSettings.FirstContact.choices,
        help_text="`nobody` (the default), `followed` (the people I follow) or `everyone`.",
    )
