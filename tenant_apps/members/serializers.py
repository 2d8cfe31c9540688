"""Shapes of the members API: what goes out, and the input checked before a service runs."""

from allauth.core import ratelimit
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core import geo
from tenant_apps.members import selectors
from tenant_apps.members.models import Member, Pathology, ProfileType, Role, Visibility

VISIBILITY_FIELDS = (
    "visibility_profile_type",
    "visibility_pathologies",
    "visibility_region",
    "visibility_bio",
    "visibility_avatar",
)


# One named schema component for the five visibility fields: without it, drf-spectacular
# names the same choice set five times and warns about it.
@extend_schema_field(
    {
        "type": "string",
        "enum": list(Visibility.values),
        "description": "`network`: everyone in the network; `spaces`: members of my spaces; "
        "`nobody`: nobody.",
    },
    component_name="Visibility",
)
class VisibilityField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Visibility.choices, **kwargs)


class PathologySerializer(serializers.ModelSerializer):
    class Meta:
        model = Pathology
        fields = ["id", "name"]


class ProfileSerializer(serializers.ModelSerializer):
    """The signed-in member's own profile; the email is never part of it."""

    pseudonym = serializers.CharField(source="user.username", read_only=True)
    pathologies = PathologySerializer(many=True, read_only=True)
    region = serializers.SerializerMethodField(help_text=_("The région of the département."))
    profile_type_pending = serializers.SerializerMethodField(
        help_text=_(
            "The profile type asked for and waiting for a moderator's approval (a change "
            "that would open a space), or null."
        )
    )
    avatar = serializers.ImageField(read_only=True, allow_null=True)
    visibility_profile_type = VisibilityField(read_only=True)
    visibility_pathologies = VisibilityField(read_only=True)
    visibility_region = VisibilityField(read_only=True)
    visibility_bio = VisibilityField(read_only=True)
    visibility_avatar = VisibilityField(read_only=True)

    class Meta:
        model = Member
        fields = [
            "pseudonym",
            "role",
            "profile_type",
            "profile_type_pending",
            "pathologies",
            "department",
            "region",
            "bio",
            "avatar",
            *VISIBILITY_FIELDS,
        ]
        read_only_fields = fields

    def get_region(self, member: Member) -> str:
        return geo.region_name(member.department)

    # A plain nullable string: an enum here would name the profile types' choice set twice.
    @extend_schema_field({"type": "string", "nullable": True})
    def get_profile_type_pending(self, member: Member) -> str | None:
        request = selectors.profile_type_request_pending(member)
        return request.requested if request else None


class ProfileUpdateSerializer(serializers.Serializer):
    """What a member may change about themselves; avatars are uploaded on the profile page."""

    profile_type = serializers.ChoiceField(
        choices=ProfileType.choices, required=False, label=_("profile")
    )
    pathologies = serializers.PrimaryKeyRelatedField(
        queryset=Pathology.objects.all(),
        many=True,
        required=False,
        label=_("pathologies"),
        help_text=_("Ids of the network's pathologies; an empty list removes them all."),
    )
    department = serializers.ChoiceField(
        choices=sorted(geo.DEPARTMENT_NAMES),
        required=False,
        allow_blank=True,
        label=_("département"),
        help_text=_("An INSEE code, or an empty string for “I prefer not to say”."),
    )
    bio = serializers.CharField(
        max_length=600,
        required=False,
        allow_blank=True,
        trim_whitespace=True,
        label=_("short presentation"),
    )
    visibility_profile_type = VisibilityField(required=False, label=_("who sees my profile type"))
    visibility_pathologies = VisibilityField(required=False, label=_("who sees my pathologies"))
    visibility_region = VisibilityField(required=False, label=_("who sees my region"))
    visibility_bio = VisibilityField(required=False, label=_("who sees my presentation"))
    visibility_avatar = VisibilityField(required=False, label=_("who sees my avatar"))


class AccountDeleteSerializer(serializers.Serializer):
    """Confirms an erasure with the current password (needs the request in the context)."""

    password = serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        label=_("password"),
        help_text=_("The account's current password, to confirm the deletion."),
        style={"input_type": "password"},
    )
    delete_content = serializers.BooleanField(
        default=False,
        label=_("also delete what I wrote"),
        help_text=_("Otherwise it stays, signed “Deleted member #…”."),
    )

    def validate_password(self, password: str) -> str:
        request = self.context["request"]
        # allauth's "reauthenticate" limit, as on the erasure page: no guessing here either.
        if not ratelimit.consume(request._request, action="reauthenticate", user=request.user):
            raise serializers.ValidationError(
                _("Too many attempts: wait a minute, then try again."), code="rate_limited"
            )
        if not request.user.check_password(password):
            raise serializers.ValidationError(
                _("This password is not correct."), code="wrong_password"
            )
        return password


class MemberListSerializer(serializers.ModelSerializer):
    """One row of the admins' member list: no email, no health information."""

    pseudonym = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Member
        fields = ["id", "pseudonym", "role", "status", "profile_type", "joined"]
        read_only_fields = fields


class MemberFilterSerializer(serializers.Serializer):
    """Query parameters of the admins' member list."""

    q = serializers.CharField(
        required=False, allow_blank=True, max_length=150, help_text=_("Part of the pseudonym.")
    )
    role = serializers.ChoiceField(choices=Role.choices, required=False, allow_blank=True)
    status = serializers.ChoiceField(
        choices=Member.Status.choices, required=False, allow_blank=True
    )
    profile_type = serializers.ChoiceField(
        choices=ProfileType.choices, required=False, allow_blank=True
    )
