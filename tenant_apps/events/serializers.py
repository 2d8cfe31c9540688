"""Shapes of the events API: what goes out (pseudonyms, never emails, never who else
registered), and the input checked before a service runs."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tenant_apps.events.models import Event, Registration
from tenant_apps.members.models import Space


def _named_choices(name: str, choices, description: str):
    """A choice field documented once as its own schema component (several apps have a
    ``status``; drf-spectacular warns when their enums share a name)."""

    @extend_schema_field(
        {"type": "string", "enum": [v for v, _label in choices], "description": description},
        component_name=name,
    )
    class Field(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    Field.__name__ = f"{name}Field"
    return Field


EventFormatField = _named_choices(
    "EventFormat", Event.Format.choices, "`webinar`, `in_person`, `challenge` or `other`."
)
EventStatusField = _named_choices(
    "EventStatus", Event.Status.choices, "`draft` (writers only), `published`, `cancelled`."
)
EventWriteStatusField = _named_choices(
    "EventWriteStatus",
    [(Event.Status.DRAFT, _("Draft")), (Event.Status.PUBLISHED, _("Published"))],
    "`draft` or `published` (cancel with the cancel endpoint).",
)
RegistrationStatusField = _named_choices(
    "RegistrationStatus",
    Registration.Status.choices,
    "`registered`: a place; `waiting`: on the waiting list.",
)


class SpeakerSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    role = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    pseudonym = serializers.SerializerMethodField()

    def get_pseudonym(self, speaker) -> str | None:
        member = getattr(speaker, "member", None)
        return member.user.username if member and member.user else None


class EventListSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    format = EventFormatField()
    status = EventStatusField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    online = serializers.BooleanField()
    place = serializers.CharField()
    space = serializers.CharField(
        source="space.slug", read_only=True, allow_null=True, help_text="Empty: everyone."
    )
    capacity = serializers.IntegerField(allow_null=True)
    places_left = serializers.IntegerField(allow_null=True)
    my_registration = RegistrationStatusField(source="my_status", allow_null=True)


class EventPageSerializer(serializers.Serializer):
    results = EventListSerializer(many=True)
    next = serializers.CharField(allow_null=True, help_text="`apres` of the next page.")


class EventFilterSerializer(serializers.Serializer):
    past = serializers.BooleanField(required=False, default=False)
    # Not "format": DRF reads that one to choose the response's renderer.
    event_format = EventFormatField(required=False)
    apres = serializers.CharField(required=False, max_length=40)


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    format = EventFormatField()
    status = EventStatusField()
    description = serializers.CharField()
    description_html = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    online = serializers.BooleanField()
    place = serializers.CharField()
    accessibility = serializers.CharField()
    space = serializers.CharField(
        source="space.slug", read_only=True, allow_null=True, help_text="Empty: everyone."
    )
    capacity = serializers.IntegerField(allow_null=True)
    speakers = SpeakerSerializer(many=True, source="speaker_list")
    registered = serializers.IntegerField(source="places.taken")
    waiting = serializers.IntegerField(source="places.waiting")
    my_registration = RegistrationStatusField(allow_null=True, source="my_status")


class SpeakerWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    role = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class EventWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    format = EventFormatField()
    description = serializers.CharField(max_length=20000)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    online = serializers.BooleanField(required=False, default=False)
    place = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    accessibility = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, default=""
    )
    join_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    space = serializers.SlugRelatedField(
        slug_field="slug", queryset=Space.objects.all(), required=False, allow_null=True,
        default=None,
    )  # fmt: skip
    capacity = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    status = EventWriteStatusField(required=False, default=Event.Status.DRAFT)
    speakers = SpeakerWriteSerializer(many=True, required=False, max_length=12)
    cover = serializers.FileField(
        required=False,
        write_only=True,
        help_text="A JPEG, PNG, WebP or GIF picture, sent as multipart form data; it is "
        "re-encoded without its metadata, like a cover added from the event's page.",
    )


class RegistrationSerializer(serializers.Serializer):
    status = RegistrationStatusField()
    waiting_position = serializers.IntegerField(allow_null=True)


QuestionStatusField = _named_choices(
    "EventQuestionStatus",
    [("pending", _("Awaiting a moderator")), ("visible", _("Visible")), ("hidden", _("Hidden"))],
    "`visible`; `pending`: kept for a moderator; `hidden`.",
)


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    text = serializers.CharField()
    author = serializers.SerializerMethodField(
        help_text="The asker's pseudonym; empty when they asked anonymously (to moderators "
        "too: the API shows what members see) or for the asker's own question."
    )
    mine = serializers.SerializerMethodField()
    anonymous = serializers.BooleanField()
    status = QuestionStatusField()
    pinned = serializers.BooleanField()
    answered = serializers.SerializerMethodField()
    votes = serializers.IntegerField(source="votes_count")
    voted = serializers.BooleanField()

    def get_author(self, question) -> str | None:
        if question.anonymous or question.author.user is None:
            return None
        return question.author.user.username

    def get_mine(self, question) -> bool:
        return question.author_id == self.context["member"].pk

    def get_answered(self, question) -> bool:
        return question.answered_at is not None


class QuestionAskSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=1000)
    anonymous = serializers.BooleanField(required=False, default=False)
    confirm_identifying = serializers.BooleanField(required=False, default=False)


class VoteSerializer(serializers.Serializer):
    voted = serializers.BooleanField()
    votes = serializers.IntegerField()
