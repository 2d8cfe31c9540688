"""Shapes of the moderation API: reports in, the queue and decisions out."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tenant_apps.forums.models import Post
from tenant_apps.moderation.models import CASE_TARGETS, Case, Report


# Named components: the forums API has its own "status" and "kind" fields with other
# choices, and drf-spectacular warns when two enums would share a name.
@extend_schema_field(
    {"type": "string", "enum": list(Report.Reason.values)}, component_name="ReportReason"
)
class ReportReasonField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Report.Reason.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(Post.Status.values)}, component_name="ModeratedPostStatus"
)
class PostStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Post.Status.choices, **kwargs)


@extend_schema_field({"type": "string", "enum": list(Case.Kind.values)}, component_name="CaseKind")
class CaseKindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Case.Kind.choices, **kwargs)


class ReportCreateSerializer(serializers.Serializer):
    post = serializers.IntegerField(
        min_value=1, required=False, help_text="The id of the post reported."
    )
    experience = serializers.IntegerField(
        min_value=1, required=False, help_text="Or the id of the experience reported."
    )
    comment = serializers.IntegerField(
        min_value=1, required=False, help_text="Or the id of the comment (on an experience)."
    )
    reason = ReportReasonField()
    detail = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="",
        help_text="Required when the reason is `other`. Only moderators read it.",
    )  # fmt: skip

    def validate(self, data):
        given = [name for name in ("post", "experience", "comment") if data.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"post": [_("Give the id of one post, experience or comment.")]}
            )
        return data


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    post = serializers.IntegerField(source="post_id", read_only=True, allow_null=True)
    experience = serializers.IntegerField(
        source="case.experience_id", read_only=True, allow_null=True
    )
    comment = serializers.IntegerField(
        source="case.experience_comment_id", read_only=True, allow_null=True
    )
    reason = ReportReasonField(read_only=True)
    detail = serializers.CharField(read_only=True)
    created = serializers.DateTimeField(read_only=True)


class QueueReportSerializer(serializers.Serializer):
    reason = ReportReasonField(read_only=True)
    detail = serializers.CharField(read_only=True)
    reporter = serializers.SerializerMethodField()
    created = serializers.DateTimeField(read_only=True)

    def get_reporter(self, report: Report) -> str | None:
        return report.reporter.display_name if report.reporter else None


class QueueCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = CaseKindField(read_only=True)
    detail = serializers.CharField(read_only=True, help_text="The watched words, if any.")
    created = serializers.DateTimeField(read_only=True)
    reports = QueueReportSerializer(many=True, read_only=True, source="reports.all")


class QueueItemSerializer(serializers.Serializer):
    """A post, an experience or a comment waiting for a moderator, with its open cases."""

    target = serializers.ChoiceField(
        choices=CASE_TARGETS,
        source="case_target",
        read_only=True,
        help_text="What the cases are about: a forum post, an experience, a comment on one.",
    )
    id = serializers.IntegerField(source="pk", read_only=True)
    post = serializers.SerializerMethodField(help_text="The post's id, for a post.")
    status = PostStatusField(read_only=True)
    body_html = serializers.CharField(read_only=True)
    author = serializers.SerializerMethodField()
    topic = serializers.SerializerMethodField()
    topic_title = serializers.SerializerMethodField()
    category = serializers.SerializerMethodField()
    created = serializers.DateTimeField(read_only=True)
    report_count = serializers.IntegerField(read_only=True)
    cases = QueueCaseSerializer(many=True, read_only=True, source="open_cases")

    def get_post(self, item) -> int | None:
        return item.pk if isinstance(item, Post) else None

    def get_author(self, item) -> str | None:
        return item.author.display_name if item.author else None

    def get_topic(self, item) -> int | None:
        return item.topic_id if isinstance(item, Post) else None

    def get_topic_title(self, item) -> str | None:
        return item.topic.title if isinstance(item, Post) else None

    def get_category(self, item) -> str | None:
        return item.topic.category.name if isinstance(item, Post) else None


class HideSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="Shown to the author.")


class ModeratedPostSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    status = PostStatusField(read_only=True)
    hidden_reason = serializers.CharField(read_only=True)
