"""The moderation API: members report posts; moderators read the queue and decide.

Every refusal (anonymous, another network's session, a missing permission, a post out of
reach) answers 404, the same as an address that does not exist.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi import FIELD_ERRORS
from tenant_apps.members.api import NOT_FOUND
from tenant_apps.moderation import selectors, services
from tenant_apps.moderation.serializers import (
    HideSerializer,
    ModeratedPostSerializer,
    QueueItemSerializer,
    ReportCreateSerializer,
    ReportSerializer,
)


class ReportCreateView(APIView):
    required_permissions = {"GET": "forums.post:report", "POST": "forums.post:report"}

    @extend_schema(
        operation_id="moderation_report_create",
        summary="Report a post, an experience or a comment to the moderators",
        description=(
            "Give exactly one of `post`, `experience`, `comment`. One open report per member "
            "and message. The author is not told who reported."
        ),
        request=ReportCreateSerializer,
        responses={201: ReportSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        given = ReportCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        if data.get("post"):
            target = selectors.access_post_to_report(request.member, data["post"])
        elif data.get("experience"):
            target = selectors.access_experience_to_report(request.member, data["experience"])
        else:
            target = selectors.access_comment_to_report(request.member, data["comment"])
        report = services.report_create(
            reporter=request.member, target=target, reason=data["reason"], detail=data["detail"]
        )
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class QueueView(generics.ListAPIView):
    required_permissions = {"GET": "moderation.queue:read"}
    serializer_class = QueueItemSerializer

    @extend_schema(
        operation_id="moderation_queue_list",
        summary="The moderation queue (moderators)",
        description=(
            "Posts, experiences and comments with open cases (`target` says which), most "
            "urgent first: possible crises, then by number of reports, then held messages, "
            "then watched words; oldest first within each."
        ),
        responses={200: QueueItemSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.queue_posts()


class _PostDecisionView(APIView):
    required_permissions = {"GET": "moderation.post:moderate", "POST": "moderation.post:moderate"}
    body_serializer = None

    def decide(self, request: Request, post_id: int, **kwargs) -> Response:
        post = selectors.access_post_to_moderate(request.member, post_id)
        if self.body_serializer is not None:  # read only once the post is within reach
            given = self.body_serializer(data=request.data)
            given.is_valid(raise_exception=True)
            kwargs.update(given.validated_data)
        post = self.service(moderator=request.member, post=post, **kwargs)
        return Response(ModeratedPostSerializer(post).data)


class PostApproveView(_PostDecisionView):
    service = staticmethod(services.post_approve)

    @extend_schema(
        operation_id="moderation_post_approve",
        summary="Approve a post (moderators)",
        description="Publishes a held post, or keeps a published one; closes its open cases.",
        request=None,
        responses={200: ModeratedPostSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, post_id: int) -> Response:
        return self.decide(request, post_id)


class PostHideView(_PostDecisionView):
    service = staticmethod(services.post_hide)
    body_serializer = HideSerializer

    @extend_schema(
        operation_id="moderation_post_hide",
        summary="Hide a post with a reason (moderators)",
        description="The author is notified with the reason and sees it in place of the post.",
        request=HideSerializer,
        responses={200: ModeratedPostSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, post_id: int) -> Response:
        return self.decide(request, post_id)


class PostRestoreView(_PostDecisionView):
    service = staticmethod(services.post_restore)

    @extend_schema(
        operation_id="moderation_post_restore",
        summary="Restore a hidden post (moderators)",
        request=None,
        responses={200: ModeratedPostSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, post_id: int) -> Response:
        return self.decide(request, post_id)


class _ContentDecisionView(APIView):
    """A decision on an experience or a comment: ``action`` is approve, hide or restore."""

    required_permissions = {"GET": "moderation.post:moderate", "POST": "moderation.post:moderate"}
    access = None

    def post(self, request: Request, pk: int, action: str) -> Response:
        if action not in ("approve", "hide", "restore"):
            raise Http404
        target = type(self).access(request.member, pk)
        if action == "hide":
            given = HideSerializer(data=request.data)
            given.is_valid(raise_exception=True)
            target = services.content_hide(
                moderator=request.member, target=target, reason=given.validated_data["reason"]
            )
        elif action == "approve":
            target = services.content_approve(moderator=request.member, target=target)
        else:
            target = services.content_restore(moderator=request.member, target=target)
        return Response(ModeratedPostSerializer(target).data)


DECISION = {
    "request": HideSerializer,
    "responses": {200: ModeratedPostSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    "parameters": [
        OpenApiParameter(
            "action", str, OpenApiParameter.PATH, enum=["approve", "hide", "restore"],
            description="approve (publish a held one, or keep it), hide (with a reason, "
            "in the body), restore (a hidden one).",
        )
    ],
}  # fmt: skip


class ExperienceDecisionView(_ContentDecisionView):
    access = staticmethod(selectors.access_experience_to_moderate)

    @extend_schema(
        operation_id="moderation_experience_decide",
        summary="Approve, hide or restore an experience (moderators)",
        **DECISION,
    )
    def post(self, request: Request, pk: int, action: str) -> Response:
        return super().post(request, pk, action)


class CommentDecisionView(_ContentDecisionView):
    access = staticmethod(selectors.access_comment_to_moderate)

    @extend_schema(
        operation_id="moderation_comment_decide",
        summary="Approve, hide or restore a comment on an experience (moderators)",
        **DECISION,
    )
    def post(self, request: Request, pk: int, action: str) -> Response:
        return super().post(request, pk, action)
