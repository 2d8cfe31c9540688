"""Shapes of the moderation API: reports in, the queue and decisions out."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tenant_apps.forums.models import Post
from tenant_apps.moderation.models import Case, Report


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
    post = serializers.IntegerField(min_value=1, help_text="The id of the post reported.")
    reason = ReportReasonField()
    detail = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="",
        help_text="Required when the reason is `other`. Only moderators read it.",
    )  # fmt: skip


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    post = serializers.IntegerField(source="post_id", read_only=True)
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
    """A post waiting for a moderator, with its open cases."""

    post = serializers.IntegerField(source="pk", read_only=True)
    status = PostStatusField(read_only=True)
    body_html = serializers.CharField(read_only=True)
    author = serializers.SerializerMethodField()
    topic = serializers.IntegerField(source="topic_id", read_only=True)
    topic_title = serializers.CharField(source="topic.title", read_only=True)
    category = serializers.CharField(source="topic.category.name", read_only=True)
    created = serializers.DateTimeField(read_only=True)
    report_count = serializers.IntegerField(read_only=True)
    cases = QueueCaseSerializer(many=True, read_only=True, source="open_cases")

    def get_author(self, post: Post) -> str | None:
        return post.author.display_name if post.author else None


class HideSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="Shown to the author.")


class ModeratedPostSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    status = PostStatusField(read_only=True)
    hidden_reason = serializers.CharField(read_only=True)
