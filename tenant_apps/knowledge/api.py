"""The knowledge API: list, read and search articles; editors write them and move them through
review. Every refusal (anonymous, another network's session, a missing role, an article out of
reach) answers 404, the same as an address that does not exist."""

from django.db.models import prefetch_related_objects
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi import FIELD_ERRORS, NOT_FOUND
from tenant_apps.knowledge import roles, selectors, services
from tenant_apps.knowledge.models import Article
from tenant_apps.knowledge.serializers import (
    ArticleFilterSerializer,
    ArticleListSerializer,
    ArticleSearchHitSerializer,
    ArticleSerializer,
    ArticleWriteSerializer,
    PublishSerializer,
)
from tenant_apps.knowledge.services import SourceData


def _write_fields(data: dict, article: Article | None = None) -> dict:
    """The service's arguments: what was sent, the article's current values for the rest."""
    current = {}
    if article is not None:
        current = {
            "title": article.title,
            "summary": article.summary,
            "body": article.body,
            "categories": list(article.categories.all()),
            "tags": [tag.name for tag in article.tags.all()],
            "space": article.space,
            "sources": [
                SourceData(
                    title=s.title, publisher=s.publisher, url=s.url, published_on=s.published_on
                )
                for s in article.sources.all()
            ],
        }
    fields = {**current, **data}
    if "sources" in data:
        fields["sources"] = [SourceData(**source) for source in data["sources"]]
    fields.setdefault("categories", [])
    fields.setdefault("tags", [])
    fields.setdefault("space", None)
    fields.setdefault("sources", [])
    return fields


class ArticleListView(APIView):
    required_permissions = {"GET": None, "POST": "knowledge.article:write"}

    @extend_schema(
        operation_id="knowledge_articles_list",
        summary="Articles, or a search among them",
        description=(
            "Published articles the member may read, newest first. With `q`, a French "
            "full-text search (accents ignored, plurals matched), best first, with snippets."
        ),
        parameters=[ArticleFilterSerializer],
        responses={
            200: inline_serializer(
                "ArticlePage",
                {
                    "count": serializers.IntegerField(),
                    "next": serializers.CharField(allow_null=True),
                    "previous": serializers.CharField(allow_null=True),
                    "results": ArticleListSerializer(many=True),
                    "hits": ArticleSearchHitSerializer(many=True, required=False),
                    "capped": serializers.BooleanField(
                        required=False,
                        help_text="More articles matched than were ranked: `count` is a "
                        "lower bound.",
                    ),
                },
            ),
            400: FIELD_ERRORS,
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request) -> Response:
        given = ArticleFilterSerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        if data.get("q", "").strip():
            found = selectors.search(
                member=request.member,
                text=data["q"],
                kind="article",
                category=data.get("category"),
                page=data.get("page", 1),
                page_size=25,
            )
            prefetch_related_objects([hit.obj for hit in found.hits], "categories")
            hits = [
                {
                    "id": hit.obj.pk,
                    "title": hit.obj.title,
                    "summary": hit.obj.summary,
                    "title_html": hit.title_html,
                    "snippet_html": hit.snippet_html,
                    "rank": hit.rank,
                }
                for hit in found.hits
            ]
            return Response(
                {
                    "count": found.total,
                    "next": None,
                    "previous": None,
                    "results": ArticleListSerializer([h.obj for h in found.hits], many=True).data,
                    "hits": ArticleSearchHitSerializer(hits, many=True).data,
                    "capped": found.capped,
                }
            )
        if data.get("status") and roles.is_editorial(request.member):
            articles = selectors.articles_for_editors(status=data["status"]).prefetch_related(
                "categories"
            )
            if data.get("category"):
                articles = articles.filter(categories=data["category"])
        else:
            articles = selectors.articles_for(request.member, category=data.get("category"))
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(articles, request, view=self)
        return paginator.get_paginated_response(ArticleListSerializer(page, many=True).data)

    @extend_schema(
        operation_id="knowledge_articles_create",
        summary="Write a new article (editors)",
        description="The article starts as a draft.",
        request=ArticleWriteSerializer,
        responses={201: ArticleSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        given = ArticleWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        article = services.article_create(
            author=request.member, **_write_fields(given.validated_data)
        )
        found = selectors.access_article(request.member, article.pk)
        return Response(ArticleSerializer(found).data, status=status.HTTP_201_CREATED)


class ArticleDetailView(APIView):
    required_permissions = {"GET": None, "PATCH": "knowledge.article:write"}

    @extend_schema(
        operation_id="knowledge_articles_retrieve",
        summary="One article, with its sources and reviewer",
        responses={200: ArticleSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(ArticleSerializer(selectors.access_article(request.member, pk)).data)

    @extend_schema(
        operation_id="knowledge_articles_partial_update",
        summary="Change an article (editors)",
        description="Changes the fields sent; `sources`, when sent, is the full list.",
        request=ArticleWriteSerializer,
        responses={200: ArticleSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def patch(self, request: Request, pk: int) -> Response:
        article = selectors.access_article(request.member, pk)
        given = ArticleWriteSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        services.article_update(
            article=article, by=request.member, **_write_fields(given.validated_data, article)
        )
        return Response(ArticleSerializer(selectors.access_article(request.member, pk)).data)


class ArticleSubmitView(APIView):
    required_permissions = {"GET": "knowledge.article:write"}

    @extend_schema(
        operation_id="knowledge_articles_submit",
        summary="Send a draft for review (editors)",
        request=None,
        responses={200: ArticleSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        article = selectors.access_article(request.member, pk)
        services.article_submit(article=article, by=request.member)
        return Response(ArticleSerializer(selectors.access_article(request.member, pk)).data)


class ArticlePublishView(APIView):
    required_permissions = {"GET": "knowledge.article:review"}

    @extend_schema(
        operation_id="knowledge_articles_publish",
        summary="Verify and publish an article (reviewers)",
        description="Needs at least one source. Records the reviewer and the review date.",
        request=PublishSerializer,
        responses={200: ArticleSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        article = selectors.access_article(request.member, pk)
        given = PublishSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.article_publish(
            article=article,
            reviewer=request.member,
            next_review_on=given.validated_data.get("next_review_on"),
        )
        return Response(ArticleSerializer(selectors.access_article(request.member, pk)).data)
