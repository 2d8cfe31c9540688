"""Shapes of the knowledge API: articles out, and the input checked before a service runs."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tenant_apps.knowledge.models import Article, Category, Source
from tenant_apps.knowledge.services import SourceData
from tenant_apps.members.models import Space


# One named schema component: "status" choice sets of other apps would collide with it.
@extend_schema_field(
    {
        "type": "string",
        "enum": list(Article.Status.values),
        "description": "`draft` → `review` → `published` → `archived`.",
    },
    component_name="ArticleStatus",
)
class ArticleStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Article.Status.choices, **kwargs)


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["title", "publisher", "url", "published_on"]

    def to_data(self, data: dict) -> SourceData:
        return SourceData(**data)


class ArticleListSerializer(serializers.ModelSerializer):
    categories = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    status = ArticleStatusField(read_only=True)

    class Meta:
        model = Article
        fields = ["id", "title", "summary", "categories", "status", "published"]


class ArticleSearchHitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    title_html = serializers.CharField(help_text="The title, escaped, with hits in <mark>.")
    snippet_html = serializers.CharField(help_text="An extract, escaped, with hits in <mark>.")
    rank = serializers.FloatField()


class ArticleSerializer(serializers.ModelSerializer):
    categories = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    status = ArticleStatusField(read_only=True)
    sources = SourceSerializer(many=True, read_only=True)
    reviewer = serializers.SerializerMethodField(help_text="The reviewer's pseudonym.")
    under_revision = serializers.BooleanField(source="review_overdue", read_only=True)

    class Meta:
        model = Article
        fields = [
            "id", "title", "summary", "body", "body_html", "categories", "tags", "space",
            "status", "published", "reviewer", "reviewed_on", "next_review_on",
            "under_revision", "sources",
        ]  # fmt: skip

    def get_reviewer(self, article: Article) -> str | None:
        return article.reviewer.display_name if article.reviewer else None


class ArticleWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=600)
    body = serializers.CharField(max_length=60000, help_text="Markdown.")
    categories = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Category.objects.all(), required=False
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, max_length=30
    )
    space = serializers.PrimaryKeyRelatedField(
        queryset=Space.objects.all(),
        allow_null=True,
        required=False,
        help_text="Null: everyone in the network.",
    )
    sources = SourceSerializer(many=True, required=False, max_length=30)


class ArticleFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=200, help_text="Full-text search.")
    category = serializers.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.all(), required=False
    )
    status = ArticleStatusField(
        required=False,
        help_text="Editors and reviewers only; others always get published articles.",
    )
    page = serializers.IntegerField(required=False, min_value=1)


class PublishSerializer(serializers.Serializer):
    next_review_on = serializers.DateField(
        required=False, allow_null=True, help_text="Default: one year from today."
    )
