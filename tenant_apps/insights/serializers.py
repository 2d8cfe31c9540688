from rest_framework import serializers

from tenant_apps.insights.models import (
    EPSILON_MAX,
    EPSILON_MIN,
    THRESHOLD_MIN,
    Dimension,
    Measure,
    Release,
)
from tenant_apps.insights.services import TITLE_MAX


class InsightsChoicesSerializer(serializers.Serializer):
    """An admin's choices for a report (the report builder's fields)."""

    measure = serializers.ChoiceField(choices=Measure.choices)
    dimensions = serializers.ListField(
        child=serializers.ChoiceField(choices=Dimension.choices),
        min_length=1,
        max_length=2,
        help_text="One or two different breakdowns.",
    )
    period_start = serializers.DateField(help_text="A day of the first month (its first day).")
    period_end = serializers.DateField(help_text="A day of the last month, included.")
    threshold = serializers.IntegerField(min_value=THRESHOLD_MIN, max_value=1000, required=False)
    epsilon = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=EPSILON_MIN,
        max_value=EPSILON_MAX,
        required=False,
        help_text="The share of the year's privacy budget this release spends.",
    )


class InsightsPublishSerializer(InsightsChoicesSerializer):
    title = serializers.CharField(max_length=TITLE_MAX)


class InsightsHeadingSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class InsightsResultSerializer(serializers.Serializer):
    """The frozen figures; ``null`` is a hidden value."""

    format = serializers.IntegerField()
    rows = InsightsHeadingSerializer(many=True)
    columns = InsightsHeadingSerializer(many=True, help_text="Empty with one dimension.")
    cells = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(allow_null=True)),
        help_text="Rows × columns; empty with one dimension.",
    )
    row_totals = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    column_totals = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    total = serializers.IntegerField(allow_null=True)
    hidden = serializers.IntegerField()
    published = serializers.IntegerField()


class InsightsReleaseSerializer(serializers.ModelSerializer):
    status = serializers.CharField(help_text="`draft` or `published`.")
    share_url = serializers.SerializerMethodField(
        help_text="The signed-out link while the release is shared, else null."
    )

    class Meta:
        model = Release
        fields = [
            "id", "title", "status", "measure", "dimensions", "period_start", "period_end",
            "threshold", "epsilon", "created", "published_at", "shared", "listed_in_directory",
            "share_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_share_url(self, release: Release) -> str | None:
        return self.context["share_url"](release) if release.shared else None


class InsightsReleaseDetailSerializer(InsightsReleaseSerializer):
    result = InsightsResultSerializer(allow_null=True, help_text="Null for a draft.")

    class Meta(InsightsReleaseSerializer.Meta):
        fields = [*InsightsReleaseSerializer.Meta.fields, "result"]
        read_only_fields = fields

    def to_representation(self, release: Release) -> dict:
        data = super().to_representation(release)
        if release.status != Release.Status.PUBLISHED:
            data["result"] = None
        return data


class InsightsReleasePageSerializer(serializers.Serializer):
    results = InsightsReleaseSerializer(many=True)
    next = serializers.CharField(allow_null=True, help_text="`apres` of the next page.")


class InsightsReleaseFilterSerializer(serializers.Serializer):
    apres = serializers.CharField(required=False, max_length=80)


class InsightsBudgetSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=6, decimal_places=2)
    spent = serializers.DecimalField(max_digits=6, decimal_places=2)
    left = serializers.DecimalField(max_digits=6, decimal_places=2)


class InsightsPreviewSerializer(serializers.Serializer):
    """A release's shape, noise and budget. Nothing in it depends on the data: which values
    are hidden is decided from the counts at publication, never in a preview."""

    rows = InsightsHeadingSerializer(many=True)
    columns = InsightsHeadingSerializer(many=True)
    figures = serializers.IntegerField(help_text="Values in the table, totals included.")
    margin_95 = serializers.IntegerField(help_text="± the noise stays within, 95 % of the time.")
    budget = InsightsBudgetSerializer()
    refusal = serializers.CharField(help_text="Why it could not be published now, or empty.")
