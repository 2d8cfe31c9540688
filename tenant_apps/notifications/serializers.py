"""Shapes of the notifications API."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tenant_apps.notifications import presentation
from tenant_apps.notifications.models import Notification


# Its own schema component: other apps have a "kind" too, and same-named enums collide.
@extend_schema_field(
    {
        "type": "string",
        "enum": list(Notification.Kind.values),
        "description": "`mention`, `reply` (to a followed topic), `moderation` (a decision "
        "about my post or me, `detail` gives the reason) or `group` (a group decision).",
    },
    component_name="NotificationKind",
)
class NotificationKindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Notification.Kind.choices, **kwargs)


class NotificationSerializer(serializers.ModelSerializer):
    """One of my notifications, with the sentence the site shows for it."""

    kind = NotificationKindField(read_only=True)
    actor = serializers.SerializerMethodField(help_text=_("The pseudonym of who did it."))
    text = serializers.SerializerMethodField(help_text=_("What happened, in one sentence."))
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "actor", "subject", "detail", "url", "text", "created", "read"]
        read_only_fields = fields

    def get_actor(self, notification: Notification) -> str | None:
        actor = notification.actor
        return actor.display_name if actor is not None and actor.user_id else None

    def get_text(self, notification: Notification) -> str:
        return presentation.sentence(notification)

    def get_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=_("How many notifications were unread."))
