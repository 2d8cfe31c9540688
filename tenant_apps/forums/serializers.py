"""Shapes of the forums API: what goes out (pseudonyms, never emails), and the input checked
before a service runs."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tenant_apps.forums import access
from tenant_apps.forums.models import Category, ContentWarning, Post, Reaction, Topic
from tenant_apps.moderation.cases import crisis_resources_list


def _named_choices(name: str, choices, description: str):
    """A choice field documented once as its own schema component: several apps have a
    ``status`` or a ``kind``, and drf-spectacular warns when their enums share a name."""

    @extend_schema_field(
        {
            "type": "string",
            "enum": [value for value, _label in choices],
            "description": description,
        },
        component_name=name,
    )
    class Field(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    Field.__name__ = f"{name}Field"
    return Field


TopicStatusField = _named_choices(
    "TopicStatus", Topic.Status.choices, "`visible`; `held`: awaiting approval; `hidden`."
)
PostStatusField = _named_choices(
    "PostStatus", Post.Status.choices, "`published`; `held`: awaiting approval; `hidden`."
)
ReactionKindField = _named_choices(
    "ReactionKind", Reaction.Kind.choices, "`thanks`, `support`, `courage` or `same` (me too)."
)


class SpaceRefSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class CategorySerializer(serializers.ModelSerializer):
    space = SpaceRefSerializer(read_only=True)
    group = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    topic_count = serializers.IntegerField(read_only=True)
    last_activity = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Category
        fields = ["slug", "name", "description", "space", "group", "topic_count", "last_activity"]
        read_only_fields = fields


class TopicSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    author = serializers.SerializerMethodField()
    unread = serializers.BooleanField(read_only=True, default=False)
    status = TopicStatusField(read_only=True)

    class Meta:
        model = Topic
        fields = [
            "id", "category", "title", "author", "created", "last_post_at", "reply_count",
            "pinned", "locked", "status", "unread",
        ]  # fmt: skip
        read_only_fields = fields

    def get_author(self, topic: Topic) -> str | None:
        return topic.author.display_name if topic.author else None


class TopicPageSerializer(serializers.Serializer):
    results = TopicSerializer(many=True, read_only=True)
    next = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("Pass it as `apres` for the next page.")
    )


class ReactionCountSerializer(serializers.Serializer):
    kind = ReactionKindField(read_only=True)
    count = serializers.IntegerField(read_only=True)
    mine = serializers.BooleanField(read_only=True)


class PostSerializer(serializers.ModelSerializer):
    """A post as its reader may see it: a hidden post shows its author the reason only."""

    author = serializers.SerializerMethodField()
    body_html = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()
    reactions = serializers.SerializerMethodField()
    status = PostStatusField(read_only=True)

    class Meta:
        model = Post
        fields = [
            "id", "topic", "author", "is_opening", "body_html", "created", "edited", "status",
            "hidden_reason", "warnings", "reactions",
        ]  # fmt: skip
        read_only_fields = fields

    def get_author(self, post: Post) -> str | None:
        return post.author.display_name if post.author else None

    def get_body_html(self, post: Post) -> str:
        # forums.access decides, for the reader the view puts in the context.
        shown = access.post_body_shown(self.context.get("member"), post)
        return post.body_html if shown else ""

    def get_warnings(self, post: Post) -> list[str]:
        return post.warning_names  # kept on the post when written (forums.services)

    @extend_schema_field(ReactionCountSerializer(many=True))
    def get_reactions(self, post: Post) -> list[dict]:
        return [
            {"kind": r["kind"], "count": r["count"], "mine": r["pressed"]}
            for r in getattr(post, "reactions_shown", [])
        ]


class CrisisResourceSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)


class _WithCrisisLines(serializers.Serializer):
    """What was just written, with the network's help lines when screening saw signs of a
    crisis in it (``screening``, set by the forum services), else an empty list: an app
    shows them at once, as the pages do."""

    crisis_resources = serializers.SerializerMethodField()

    @extend_schema_field(CrisisResourceSerializer(many=True))
    def get_crisis_resources(self, written: Topic | Post) -> list[dict]:
        screening = getattr(written, "screening", None)
        if screening is None or not screening.crisis:
            return []
        return CrisisResourceSerializer(crisis_resources_list(), many=True).data


class TopicCreatedSerializer(_WithCrisisLines, TopicSerializer):
    class Meta(TopicSerializer.Meta):
        fields = [*TopicSerializer.Meta.fields, "crisis_resources"]
        read_only_fields = fields


class PostCreatedSerializer(_WithCrisisLines, PostSerializer):
    class Meta(PostSerializer.Meta):
        fields = [*PostSerializer.Meta.fields, "crisis_resources"]
        read_only_fields = fields


class PostPageSerializer(serializers.Serializer):
    results = PostSerializer(many=True, read_only=True)
    next = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Pass it as `apres` for the next page.")
    )


class _WritingSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=20000, trim_whitespace=False, label=_("message"))
    warnings = serializers.PrimaryKeyRelatedField(
        queryset=ContentWarning.objects.all(),
        many=True,
        required=False,
        help_text=_("Ids of the network's content warnings this message is about."),
    )
    confirm_identifying = serializers.BooleanField(
        default=False,
        help_text=_(
            "Set to true to publish a message in which identifying data (email, phone, "
            "address, social security number) was found."
        ),
    )


class TopicCreateSerializer(_WritingSerializer):
    title = serializers.CharField(max_length=200, label=_("title"))


class PostCreateSerializer(_WritingSerializer):
    pass


class ReactionToggleSerializer(serializers.Serializer):
    kind = ReactionKindField()


class ReactionStateSerializer(serializers.Serializer):
    kind = ReactionKindField(read_only=True)
    active = serializers.BooleanField(read_only=True, help_text=_("True when now added."))
    count = serializers.IntegerField(read_only=True)


class TopicCursorSerializer(serializers.Serializer):
    apres = serializers.CharField(required=False, help_text=_("The `next` of the previous page."))


class PostCursorSerializer(serializers.Serializer):
    apres = serializers.IntegerField(
        required=False, min_value=0, help_text=_("The `next` of the previous page.")
    )
