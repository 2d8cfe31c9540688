"""The walking challenges' API: a challenge's totals and leaderboard, a participant's
days (read, log or correct one), their team (start one, join one by its code, leave it) and
their place on the leaderboard (leave it, come back). Same rules and errors as the pages
(the services); every refusal answers 404."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi import FIELD_ERRORS, NOT_FOUND
from tenant_apps.events import challenge_selectors, challenge_services, selectors
from tenant_apps.events.models import Challenge, Registration


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


class TeamSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    name = serializers.CharField(
        max_length=60, help_text="The team's name, unique in the challenge."
    )
    code = serializers.CharField(read_only=True, help_text="To give the others so they join.")


class TeamJoinSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=12, help_text="The code a team member gave.")


class LeaderboardSerializer(serializers.Serializer):
    shown = serializers.BooleanField(
        source="on_leaderboard",
        help_text="False: my pseudonym leaves the leaderboard; my days still count.",
    )


class _Participating(APIView):
    """Routes of a challenge the member may see and is registered for, else 404."""

    def _challenge(self, request: Request, pk: int):
        challenge = challenge_selectors.access_challenge(request.member, pk)
        registration = selectors.registration_of(request.member, challenge.event)
        if registration is None or registration.status != Registration.Status.REGISTERED:
            raise Http404
        return challenge


class TeamView(_Participating):
    required_permissions = {"GET": None, "POST": None, "DELETE": None}

    def _teams(self, request: Request, pk: int):
        challenge = self._challenge(request, pk)
        if not challenge.team_mode:
            raise Http404
        return challenge

    @extend_schema(
        operation_id="events_challenge_team_read",
        summary="My team and its code (participants of a challenge with teams)",
        responses={200: TeamSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        challenge = self._teams(request, pk)
        participant = challenge_selectors.participant_of(request.member, challenge)
        if participant is None or participant.team is None:
            return Response({"detail": _("You are in no team.")}, status=status.HTTP_404_NOT_FOUND)
        return Response(TeamSerializer(participant.team).data)

    @extend_schema(
        operation_id="events_challenge_team_create",
        summary="Start a team and join it",
        description="A name another team of the challenge has, or a challenge over, answers 400.",
        request=TeamSerializer,
        responses={201: TeamSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        challenge = self._teams(request, pk)
        given = TeamSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        team = challenge_services.team_create(
            member=request.member, challenge=challenge, name=given.validated_data["name"]
        )
        return Response(TeamSerializer(team).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="events_challenge_team_leave",
        summary="Leave my team (my days still count)",
        request=None,
        responses={204: None, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def delete(self, request: Request, pk: int) -> Response:
        challenge = self._teams(request, pk)
        challenge_services.team_leave(member=request.member, challenge=challenge)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TeamJoinView(_Participating):
    required_permissions = {"GET": None, "POST": None}

    @extend_schema(
        operation_id="events_challenge_team_join",
        summary="Join a team by its code (leaving mine)",
        description="A code no team of this challenge has answers 400 with an error on `code`.",
        request=TeamJoinSerializer,
        responses={200: TeamSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        challenge = self._challenge(request, pk)
        if not challenge.team_mode:
            raise Http404
        given = TeamJoinSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        team = challenge_services.team_join(
            member=request.member, challenge=challenge, code=given.validated_data["code"]
        )
        return Response(TeamSerializer(team).data)


class LeaderboardView(_Participating):
    required_permissions = {"GET": None, "PUT": None}

    @extend_schema(
        operation_id="events_challenge_leaderboard_choose",
        summary="Leave the leaderboard, or come back to it (participants)",
        request=LeaderboardSerializer,
        responses={200: LeaderboardSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def put(self, request: Request, pk: int) -> Response:
        challenge = self._challenge(request, pk)
        if challenge.ranking != Challenge.Ranking.LEADERBOARD:
            raise Http404
        given = LeaderboardSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        participant = challenge_services.leaderboard_choose(
            member=request.member, challenge=challenge,
            shown=given.validated_data["on_leaderboard"],
        )  # fmt: skip
        return Response(LeaderboardSerializer(participant).data)
