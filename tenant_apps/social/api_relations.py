"""The relations API: follows, followers, blocks, "people like me" and the feed, through the
same services and selectors as the pages.

A member hidden by a block (either way), suspended, erased or unknown is the same "cannot be
found": a 404 on a path, a 400 on the ``pseudonym`` field of a body. Every call from an
anonymous visitor or another network's session answers 404.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi import NOT_FOUND
from tenant_apps.members.models import Member
from tenant_apps.social import feed as social_feed
from tenant_apps.social import matching, relations
from tenant_apps.social.models import Block, Follow

PER_PAGE = 30


class NewestFirst(CursorPagination):
    page_size = PER_PAGE
    ordering = "-id"


class MemberRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    pseudonym = serializers.CharField(source="user.username")


class FollowingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    member = MemberRefSerializer(source="followed")
    since = serializers.DateTimeField(source="created")


class FollowerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    member = MemberRefSerializer(source="follower")
    since = serializers.DateTimeField(source="created")


class BlockSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    member = MemberRefSerializer(source="blocked")
    since = serializers.DateTimeField(source="created")


class PseudonymSerializer(serializers.Serializer):
    pseudonym = serializers.CharField(max_length=150)


class MatchingSettingsSerializer(serializers.Serializer):
    matching = serializers.BooleanField()
    matching_same_region = serializers.BooleanField(required=False, default=False)


class SuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="member_id")
    pseudonym = serializers.CharField()
    shared_pathologies = serializers.ListField(child=serializers.CharField())
    region = serializers.CharField()


class SuggestionsSerializer(serializers.Serializer):
    shown = serializers.BooleanField(help_text="False below five matches: no list, no count.")
    reason = serializers.CharField(allow_blank=True)
    results = SuggestionSerializer(many=True, source="items")


class FeedEntrySerializer(serializers.Serializer):
    kind = serializers.SerializerMethodField()
    id = serializers.IntegerField()
    published = serializers.DateTimeField(source="moment")
    author = serializers.SerializerMethodField()
    body_html = serializers.CharField(source="item.body_html")
    warnings = serializers.ListField(child=serializers.CharField(), source="item.warning_names")
    topic = serializers.SerializerMethodField()

    def get_kind(self, entry) -> str:
        return "experience" if entry.is_experience else "post"

    def get_author(self, entry) -> str:
        author = entry.item.author
        return author.user.username if author is not None and author.user else ""

    def get_topic(self, entry) -> int | None:
        return None if entry.is_experience else entry.item.topic_id


class PinnedSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()


class FeedPageSerializer(serializers.Serializer):
    results = FeedEntrySerializer(many=True, source="entries")
    pinned = PinnedSerializer(many=True)
    next = serializers.CharField(source="next_cursor", allow_null=True)


def _target(viewer: Member, pseudonym: str, *, blocked_by_me: bool = False) -> Member:
    """A member the viewer may relate to, else 400 on ``pseudonym`` (the same for all);
    with ``blocked_by_me``, one the viewer blocked is found too (blocking again)."""
    member = (
        relations.reachable_members().select_related("user").filter(user__username=pseudonym)
    ).first()
    if member is None or member.pk == viewer.pk:
        raise ValidationError({"pseudonym": _("This member cannot be found.")})
    if relations.is_blocked(viewer, member) and not (
        blocked_by_me and relations.has_blocked(viewer, member)
    ):
        raise ValidationError({"pseudonym": _("This member cannot be found.")})
    return member


class FollowListView(APIView):
    required_permissions = {"GET": None}
    pagination_class = NewestFirst  # the schema documents the page it answers

    @extend_schema(
        operation_id="social_following_list",
        summary="The members I follow, newest first",
        responses={200: FollowingSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        rows = (
            Follow.objects.filter(
                follower=request.member, followed__in=relations.reachable_members()
            )
            .exclude(followed_id__in=relations.blocked_ids_query(request.member))
            .select_related("followed__user")
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(FollowingSerializer(page, many=True).data)

    @extend_schema(
        operation_id="social_follow",
        summary="Follow a member (they are told once); following again changes nothing",
        request=PseudonymSerializer,
        responses={201: FollowingSerializer, 400: OpenApiResponse(), 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        data = PseudonymSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = _target(request.member, data.validated_data["pseudonym"])
        follow = relations.follow_create(follower=request.member, followed=member)
        return Response(FollowingSerializer(follow).data, status=status.HTTP_201_CREATED)


class FollowDetailView(APIView):
    required_permissions = {"GET": None}

    @extend_schema(
        operation_id="social_unfollow",
        summary="Stop following a member",
        responses={204: None, 404: NOT_FOUND},
    )
    def delete(self, request: Request, pseudonym: str) -> Response:
        found = Follow.objects.filter(
            follower=request.member, followed__user__username=pseudonym
        ).first()
        if found is None:
            raise Http404
        relations.follow_delete(follower=request.member, followed=found.followed)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FollowerListView(APIView):
    required_permissions = {"GET": None}
    pagination_class = NewestFirst  # the schema documents the page it answers

    @extend_schema(
        operation_id="social_followers_list",
        summary="The members who follow me, newest first",
        responses={200: FollowerSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        rows = (
            Follow.objects.filter(
                followed=request.member, follower__in=relations.reachable_members()
            )
            .exclude(follower_id__in=relations.blocked_ids_query(request.member))
            .select_related("follower__user")
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(FollowerSerializer(page, many=True).data)


class FollowerDetailView(APIView):
    required_permissions = {"GET": None}

    @extend_schema(
        operation_id="social_follower_remove",
        summary="Remove a member from my followers (they are not told)",
        responses={204: None, 404: NOT_FOUND},
    )
    def delete(self, request: Request, pseudonym: str) -> Response:
        found = Follow.objects.filter(
            followed=request.member, follower__user__username=pseudonym
        ).first()
        if found is None:
            raise Http404
        relations.follower_remove(member=request.member, follower=found.follower)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BlockListView(APIView):
    required_permissions = {"GET": None}
    pagination_class = NewestFirst  # the schema documents the page it answers

    @extend_schema(
        operation_id="social_blocks_list",
        summary="The members I blocked, newest first",
        responses={200: BlockSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        rows = Block.objects.filter(
            blocker=request.member, blocked__user__isnull=False
        ).select_related("blocked__user")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(BlockSerializer(page, many=True).data)

    @extend_schema(
        operation_id="social_block",
        summary="Block a member: hidden both ways, follows removed, nobody told",
        request=PseudonymSerializer,
        responses={201: BlockSerializer, 400: OpenApiResponse(), 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        data = PseudonymSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = _target(request.member, data.validated_data["pseudonym"], blocked_by_me=True)
        block = relations.block_create(blocker=request.member, blocked=member)
        return Response(BlockSerializer(block).data, status=status.HTTP_201_CREATED)


class BlockDetailView(APIView):
    required_permissions = {"GET": None}

    @extend_schema(
        operation_id="social_unblock",
        summary="Unblock a member",
        responses={204: None, 404: NOT_FOUND},
    )
    def delete(self, request: Request, pseudonym: str) -> Response:
        found = Block.objects.filter(
            blocker=request.member, blocked__user__username=pseudonym
        ).first()
        if found is None:
            raise Http404
        relations.block_delete(blocker=request.member, blocked=found.blocked)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MatchingSettingsView(APIView):
    required_permissions = {"GET": None}

    @extend_schema(
        operation_id="social_matching_settings",
        summary="My choice about being suggested to members who live the same thing",
        responses={200: MatchingSettingsSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        return Response(MatchingSettingsSerializer(matching.settings_of(request.member)).data)

    @extend_schema(
        operation_id="social_matching_settings_update",
        summary="Opt in or out (opting out removes me from every list at once)",
        request=MatchingSettingsSerializer,
        responses={200: MatchingSettingsSerializer, 400: OpenApiResponse(), 404: NOT_FOUND},
    )
    def put(self, request: Request) -> Response:
        data = MatchingSettingsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        chosen = matching.matching_settings_update(member=request.member, **data.validated_data)
        return Response(MatchingSettingsSerializer(chosen).data)


class SuggestionsView(APIView):
    required_permissions = {"GET": None}

    @extend_schema(
        operation_id="social_suggestions",
        summary="People like me: a list only when at least five members match",
        responses={200: SuggestionsSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        return Response(SuggestionsSerializer(matching.suggestions_for(request.member)).data)


class FeedView(APIView):
    required_permissions = {"GET": None}

    @extend_schema(
        operation_id="social_feed",
        summary="My feed: experiences of the members and posts of the topics I follow",
        parameters=[OpenApiParameter("cursor", str, description="``next`` of the last page")],
        responses={200: FeedPageSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        page = social_feed.feed_page(request.member, before=request.GET.get("cursor") or None)
        return Response(FeedPageSerializer(page).data)
