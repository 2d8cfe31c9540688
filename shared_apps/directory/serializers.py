"""The directory API's representations (what anyone reads) and operators' inputs.

Reads say what the pages say and nothing more: no contact address, no proposer's address,
no manager. Writes are checked by the same forms as the operators' pages
(``forms.review_form``: RNA, approval and its end date, a département in its région, an
event ending after it starts), then written by ``services``; a partial change (PATCH) is
checked as the whole listing it makes.
"""

from typing import Any

from django.forms.models import model_to_dict
from django.urls import reverse
from rest_framework import serializers

from shared_apps.directory import forms
from shared_apps.directory.models import (
    Association,
    AssociationNetwork,
    DirectoryEvent,
    Initiative,
    Pathology,
    Resource,
    Theme,
)


def _slugs(field_name: str) -> serializers.SlugRelatedField:
    model = Pathology if field_name == "pathologies" else Theme
    return serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=model.objects.all(), required=False
    )


class NetworkSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssociationNetwork
        fields = ["name", "tagline", "url"]


class AssociationSerializer(serializers.ModelSerializer):
    pathologies = _slugs("pathologies")
    networks = NetworkSerializer(many=True, read_only=True)
    page = serializers.SerializerMethodField()
    possibly_outdated = serializers.SerializerMethodField()

    class Meta:
        model = Association
        fields = [
            "id", "slug", "name", "description", "pathologies", "regions", "departments",
            "website", "contact_email", "contact_phone", "legal_form", "rna", "approval",
            "approval_ends", "networks", "confirmed_at", "possibly_outdated", "published_at",
            "review", "page",
        ]  # fmt: skip
        read_only_fields = ["id", "slug", "confirmed_at", "published_at", "review"]
        # Written by operators, never shown: the claim and the reminder go there.
        extra_kwargs = {"contact_email": {"write_only": True}}

    def get_page(self, obj: Association) -> str:
        return reverse("directory:association", args=[obj.slug])

    def get_possibly_outdated(self, obj: Association) -> bool:
        return obj.is_outdated()


class InitiativeSerializer(serializers.ModelSerializer):
    pathologies = _slugs("pathologies")
    themes = _slugs("themes")
    # An initiative may have no association behind it: null.
    association = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    page = serializers.SerializerMethodField()

    class Meta:
        model = Initiative
        fields = [
            "id", "slug", "title", "description", "carrier", "form", "roles", "themes",
            "pathologies", "region", "department", "started_on", "activity", "motivation",
            "success_factors", "success_text", "website", "association", "published_at",
            "review", "page",
        ]  # fmt: skip
        read_only_fields = ["id", "slug", "published_at", "review"]

    def get_page(self, obj: Initiative) -> str:
        return reverse("directory:initiative", args=[obj.slug])


class EventSerializer(serializers.ModelSerializer):
    pathologies = _slugs("pathologies")
    format = serializers.ChoiceField(choices=forms.EVENT_FORMATS)
    from_network = serializers.SerializerMethodField()

    class Meta:
        model = DirectoryEvent
        fields = [
            "id", "title", "summary", "format", "starts_at", "ends_at", "online", "place",
            "region", "pathologies", "network_name", "url", "from_network", "published_at",
            "review",
        ]  # fmt: skip
        read_only_fields = ["id", "published_at", "review"]

    def get_from_network(self, obj: DirectoryEvent) -> bool:
        return obj.tenant_id is not None

    def to_representation(self, instance: DirectoryEvent) -> dict[str, Any]:
        # A network's walking challenge keeps its own code, which submitted events lack.
        data = super().to_representation(instance)
        data["format"] = instance.format
        return data


class ResourceSerializer(serializers.ModelSerializer):
    themes = _slugs("themes")
    page = serializers.SerializerMethodField()

    class Meta:
        model = Resource
        fields = [
            "id", "slug", "title", "summary", "body", "body_html", "themes", "published",
            "published_at", "page",
        ]  # fmt: skip
        read_only_fields = ["id", "slug", "body_html", "published", "published_at"]

    def get_page(self, obj: Resource) -> str:
        return reverse("directory:resource", args=[obj.slug])


SERIALIZERS: dict[str, type[serializers.ModelSerializer]] = {
    "association": AssociationSerializer,
    "initiative": InitiativeSerializer,
    "event": EventSerializer,
    "resource": ResourceSerializer,
}


def listing_values(kind: str, attrs: dict[str, Any], instance=None) -> dict[str, Any]:
    """What the service writes for an operator's input, checked by the pages' review form
    as the whole listing it makes (the instance's values, then the changes)."""
    form_class = type(forms.review_form(kind))
    fields = list(form_class._meta.fields)
    data: dict[str, Any] = model_to_dict(instance, fields=fields) if instance else {}
    data.update({name: value for name, value in attrs.items() if name in fields})
    for name in ("pathologies", "themes"):
        if name in data:
            data[name] = [getattr(item, "pk", item) for item in data[name]]
    form = forms.review_form(kind, data=data, instance=instance)
    if not form.is_valid():
        errors = {
            ("non_field_errors" if name == "__all__" else name): messages
            for name, messages in form.errors.items()
        }
        raise serializers.ValidationError(errors)
    return forms.listing_values(form)


class RefusalSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class PublishSerializer(serializers.Serializer):
    published = serializers.BooleanField(default=True)


class FacetsSerializer(serializers.Serializer):
    kinds = serializers.DictField(child=serializers.IntegerField())
    pathologies = serializers.DictField(child=serializers.IntegerField())
    regions = serializers.DictField(child=serializers.IntegerField())
    forms = serializers.DictField(child=serializers.IntegerField())
    carriers = serializers.DictField(child=serializers.IntegerField())
    formats = serializers.DictField(child=serializers.IntegerField())
