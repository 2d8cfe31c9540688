"""The directory's JSON API, on the platform's domain under /api/annuaire/.

Reading is public: the published associations, initiatives, coming events and resources,
with the pages' filters and search (``?q=…&pathology=…&region=…``, parsed by
``forms_filters.filters_from`` and listed by ``selectors.listings``, the pages' own code),
paginated by page. Writing is for operators only (staff with a second factor, the rule of
their pages, ``shared_apps.accounts.operators``): create, correct, publish and refuse through
``services``, as the review pages do. Anyone else gets the 404 of a missing page, decided
before the request's body is read; a service's refusal is a 400 with errors by field
(``members.api_errors``).
"""

import uuid
from typing import Any

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import authentication, generics, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shared_apps.accounts.operators import operator_or_404
from shared_apps.directory import selectors, services
from shared_apps.directory.forms_filters import filters_from
from shared_apps.directory.models import DirectoryEvent, Resource, Review
from shared_apps.directory.serializers import (
    SERIALIZERS,
    FacetsSerializer,
    PublishSerializer,
    RefusalSerializer,
    listing_values,
)

FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="French full-text search, accents optional"),
    OpenApiParameter("pathology", str, many=True, description="pathology slug"),
    OpenApiParameter("region", str, many=True, description="région INSEE code"),
    OpenApiParameter("department", str, many=True, description="département INSEE code"),
    OpenApiParameter("form", str, many=True, description="initiatives: form"),
    OpenApiParameter("carrier", str, many=True, description="initiatives: who carries it"),
    OpenApiParameter("theme", str, many=True, description="initiatives, resources: theme slug"),
    OpenApiParameter("format", str, many=True, description="events: format"),
]
PREFETCH = {
    "association": ("pathologies", "networks"),
    "initiative": ("pathologies", "themes", "association"),
    "event": ("pathologies",),
    "resource": ("themes",),
}


class PlatformSession(authentication.SessionAuthentication):
    """The platform account of the session; its CSRF check waits for the permission (as
    for the networks' API, whose class lives in a layer above this one)."""

    def authenticate(self, request: Request):
        user = getattr(request._request, "user", None)
        if not user or not user.is_active:
            return None
        return (user, None)


class _PlatformSessionScheme(SessionScheme):
    target_class = "shared_apps.directory.api.PlatformSession"
    name = "platformSession"


class DirectoryPermission(BasePermission):
    """Reading is public; anything else is an operator's, or the 404 of a missing page.
    The CSRF check of a session runs once an operator is recognised, so a refusal never
    depends on the body."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        request.operator = operator_or_404(request)
        PlatformSession().enforce_csrf(request._request)
        return True


class Pages(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class DirectoryView(generics.GenericAPIView):
    authentication_classes = [PlatformSession]
    permission_classes = [DirectoryPermission]
    pagination_class = Pages
    kind = ""

    def get_serializer_class(self):
        return SERIALIZERS[self.kind]

    def get_queryset(self) -> QuerySet:
        """The published rows (what anyone reads)."""
        return selectors.published(self.kind).prefetch_related(*PREFETCH[self.kind])

    def for_operator(self) -> QuerySet:
        """Every row an operator may write (a network's event is its network's alone)."""
        model: type[Model] = selectors.published(self.kind).model
        rows = model._default_manager.all()
        if model is DirectoryEvent:
            rows = rows.filter(tenant=None)
        return rows


# A list that creates (its POST answers 201, as the schema says for this class of view).
class ListView(generics.ListCreateAPIView, DirectoryView):
    @extend_schema(parameters=FILTER_PARAMETERS)
    def get(self, request: Request) -> Response:
        """The published rows of this kind that the filters and the search keep."""
        filters = filters_from(request.query_params).replace(kinds=())
        rows = selectors.listings(self.kind, filters).prefetch_related(*PREFETCH[self.kind])
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def post(self, request: Request) -> Response:
        """Operators: add a listing, waiting for review (publish it next); a resource,
        unpublished."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if self.kind == "resource":
            row: Model = services.resource_save(
                operator=request.operator, **_resource_values(serializer.validated_data)
            )
        else:
            values = listing_values(self.kind, serializer.validated_data)
            row, _created = services.listing_propose(
                kind=self.kind,
                values=values,
                proposer_email="",
                submission=f"api:{uuid.uuid4().hex}",
            )
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)


def _resource_values(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in ("title", "summary", "body", "themes") if name in data}


class DetailView(DirectoryView):
    def get(self, request: Request, pk: int) -> Response:
        """One published row."""
        row = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(self.get_serializer(row).data)

    def patch(self, request: Request, pk: int) -> Response:
        """Operators: correct a published listing (a proposal is corrected as it is
        published) or a resource."""
        row = get_object_or_404(self.for_operator(), pk=pk)
        serializer = self.get_serializer(row, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if isinstance(row, Resource):
            values = {
                "title": row.title,
                "summary": row.summary,
                "body": row.body,
                "themes": list(row.themes.all()),
                **_resource_values(serializer.validated_data),
            }
            row = services.resource_save(operator=request.operator, resource=row, **values)
        else:
            if row.review != Review.PUBLISHED:
                raise serializers.ValidationError(
                    {"review": [_("Publish a proposal to correct it (…/publish/).")]}
                )
            values = listing_values(self.kind, serializer.validated_data, instance=row)
            row = services.listing_publish(listing=row, operator=request.operator, values=values)
        return Response(self.get_serializer(row).data)


class PublishView(DirectoryView):
    def post(self, request: Request, pk: int) -> Response:
        """Operators: publish a proposal, with corrections if the body holds any (a
        resource: ``{"published": false}`` takes it back)."""
        row = get_object_or_404(self.for_operator(), pk=pk)
        if isinstance(row, Resource):
            choice = PublishSerializer(data=request.data)
            choice.is_valid(raise_exception=True)
            row = services.resource_publish(
                resource=row,
                operator=request.operator,
                published=choice.validated_data["published"],
            )
            return Response(self.get_serializer(row).data)
        serializer = self.get_serializer(row, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = (
            listing_values(self.kind, serializer.validated_data, instance=row)
            if serializer.validated_data
            else None
        )
        row = services.listing_publish(listing=row, operator=request.operator, values=values)
        return Response(self.get_serializer(row).data)


class RefuseView(DirectoryView):
    @extend_schema(request=RefusalSerializer)
    def post(self, request: Request, pk: int) -> Response:
        """Operators: refuse a proposal with the reason its author reads."""
        row = get_object_or_404(self.for_operator(), pk=pk)
        reason = RefusalSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        row = services.listing_refuse(
            listing=row, operator=request.operator, reason=reason.validated_data["reason"]
        )
        return Response(self.get_serializer(row).data)


class FacetsView(APIView):
    authentication_classes = [PlatformSession]
    permission_classes = [DirectoryPermission]

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=list(selectors.KINDS)),
            *FILTER_PARAMETERS,
        ],
        responses=FacetsSerializer,
    )
    def get(self, request: Request) -> Response:
        """The counts beside each filter's values, as the pages show them."""
        filters = filters_from(request.query_params)
        kind = filters.kinds[0] if len(filters.kinds) == 1 else None
        return Response(selectors.facets(kind, filters))
