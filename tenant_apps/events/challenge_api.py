"""The walking challenges' API: a challenge's totals and leaderboard, and a participant's
days (read, log or correct one). Same rules and errors as the pages (the services); every
refusal answers 404."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tenant_apps.events import challenge_selectors, challenge_services, selectors
from tenant_apps.events.models import Registration

NOT_FOUND = OpenApiResponse(description="Not found, not signed in, or not allowed.")
FIELD_ERRORS = OpenApiResponse(description="Field errors, by field name.")


class TeamTotalSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    members = serializers.IntegerField(source="size")
    total = serializers.IntegerField()


class RankSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    pseudonym = serializers.CharField()
    total = serializers.IntegerField()
    me = serializers.BooleanField()


class ChallengeSerializer(serializers.Serializer):
    event = serializers.IntegerField(source="challenge.event_id")
    unit = serializers.CharField(source="challenge.unit", help_text="`steps` or `minutes`.")
    goal = serializers.IntegerField(source="challenge.goal")
    team_mode = serializers.BooleanField(source="challenge.team_mode")
    ranking = serializers.CharField(
        source="challenge.ranking", help_text="`leaderboard` or `none`."
    )
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    open = serializers.BooleanField(help_text="Days can still be logged or corrected.")
    total = serializers.IntegerField(help_text="Everyone's total.")
    percent = serializers.IntegerField(help_text="Of the collective goal, at most 100.")
    people = serializers.IntegerField(help_text="How many participants logged a day.")
    participating = serializers.BooleanField(source="registered")
    my_total = serializers.IntegerField()
    my_team = TeamTotalSerializer(allow_null=True)
    teams = TeamTotalSerializer(
        many=True, help_text="All teams when the challenge ranks; otherwise only mine."
    )
    leaderboard = RankSerializer(many=True, help_text="Empty when the challenge does not rank.")


class EntrySerializer(serializers.Serializer):
    day = serializers.DateField()
    amount = serializers.IntegerField(
        help_text="Steps (at most 100,000) or minutes (at most 1,440) for that day."
    )


class ChallengeView(APIView):
    required_permissions = {"GET": None}

    @extend_schema(
        operation_id="events_challenge_read",
        summary="A walking challenge: totals, teams, leaderboard",
        responses={200: ChallengeSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        challenge = challenge_selectors.access_challenge(request.member, pk)
        registration = selectors.registration_of(request.member, challenge.event)
        board = challenge_selectors.board_for(request.member, challenge, registration)
        return Response(ChallengeSerializer(board).data)


class EntryListView(APIView):
    required_permissions = {"GET": None, "POST": None}

    def _challenge(self, request: Request, pk: int):
        challenge = challenge_selectors.access_challenge(request.member, pk)
        registration = selectors.registration_of(request.member, challenge.event)
        if registration is None or registration.status != Registration.Status.REGISTERED:
            raise Http404
        return challenge

    @extend_schema(
        operation_id="events_challenge_entries_list",
        summary="My days of a challenge (participants)",
        responses={200: EntrySerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        challenge = self._challenge(request, pk)
        entries = challenge_selectors.my_entries(request.member, challenge)
        return Response(EntrySerializer(entries, many=True).data)

    @extend_schema(
        operation_id="events_challenge_entries_log",
        summary="Log or correct a day (participants)",
        description=(
            "One row a day: sending a day again replaces its amount, until the challenge "
            "ends. A day to come, after the end or before the start, a negative amount or "
            "more than a day may hold answer 400."
        ),
        request=EntrySerializer,
        responses={200: EntrySerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        challenge = self._challenge(request, pk)
        given = EntrySerializer(data=request.data)
        given.is_valid(raise_exception=True)
        entry = challenge_services.entry_log(
            member=request.member, challenge=challenge, day=given.validated_data["day"],
            amount=given.validated_data["amount"],
        )  # fmt: skip
        return Response(EntrySerializer(entry).data)
