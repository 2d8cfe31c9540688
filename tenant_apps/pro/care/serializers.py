"""Shapes of the care offer API."""

from rest_framework import serializers

from core import geo
from tenant_apps.pro.models import CarePathway, CareProvider

DEPARTMENTS = sorted(geo.DEPARTMENT_REGION)


class ProviderSerializer(serializers.ModelSerializer):
    class Meta:
        model = CareProvider
        fields = [
            "id", "name", "kind", "establishment", "description", "specialties", "address",
            "postcode", "city", "department", "region", "phone", "email", "website", "updated",
        ]  # fmt: skip
        read_only_fields = fields


class ProviderWriteSerializer(serializers.Serializer):
    """An admin's provider; the service checks the rest (a service's establishment…)."""

    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=CareProvider.Kind.choices)
    establishment = serializers.PrimaryKeyRelatedField(
        queryset=CareProvider.objects.filter(kind=CareProvider.Kind.ESTABLISHMENT),
        required=False,
        allow_null=True,
    )
    description = serializers.CharField(max_length=3000, required=False, allow_blank=True)
    specialties = serializers.CharField(max_length=300, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=5, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100)
    department = serializers.ChoiceField(choices=DEPARTMENTS)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    website = serializers.URLField(max_length=300, required=False, allow_blank=True)


class ProviderFilterSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=CareProvider.Kind.choices, required=False)
    department = serializers.ChoiceField(choices=DEPARTMENTS, required=False)
    region = serializers.ChoiceField(choices=sorted(geo.REGIONS), required=False)
    specialty = serializers.CharField(max_length=100, required=False, allow_blank=True)
    apres = serializers.IntegerField(min_value=1, required=False, help_text="`next` of a page")


class ProviderPageSerializer(serializers.Serializer):
    results = ProviderSerializer(many=True)
    next = serializers.IntegerField(allow_null=True)


class AreaCountsSerializer(serializers.Serializer):
    regions = serializers.DictField(child=serializers.IntegerField())
    departments = serializers.DictField(child=serializers.IntegerField())


class PathwaySerializer(serializers.ModelSerializer):
    providers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = CarePathway
        fields = [
            "slug", "title", "pathology", "department", "summary", "body_html", "providers",
            "published", "updated",
        ]  # fmt: skip
        read_only_fields = fields
