"""What the verification API reads and writes: never an email, never the document itself."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from tenant_apps.pro.models import Profession, VerificationRequest


class VerificationRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = VerificationRequest
        fields = ["id", "profession", "specialty", "workplace", "status", "reason", "created"]
        read_only_fields = fields


class VerificationPendingSerializer(serializers.ModelSerializer):
    pseudonym = serializers.CharField(source="member.display_name", read_only=True)
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = VerificationRequest
        fields = ["id", "pseudonym", "profession", "specialty", "rpps", "other_identifier",
                  "workplace", "has_document", "created"]  # fmt: skip
        read_only_fields = fields

    def get_has_document(self, request: VerificationRequest) -> bool:
        return bool(request.document)


class VerificationRequestCreateSerializer(serializers.Serializer):
    profession = serializers.ChoiceField(choices=Profession.choices)
    specialty = serializers.CharField(max_length=120, required=False, allow_blank=True)
    rpps = serializers.CharField(max_length=20, required=False, allow_blank=True)
    other_identifier = serializers.CharField(max_length=40, required=False, allow_blank=True)
    workplace = serializers.CharField(max_length=200)


class VerificationDecisionSerializer(serializers.Serializer):
    decision = serializers.CharField(max_length=10, help_text="`verify` or `refuse`.")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def validate_decision(self, value: str) -> str:
        if value not in ("verify", "refuse"):
            raise serializers.ValidationError(_("Choose to verify or to refuse."))
        return value
