"""The forums API: categories, topics and posts (keyset pages), writing, reactions.

Same services and access helpers as the pages: every refusal (anonymous, another network's
session, out of the member's spaces) answers 404, the same as an address that does not exist.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.throttle import throttle_hit
from tenant_apps.forums import selectors, services
from tenant_apps.forums.serializers import (
    CategorySerializer,
    PostCreatedSerializer,
    PostCreateSerializer,
    PostCursorSerializer,
    PostPageSerializer,
    ReactionStateSerializer,
    ReactionToggleSerializer,
    TopicCreatedSerializer,
    TopicCreateSerializer,
    TopicCursorSerializer,
    TopicPageSerializer,
    TopicSerializer,
)

NOT_FOUND = OpenApiResponse(description="Not found, not signed in, or out of your spaces.")
BAD_INPUT = OpenApiResponse(description="Field errors, by field name.")


# The identifying-data check answers on the ``confirm_identifying`` field that lifts it.
WRITING_ERRORS = {"identifying": "confirm_identifying"}


class CategoryListView(APIView):
    required_permissions = {"GET": None}  # any member of the network

    @extend_schema(
        operation_id="forums_categories_list",
        summary="Forums I can read",
        responses={200: CategorySerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        categories = [
            c for _space, group in selectors.categories_index(request.member) for c in group
        ]
        return Response(CategorySerializer(categories, many=True).data)


class TopicListView(APIView):
    required_permissions = {"GET": None, "POST": "forums.topic:create"}
    service_error_fields = WRITING_ERRORS

    @extend_schema(
        operation_id="forums_topics_list",
        summary="Topics of a forum",
        description="Pinned topics head the first page, then by last activity. Keyset pages.",
        parameters=[TopicCursorSerializer],
        responses={200: TopicPageSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    def get(self, request: Request, slug: str) -> Response:
        category = selectors.access_category(request.member, slug)
        given = TopicCursorSerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        after = None
        if given.validated_data.get("apres"):
            try:
                after = selectors.Cursor.decode(given.validated_data["apres"])
            except (ValueError, OverflowError, OSError) as error:
                raise serializers.ValidationError({"apres": [_("Not a valid cursor.")]}) from error
        page = selectors.topics_page(member=request.member, category=category, after=after)
        return Response(
            TopicPageSerializer(
                {"results": page.pinned + page.topics, "next": page.next_cursor}
            ).data
        )

    @extend_schema(
        operation_id="forums_topics_create",
        summary="Open a topic",
        description=(
            "The message is screened: blocked words answer 400; identifying data answers 400 "
            "on `confirm_identifying` until it is sent true; a new member's topic may be held "
            "for approval (`status`: held)."
        ),
        request=TopicCreateSerializer,
        responses={201: TopicCreatedSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    def post(self, request: Request, slug: str) -> Response:
        category = selectors.access_category(request.member, slug)
        given = TopicCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        throttle_hit(action="forums.post", member_id=request.member.pk)  # 429, Retry-After
        topic = services.topic_create(
            author=request.member,
            category=category,
            title=data["title"],
            body=data["body"],
            warnings=data.get("warnings", []),
            confirmed_identifying=data["confirm_identifying"],
        )
        return Response(TopicCreatedSerializer(topic).data, status=status.HTTP_201_CREATED)


class TopicDetailView(APIView):
    required_permissions = {"GET": None}  # any member of the network

    @extend_schema(
        operation_id="forums_topics_retrieve",
        summary="A topic",
        responses={200: TopicSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, topic_id: int) -> Response:
        return Response(TopicSerializer(selectors.access_topic(request.member, topic_id)).data)


class PostListView(APIView):
    required_permissions = {"GET": None, "POST": "forums.post:create"}
    service_error_fields = WRITING_ERRORS

    @extend_schema(
        operation_id="forums_posts_list",
        summary="Posts of a topic",
        description="In order, 20 per page (keyset). Marks the topic read up to the last one.",
        parameters=[PostCursorSerializer],
        responses={200: PostPageSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    def get(self, request: Request, topic_id: int) -> Response:
        member = request.member
        topic = selectors.access_topic(member, topic_id)
        given = PostCursorSerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        page = selectors.posts_page(
            member=member, topic=topic, after=given.validated_data.get("apres", 0)
        )
        if page.posts and page.posts[-1].pk > topic.read_up_to:
            services.topic_read_mark(member=member, topic=topic, post_id=page.posts[-1].pk)
        context = {"member": member}
        return Response(
            PostPageSerializer(
                {"results": page.posts, "next": page.next_after}, context=context
            ).data
        )

    @extend_schema(
        operation_id="forums_posts_create",
        summary="Reply to a topic",
        description=(
            "Screened like a new topic. A locked topic takes replies from moderators only. "
            "`crisis_resources` lists the network's help lines when the message shows signs "
            "of a crisis: show them to the author at once."
        ),
        request=PostCreateSerializer,
        responses={201: PostCreatedSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    def post(self, request: Request, topic_id: int) -> Response:
        member = request.member
        topic = selectors.access_topic(member, topic_id)
        if not selectors.can_reply(member, topic):
            raise Http404
        given = PostCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        throttle_hit(action="forums.post", member_id=member.pk)  # 429, Retry-After
        post = services.post_create(
            author=member,
            topic=topic,
            body=data["body"],
            warnings=data.get("warnings", []),
            confirmed_identifying=data["confirm_identifying"],
        )
        return Response(PostCreatedSerializer(post).data, status=status.HTTP_201_CREATED)


class ReactionToggleView(APIView):
    required_permissions = {"GET": None, "POST": "forums.post:react"}

    @extend_schema(
        operation_id="forums_reactions_toggle",
        summary="Add or take back a reaction",
        request=ReactionToggleSerializer,
        responses={200: ReactionStateSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    def post(self, request: Request, post_id: int) -> Response:
        post = selectors.access_post(request.member, post_id)
        given = ReactionToggleSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        kind = given.validated_data["kind"]
        active = services.reaction_toggle(member=request.member, post=post, kind=kind)
        count = selectors.reaction_count(post=post, kind=kind)
        return Response(
            ReactionStateSerializer({"kind": kind, "active": active, "count": count}).data
        )
