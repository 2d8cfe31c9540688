"""The verification API: a member's own requests (and asking, without a document: the page
takes the document), the admins' queue and their decision. Same rules (``pro.access``) and
services as the pages; every refusal is the 404 of a missing address, bad input 400 by field."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi import FIELD_ERRORS, NOT_FOUND
from tenant_apps.members.permissions import is_reader
from tenant_apps.pro import access
from tenant_apps.pro.verification import selectors, services
from tenant_apps.pro.verification.serializers import (
    VerificationDecisionSerializer,
    VerificationPendingSerializer,
    VerificationRequestCreateSerializer,
    VerificationRequestSerializer,
)


class OwnRequestsView(APIView):
    required_permissions = {"GET": None, "POST": None}

    @extend_schema(
        operation_id="pro_verification_requests",
        summary="My verification requests",
        description="The member's own requests, newest first, with the reason of a refusal.",
        responses={200: VerificationRequestSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        member = request.member
        if not is_reader(member):
            raise Http404
        return Response(
            VerificationRequestSerializer(selectors.own_requests(member), many=True).data
        )

    @extend_schema(
        operation_id="pro_verification_request_create",
        summary="Ask to be verified as a health professional",
        description="An RPPS number (11 digits) or another identifier is required; one "
        "pending request at a time.",
        request=VerificationRequestCreateSerializer,
        responses={201: VerificationRequestSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        member = request.member
        if not is_reader(member):
            raise Http404
        given = VerificationRequestCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        created = services.verification_request_create(member=member, **given.validated_data)
        return Response(VerificationRequestSerializer(created).data, status=status.HTTP_201_CREATED)


class PendingView(APIView):
    required_permissions = {"GET": None}

    @extend_schema(
        operation_id="pro_verification_pending",
        summary="Verification requests awaiting review",
        description="For admins: oldest first, pseudonyms only.",
        responses={200: VerificationPendingSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        if not access.can_verify(request.member):
            raise Http404
        return Response(
            VerificationPendingSerializer(
                selectors.pending_requests(request.member), many=True
            ).data
        )


class DecisionView(APIView):
    required_permissions = {"GET": None, "POST": None}

    @extend_schema(
        operation_id="pro_verification_decide",
        summary="Verify or refuse a request",
        description="For admins; a refusal needs a reason, which the member reads.",
        request=VerificationDecisionSerializer,
        responses={200: VerificationRequestSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        pending = selectors.pending_request_or_404(request.member, pk)
        given = VerificationDecisionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        if given.validated_data["decision"] == "verify":
            decided = services.verification_verify(admin=request.member, request_id=pending.pk)
        else:
            decided = services.verification_refuse(
                admin=request.member, request_id=pending.pk,
                reason=given.validated_data["reason"],
            )  # fmt: skip
        return Response(VerificationRequestSerializer(decided).data)
