"""Shapes of the experiences API: experiences, comments and reactions, in and out. Authors
appear by pseudonym only."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tenant_apps.forums import selectors as forums_selectors
from tenant_apps.forums.models import Reaction
from tenant_apps.social.models import Experience
from tenant_apps.social.services import BODY_MAX, COMMENT_MAX


@extend_schema_field(
    {"type": "string", "enum": list(Experience.Audience.values)}, component_name="Audience"
)
class AudienceField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Experience.Audience.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(Experience.Status.values)}, component_name="ExperienceStatus"
)
class StatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Experience.Status.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(Reaction.Kind.values)}, component_name="ExperienceReactionKind"
)
class KindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Reaction.Kind.choices, **kwargs)


@extend_schema_field({"type": "string"})
class AuthorField(serializers.Field):
    """The author's pseudonym ("Membre supprimé #…" once erased)."""

    def to_representation(self, member) -> str:
        return member.display_name


class ExperienceReactionCountSerializer(serializers.Serializer):
    kind = KindField(read_only=True)
    count = serializers.IntegerField(read_only=True)
    pressed = serializers.BooleanField(read_only=True, help_text="Whether you pressed it.")


class ExperienceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    author = AuthorField(read_only=True)
    body = serializers.CharField(read_only=True)
    body_html = serializers.CharField(read_only=True, help_text="Cleaned HTML of the body.")
    audience = AudienceField(read_only=True)
    status = StatusField(read_only=True)
    hidden_reason = serializers.CharField(read_only=True)
    warnings = serializers.ListField(
        child=serializers.CharField(), source="warning_names", read_only=True
    )
    has_image = serializers.SerializerMethodField()
    image_alt = serializers.CharField(read_only=True)
    created = serializers.DateTimeField(read_only=True)
    edited = serializers.DateTimeField(read_only=True, allow_null=True)  # never edited: null
    comment_count = serializers.IntegerField(read_only=True)
    reactions = ExperienceReactionCountSerializer(
        many=True, read_only=True, source="reactions_shown"
    )

    def get_has_image(self, experience) -> bool:
        return bool(experience.image)


class ExperiencePageSerializer(serializers.Serializer):
    results = ExperienceSerializer(many=True)
    next = serializers.CharField(
        allow_null=True, help_text="The `apres` cursor of the next page, if any."
    )


class ExperienceFilterSerializer(serializers.Serializer):
    apres = serializers.CharField(
        required=False, max_length=60, help_text="The cursor of the page to read."
    )


class ExperienceWriteSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=BODY_MAX)
    audience = AudienceField(default=Experience.Audience.NETWORK)
    warnings = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=forums_selectors.content_warnings(),
        help_text="Ids of the network's content warnings.",
    )
    confirm_identifying = serializers.BooleanField(
        default=False,
        help_text="Publish even though screening found identifying data (asked for by a 400).",
    )


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    experience = serializers.IntegerField(source="experience_id", read_only=True)
    author = AuthorField(read_only=True)
    body = serializers.CharField(read_only=True)
    body_html = serializers.CharField(read_only=True)
    status = StatusField(read_only=True)
    hidden_reason = serializers.CharField(read_only=True)
    created = serializers.DateTimeField(read_only=True)
    edited = serializers.DateTimeField(read_only=True, allow_null=True)  # never edited: null


class CommentWriteSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=COMMENT_MAX)
    confirm_identifying = serializers.BooleanField(default=False)


class ReactionWriteSerializer(serializers.Serializer):
    kind = KindField()
    pressed = serializers.BooleanField(help_text="Press (true) or release (false) it.")
