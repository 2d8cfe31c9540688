"""The members API: one's own profile, data export and erasure; the admins' member list.

Every refusal (anonymous, another network's session, a missing permission) answers 404,
the same as an address that does not exist: ``NetworkPermission`` (tenant_apps/members/drf.py,
the API's default) checks each view's ``required_permissions``.
"""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi import NOT_FOUND
from tenant_apps.members import selectors, services
from tenant_apps.members.serializers import (
    AccountDeleteSerializer,
    MemberFilterSerializer,
    MemberListSerializer,
    ProfileSerializer,
    ProfileUpdateSerializer,
)


class _SessionScheme(SessionScheme):
    """The API's session authentication (tenant_apps/members/drf.py), documented as the
    session cookie it is."""

    target_class = "tenant_apps.members.drf.SessionAuthentication"


class _DeleteWithBodySchema(AutoSchema):
    """drf-spectacular documents a request body only for POST, PUT and PATCH; the
    account deletion takes the password in the body of its DELETE."""

    def _get_request_body(self, direction="request"):
        if self.method != "DELETE":
            return super()._get_request_body(direction)
        self.method = "POST"
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = "DELETE"


class MeView(APIView):
    required_permissions = {
        "GET": "members.profile:edit_own",
        "PATCH": "members.profile:edit_own",
        "DELETE": "members.account:delete_own",
    }
    schema = _DeleteWithBodySchema()

    @extend_schema(
        operation_id="me_retrieve",
        summary="My profile",
        responses={200: ProfileSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        return Response(self._render(request))

    @extend_schema(
        operation_id="me_partial_update",
        summary="Change my profile",
        description=(
            "Changes only the fields sent. `pathologies` is the full list of pathology ids. "
            "The avatar cannot be uploaded through the API: use the profile page."
        ),
        request=ProfileUpdateSerializer,
        responses={
            200: ProfileSerializer,
            400: OpenApiResponse(description="Field errors, by field name."),
            404: NOT_FOUND,
        },
    )
    def patch(self, request: Request) -> Response:
        given = ProfileUpdateSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        pathologies = fields.pop("pathologies", None)
        services.profile_update(
            member=request.member,
            pathologies=list(pathologies) if pathologies is not None else None,
            **fields,
        )
        return Response(self._render(request))

    @extend_schema(
        operation_id="me_destroy",
        summary="Delete my account",
        description=(
            "Erases the account, its emails, second factors and profile, and ends every "
            "session. What the member wrote stays, signed “Deleted member #…”, unless "
            "`delete_content` is true. The current password confirms the request."
        ),
        request=AccountDeleteSerializer,
        responses={
            204: OpenApiResponse(description="The account is erased."),
            400: OpenApiResponse(description="Missing or wrong password."),
            404: NOT_FOUND,
        },
    )
    def delete(self, request: Request) -> Response:
        given = AccountDeleteSerializer(data=request.data, context={"request": request})
        given.is_valid(raise_exception=True)
        services.member_erase(
            member=request.member, delete_content=given.validated_data["delete_content"]
        )
        # The service deleted the stored sessions; forget this one's cookie too.
        request.session.flush()
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _render(self, request: Request) -> dict:
        return ProfileSerializer(request.member, context={"request": request}).data


class MeExportView(APIView):
    required_permissions = {"GET": "members.data:export_own"}

    @extend_schema(
        operation_id="me_export",
        summary="Export my data",
        description="Everything stored about me and everything I wrote, as JSON (GDPR).",
        responses={
            200: OpenApiResponse(response=OpenApiTypes.OBJECT, description="The export."),
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request) -> Response:
        return Response(
            services.member_export(member=request.member), headers={"Cache-Control": "no-store"}
        )


class MemberListView(generics.ListAPIView):
    required_permissions = {"GET": "members.member:manage"}
    serializer_class = MemberListSerializer

    @extend_schema(
        operation_id="members_list",
        summary="Members of the network (admins)",
        parameters=[MemberFilterSerializer],
        responses={
            200: MemberListSerializer(many=True),
            400: OpenApiResponse(description="Invalid filter value."),
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = MemberFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        return selectors.members_search(
            query=data.get("q", ""),
            role=data.get("role", ""),
            status=data.get("status", ""),
            profile_type=data.get("profile_type", ""),
        )
