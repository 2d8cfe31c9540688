"""The events API: list and read events, register and unregister, and for writers create,
edit and cancel them. Same rules as the pages (access.py, the services); every refusal
answers 404, the same as an address that does not exist."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi import FIELD_ERRORS, NOT_FOUND
from tenant_apps.events import selectors, services
from tenant_apps.events.models import Event, Registration
from tenant_apps.events.serializers import (
    EventFilterSerializer,
    EventPageSerializer,
    EventSerializer,
    EventWriteSerializer,
    QuestionAskSerializer,
    QuestionSerializer,
    RegistrationSerializer,
    VoteSerializer,
)

WRITE = "events.event:write"
# core.images refuses a cover about the whole upload: the errors go on the cover field.
COVER_ERRORS = {code: "cover" for code in ("too_large", "too_many_pixels", "not_an_image")}


def _detail(member, event: Event) -> dict:
    event.speaker_list = selectors.speakers_of(event)
    event.places = selectors.places_of(event)
    mine = selectors.registration_of(member, event)
    event.my_status = mine.status if mine else None
    return EventSerializer(event).data


def _speakers(data: dict) -> list[services.SpeakerData] | None:
    if "speakers" not in data:
        return None
    return [services.SpeakerData(**speaker) for speaker in data.pop("speakers")]


class EventListView(APIView):
    required_permissions = {"GET": None, "POST": WRITE}
    service_error_fields = COVER_ERRORS

    @extend_schema(
        operation_id="events_list",
        summary="Upcoming or past events",
        description=(
            "The events the member may see (drafts too for those who write events): upcoming "
            "ones soonest first, or with `past` the past ones most recent first. Keyset pages."
        ),
        parameters=[EventFilterSerializer],
        responses={200: EventPageSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        given = EventFilterSerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        after = None
        if data.get("apres"):
            try:
                after = selectors.Cursor.decode(data["apres"])
            except (ValueError, OverflowError) as error:
                raise serializers.ValidationError({"apres": [_("Not a valid cursor.")]}) from error
        page = selectors.events_page(
            request.member, past=data["past"], format=data.get("event_format", ""), after=after
        )
        return Response(
            EventPageSerializer({"results": page.events, "next": page.next_cursor}).data
        )

    @extend_schema(
        operation_id="events_create",
        summary="Write an event",
        description=(
            "Admins and organizers. JSON, or multipart form data to send a cover image (`cover`)."
        ),
        request=EventWriteSerializer,
        responses={201: EventSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        given = EventWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        event = services.event_create(author=request.member, speakers=_speakers(data), **data)
        return Response(_detail(request.member, event), status=status.HTTP_201_CREATED)


class EventDetailView(APIView):
    required_permissions = {"GET": None, "PATCH": WRITE}
    service_error_fields = COVER_ERRORS

    @extend_schema(
        operation_id="events_read",
        summary="An event",
        responses={200: EventSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_detail(request.member, selectors.access_event(request.member, pk)))

    @extend_schema(
        operation_id="events_update",
        summary="Edit an event",
        description="Only the fields sent change; more places go to those waiting, in order.",
        request=EventWriteSerializer(partial=True),
        responses={200: EventSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def patch(self, request: Request, pk: int) -> Response:
        event = selectors.event_for_edit(request.member, pk)
        given = EventWriteSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        event = services.event_update(
            event=event, by=request.member, speakers=_speakers(data), **data
        )
        return Response(_detail(request.member, event))


class EventCancelView(APIView):
    required_permissions = {"GET": WRITE, "POST": WRITE}

    @extend_schema(
        operation_id="events_cancel",
        summary="Cancel an event",
        description="Everyone registered or waiting is emailed once.",
        request=None,
        responses={200: EventSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        event = selectors.event_for_edit(request.member, pk)
        event = services.event_cancel(event=event, by=request.member)
        return Response(_detail(request.member, event))


class RegistrationView(APIView):
    required_permissions = {"GET": None, "POST": None, "DELETE": None}

    def _answer(self, registration: Registration) -> dict:
        waiting = registration.status == Registration.Status.WAITING
        return RegistrationSerializer(
            {
                "status": registration.status,
                "waiting_position": selectors.waiting_position(registration) if waiting else None,
            }
        ).data

    @extend_schema(
        operation_id="events_registration_read",
        summary="My registration",
        responses={200: RegistrationSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        event = selectors.access_event(request.member, pk)
        registration = selectors.registration_of(request.member, event)
        if registration is None:
            return Response({"detail": _("Not registered.")}, status=status.HTTP_404_NOT_FOUND)
        return Response(self._answer(registration))

    @extend_schema(
        operation_id="events_register",
        summary="Register (or join the waiting list)",
        description="A place while one is free, otherwise the waiting list; again: no change.",
        request=None,
        responses={201: RegistrationSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        event = selectors.access_event(request.member, pk)
        registration = services.registration_create(member=request.member, event=event)
        return Response(self._answer(registration), status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="events_unregister",
        summary="Unregister (or leave the waiting list)",
        request=None,
        responses={204: None, 404: NOT_FOUND},
    )
    def delete(self, request: Request, pk: int) -> Response:
        event = selectors.access_event(request.member, pk)
        services.registration_cancel(member=request.member, event=event)
        return Response(status=status.HTTP_204_NO_CONTENT)


class QuestionListView(APIView):
    required_permissions = {"GET": None, "POST": None}

    @extend_schema(
        operation_id="events_questions_list",
        summary="A webinar's questions",
        description="Pinned first, then unanswered by votes, then answered.",
        responses={200: QuestionSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        event = selectors.access_event(request.member, pk)
        if event.format != Event.Format.WEBINAR:
            raise Http404
        questions = selectors.questions_for(request.member, event)
        return Response(
            QuestionSerializer(questions, many=True, context={"member": request.member}).data
        )

    @extend_schema(
        operation_id="events_questions_ask",
        summary="Ask a question (registrants)",
        description=(
            "Screened like a forum post: blocked words answer 400; identifying data answers "
            "400 until `confirm_identifying` is true; words to hold and signs of crisis keep "
            "it for a moderator (`status`: pending)."
        ),
        request=QuestionAskSerializer,
        responses={201: QuestionSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        event = selectors.access_event(request.member, pk)
        given = QuestionAskSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        question = services.question_ask(
            member=request.member, event=event, text=data["text"], anonymous=data["anonymous"],
            confirmed_identifying=data["confirm_identifying"],
        )  # fmt: skip
        question.voted = False
        return Response(
            QuestionSerializer(question, context={"member": request.member}).data,
            status=status.HTTP_201_CREATED,
        )


class VoteView(APIView):
    required_permissions = {"GET": None, "POST": None}

    @extend_schema(
        operation_id="events_questions_vote",
        summary="Vote for a question, or take the vote back (registrants)",
        request=None,
        responses={200: VoteSerializer, 404: NOT_FOUND},
    )
    def post(self, request: Request, question_id: int) -> Response:
        question, voted = services.vote_toggle(member=request.member, question_id=question_id)
        question.refresh_from_db(fields=["votes_count"])
        return Response(VoteSerializer({"voted": voted, "votes": question.votes_count}).data)
