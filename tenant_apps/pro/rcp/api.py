"""The RCP API: coming meetings, a meeting with its agenda, adding a case, recording a
decision. Same rule as the pages (``access``) and the same services; every refusal is the
404 of a missing address, bad input 400 with errors by field."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi import FIELD_ERRORS, NOT_FOUND
from tenant_apps.pro.rcp import access, selectors, services
from tenant_apps.pro.rcp.serializers import (
    CancelSerializer,
    CaseAddSerializer,
    CaseSerializer,
    DecisionSerializer,
    InvitedSerializer,
    InviteSerializer,
    MeetingRowSerializer,
    MeetingSerializer,
    MeetingUpdateSerializer,
)


class MeetingListView(APIView):
    required_permissions = {"GET": None}

    @extend_schema(
        operation_id="rcp_meetings",
        summary="Coming RCP meetings",
        description="Planned meetings from now on (20 at most), soonest first, with the "
        "professions their confirmed participants still lack for the quorum.",
        responses={200: MeetingRowSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        member = access.reader_or_404(request.member)
        return Response(MeetingRowSerializer(selectors.upcoming(member), many=True).data)


def _meeting_answer(member, meeting) -> Response:
    page = selectors.meeting_page(member, meeting)
    return Response(MeetingSerializer(meeting, context={"page": page}).data)


class MeetingView(APIView):
    required_permissions = {"GET": None, "PATCH": None}

    @extend_schema(
        operation_id="rcp_meeting",
        summary="An RCP meeting",
        description="Its participants (pseudonyms), quorum, agenda of references, decisions "
        "and minutes.",
        responses={200: MeetingSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        member = access.reader_or_404(request.member)
        meeting = access.meeting_or_404(member, pk)
        return _meeting_answer(member, meeting)

    @extend_schema(
        operation_id="rcp_meeting_update",
        summary="Move or change one meeting of a series",
        description="The series' coordinator and admins, on a planned meeting that has not "
        "started. Its invitation's `sequence` goes up and its participants are told.",
        request=MeetingUpdateSerializer,
        responses={200: MeetingSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def patch(self, request: Request, pk: int) -> Response:
        meeting = access.meeting_or_404(access.reader_or_404(request.member), pk)
        actor = access.manager_or_404(request.member, meeting.series)
        given = MeetingUpdateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        meeting = services.meeting_update(actor=actor, meeting=meeting, **given.validated_data)
        return _meeting_answer(actor, meeting)


class MeetingCancelView(APIView):
    required_permissions = {"GET": None, "POST": None}

    @extend_schema(
        operation_id="rcp_meeting_cancel",
        summary="Cancel one meeting of a series",
        description="The series' coordinator and admins, with the reason participants read. "
        "Its invitation becomes a cancellation (METHOD:CANCEL).",
        request=CancelSerializer,
        responses={200: MeetingSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = access.meeting_or_404(access.reader_or_404(request.member), pk)
        actor = access.manager_or_404(request.member, meeting.series)
        given = CancelSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        meeting = services.meeting_cancel(actor=actor, meeting=meeting, **given.validated_data)
        return _meeting_answer(actor, meeting)


class InviteView(APIView):
    required_permissions = {"GET": None, "POST": None}

    @extend_schema(
        operation_id="rcp_invite",
        summary="Invite a professional to a meeting or to its whole series",
        description="The series' coordinator and admins; only verified professionals of the "
        "network (400 on `member` otherwise).",
        request=InviteSerializer,
        responses={201: InvitedSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = access.meeting_or_404(access.reader_or_404(request.member), pk)
        actor = access.manager_or_404(request.member, meeting.series)
        given = InviteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        if data["scope"] == "series":
            invited = services.series_invite(actor=actor, series=meeting.series,
                                             member=data["member"],
                                             profession=data["profession"])  # fmt: skip
        else:
            invited = services.participant_invite(actor=actor, meeting=meeting,
                                                  member=data["member"],
                                                  profession=data["profession"])  # fmt: skip
        return Response(InvitedSerializer(invited).data, status=status.HTTP_201_CREATED)


class CaseAddView(APIView):
    required_permissions = {"GET": None, "POST": None}

    @extend_schema(
        operation_id="rcp_case_add",
        summary="Add a case to a meeting's agenda",
        description="By its record reference only: a name, a date of birth or a social "
        "security number is refused (400 on `reference`). For participants, the "
        "coordinator and admins, on a planned meeting.",
        request=CaseAddSerializer,
        responses={201: CaseSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = access.meeting_or_404(access.reader_or_404(request.member), pk)
        presenter = access.case_adder_or_404(request.member, meeting)
        given = CaseAddSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        case = services.case_add(
            meeting=meeting, presenter=presenter, reference=given.validated_data["reference"]
        )
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)


class DecisionView(APIView):
    required_permissions = {"GET": None, "POST": None}

    @extend_schema(
        operation_id="rcp_decision",
        summary="Record the decision on a case",
        description="For the series' coordinator and admins, once the meeting has started.",
        request=DecisionSerializer,
        responses={200: CaseSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        case = access.case_or_404(access.reader_or_404(request.member), pk)
        access.manager_or_404(request.member, case.meeting.series)
        given = DecisionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        case = services.case_decide(case=case, **given.validated_data)
        return Response(CaseSerializer(case).data)
