"""Shapes of the guidelines API: the list, a guideline with its version in force."""

from rest_framework import serializers

from tenant_apps.pro.models import Guideline, GuidelineSection, GuidelineVersion


class GuidelineRowSerializer(serializers.ModelSerializer):
    group = serializers.CharField(source="group.name")
    version = serializers.IntegerField(source="current_version.number", allow_null=True,
                                       default=None)  # fmt: skip

    class Meta:
        model = Guideline
        fields = ["id", "slug", "title", "organ", "group", "visibility", "status", "valid_until",
                  "version"]  # fmt: skip


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = GuidelineSection
        fields = ["position", "title", "body", "body_html"]


class GuidelineSerializer(GuidelineRowSerializer):
    change_summary = serializers.SerializerMethodField()
    sections = serializers.SerializerMethodField()
    versions = serializers.SerializerMethodField()

    class Meta(GuidelineRowSerializer.Meta):
        fields = [*GuidelineRowSerializer.Meta.fields, "change_summary", "sections", "versions"]

    def get_change_summary(self, guideline) -> str:
        version = self.context["version"]
        return version.change_summary if version else ""

    def get_sections(self, guideline) -> list[dict]:
        return SectionSerializer(self.context["sections"], many=True).data

    def get_versions(self, guideline) -> list[int]:
        return [v.number for v in self.context["versions"]]


class ListQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    organ = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")


class SectionWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=60000)


class VersionWriteSerializer(serializers.Serializer):
    change_summary = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    sections = SectionWriteSerializer(many=True, max_length=40, allow_empty=False)


class GuidelineCreateSerializer(VersionWriteSerializer):
    title = serializers.CharField(max_length=200)
    organ = serializers.CharField(max_length=80)
    visibility = serializers.ChoiceField(
        choices=Guideline.Visibility.choices, default=Guideline.Visibility.PROFESSIONALS
    )


class VersionSerializer(serializers.ModelSerializer):
    sections = SectionSerializer(many=True, read_only=True)

    class Meta:
        model = GuidelineVersion
        fields = ["number", "change_summary", "created", "validated_at", "sections"]


class ValidateSerializer(serializers.Serializer):
    valid_until = serializers.DateField(
        required=False, allow_null=True, default=None,
        help_text="Three years from today if left out.",
    )  # fmt: skip
