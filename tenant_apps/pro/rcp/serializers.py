"""Shapes of the RCP API: meetings with their quorum, cases by reference, decisions."""

from rest_framework import serializers

from tenant_apps.members.models import Member
from tenant_apps.pro.models import Profession, RcpCase, RcpMeeting


class CaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = RcpCase
        fields = ["id", "position", "reference", "decision", "decision_reference", "decided_at"]


class ParticipantSerializer(serializers.Serializer):
    pseudonym = serializers.CharField(source="member.display_name")
    profession = serializers.ChoiceField(choices=Profession.choices)
    attendance = serializers.CharField()


class MeetingRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="meeting.pk")
    series = serializers.CharField(source="meeting.series.name")
    starts_at = serializers.DateTimeField(source="meeting.starts_at")
    ends_at = serializers.DateTimeField(source="meeting.ends_at")
    confirmed = serializers.IntegerField()
    cases = serializers.IntegerField()
    quorum_missing = serializers.ListField(child=serializers.CharField(), source="missing")


class MeetingSerializer(serializers.ModelSerializer):
    series = serializers.CharField(source="series.name")
    quorum_missing = serializers.SerializerMethodField()
    participants = serializers.SerializerMethodField()
    cases = serializers.SerializerMethodField()

    class Meta:
        model = RcpMeeting
        fields = ["id", "series", "starts_at", "ends_at", "status", "place", "join_url",
                  "cancel_reason", "minutes", "sequence", "quorum_missing", "participants",
                  "cases"]  # fmt: skip

    def get_quorum_missing(self, meeting) -> list[str]:
        return self.context["page"].missing

    def get_participants(self, meeting) -> list[dict]:
        return ParticipantSerializer(self.context["page"].participants, many=True).data

    def get_cases(self, meeting) -> list[dict]:
        return CaseSerializer(self.context["page"].cases, many=True).data


class CaseAddSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=40)


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=RcpCase.Decision.choices)
    decision_reference = serializers.CharField(max_length=40, required=False, allow_blank=True)


class MeetingUpdateSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(required=False)
    duration_minutes = serializers.IntegerField(required=False, min_value=15, max_value=480)
    place = serializers.CharField(
        max_length=300, required=False, allow_blank=True, help_text="Empty: the series' place."
    )
    join_url = serializers.URLField(
        max_length=500, required=False, allow_blank=True, help_text="Empty: the series' link."
    )


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class InviteSerializer(serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(
        queryset=Member.objects.filter(verified_professional=True, status=Member.Status.ACTIVE),
        help_text="A verified professional of the network.",
    )
    profession = serializers.ChoiceField(choices=Profession.choices)
    scope = serializers.ChoiceField(
        choices=[("meeting", "meeting"), ("series", "series")], default="meeting",
        help_text="`series`: every coming meeting of the series, and those made later.",
    )  # fmt: skip


class InvitedSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="member_id")
    profession = serializers.ChoiceField(choices=Profession.choices)
