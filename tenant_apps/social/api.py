"""The experiences API (/api/experiences/…): the same rule (access.py) and services as the
pages. Every refusal answers 404, the same as an address that does not exist. Images are
added from the pages (a multipart form), not here."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi import NOT_FOUND
from core.throttle import throttle_hit
from tenant_apps.social import selectors, services
from tenant_apps.social.serializers import (
    CommentSerializer,
    CommentWriteSerializer,
    ExperienceFilterSerializer,
    ExperiencePageSerializer,
    ExperienceSerializer,
    ExperienceWriteSerializer,
    ReactionWriteSerializer,
)

FIELD_ERRORS = OpenApiResponse(
    description="Field errors, by field name; `non_field_errors` for blocked words or "
    "identifying data to confirm (`confirm_identifying`)."
)
THROTTLE = "forums.post"


def _throttle(request: Request) -> None:
    """The forums' posting pace (a 429 with Retry-After past it)."""
    throttle_hit(action=THROTTLE, member_id=request.member.pk)


def _shown(member, experience) -> dict:
    selectors.reactions_mark(member, [experience])
    return ExperienceSerializer(experience).data


class ExperienceListView(APIView):
    @extend_schema(
        operation_id="experiences_list",
        summary="Experiences the member may read, newest first",
        description="Keyset pages: pass the `next` of a page as `apres` for the following one.",
        parameters=[ExperienceFilterSerializer],
        responses={200: ExperiencePageSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        given = ExperienceFilterSerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        after = selectors.Cursor.parse(given.validated_data.get("apres"))
        page, following = selectors.experiences_page(request.member, after=after)
        data = {"results": page, "next": str(following) if following else None}
        return Response(ExperiencePageSerializer(data).data)

    @extend_schema(
        operation_id="experiences_create",
        summary="Publish an experience",
        description="Screened like a forum post: it may wait for a moderator (`status` held).",
        request=ExperienceWriteSerializer,
        responses={201: ExperienceSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        given = ExperienceWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        _throttle(request)
        experience = services.experience_create(
            author=request.member,
            body=data["body"],
            audience=data["audience"],
            warnings=data.get("warnings", []),
            confirmed_identifying=data["confirm_identifying"],
        )
        return Response(_shown(request.member, experience), status=status.HTTP_201_CREATED)


class ExperienceDetailView(APIView):
    @extend_schema(
        operation_id="experiences_read",
        summary="One experience",
        responses={200: ExperienceSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(ExperienceSerializer(selectors.experience_for(request.member, pk)).data)

    @extend_schema(
        operation_id="experiences_update",
        summary="Edit one's own experience",
        request=ExperienceWriteSerializer,
        responses={200: ExperienceSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def patch(self, request: Request, pk: int) -> Response:
        experience = selectors.experience_own(request.member, pk)
        given = ExperienceWriteSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        experience = services.experience_edit(
            experience=experience,
            editor=request.member,
            body=data.get("body", experience.body),
            audience=data.get("audience", experience.audience),
            warnings=data["warnings"] if "warnings" in data else experience.warnings.all(),
            confirmed_identifying=data.get("confirm_identifying", False),
        )
        return Response(_shown(request.member, experience))

    @extend_schema(
        operation_id="experiences_delete",
        summary="Delete one's own experience",
        responses={204: None, 404: NOT_FOUND},
    )
    def delete(self, request: Request, pk: int) -> Response:
        experience = selectors.experience_own(request.member, pk)
        services.experience_delete(experience=experience, actor=request.member)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentListView(APIView):
    @extend_schema(
        operation_id="experiences_comments_list",
        summary="The comments of an experience, oldest first",
        responses={200: CommentSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        experience = selectors.experience_for(request.member, pk)
        comments = selectors.comments_of(request.member, experience)
        return Response(CommentSerializer(comments, many=True).data)

    @extend_schema(
        operation_id="experiences_comments_create",
        summary="Comment on an experience",
        description="Screened like a forum reply: it may wait for a moderator.",
        request=CommentWriteSerializer,
        responses={201: CommentSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        experience = selectors.experience_for(request.member, pk)
        given = CommentWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        _throttle(request)
        comment = services.comment_create(
            author=request.member,
            experience=experience,
            body=given.validated_data["body"],
            confirmed_identifying=given.validated_data["confirm_identifying"],
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class CommentDetailView(APIView):
    @extend_schema(
        operation_id="experiences_comments_update",
        summary="Edit one's own comment",
        request=CommentWriteSerializer,
        responses={200: CommentSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def patch(self, request: Request, pk: int) -> Response:
        comment = selectors.comment_own(request.member, pk)
        given = CommentWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        comment = services.comment_edit(
            comment=comment,
            editor=request.member,
            body=given.validated_data["body"],
            confirmed_identifying=given.validated_data["confirm_identifying"],
        )
        return Response(CommentSerializer(comment).data)

    @extend_schema(
        operation_id="experiences_comments_delete",
        summary="Delete one's own comment",
        responses={204: None, 404: NOT_FOUND},
    )
    def delete(self, request: Request, pk: int) -> Response:
        comment = selectors.comment_own(request.member, pk)
        services.comment_delete(comment=comment, actor=request.member)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReactionView(APIView):
    @extend_schema(
        operation_id="experiences_react",
        summary="Press or release a reaction on an experience",
        description="Sent twice, the same request changes nothing the second time.",
        request=ReactionWriteSerializer,
        responses={200: ExperienceSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        experience = selectors.experience_for(request.member, pk)
        given = ReactionWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.reaction_set(
            member=request.member,
            experience=experience,
            kind=given.validated_data["kind"],
            pressed=given.validated_data["pressed"],
        )
        return Response(ExperienceSerializer(selectors.experience_for(request.member, pk)).data)
