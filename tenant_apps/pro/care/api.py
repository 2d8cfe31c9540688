"""The care offer API (/api/pro/care/…): the same rule (access.py), selectors and services
as the pages. Every refusal answers 404, the same as an address that does not exist."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi import FIELD_ERRORS, NOT_FOUND
from tenant_apps.pro.care import access, selectors, services
from tenant_apps.pro.care.selectors import Filters
from tenant_apps.pro.care.serializers import (
    AreaCountsSerializer,
    PathwaySerializer,
    ProviderFilterSerializer,
    ProviderPageSerializer,
    ProviderSerializer,
    ProviderWriteSerializer,
)


def _reader(request: Request):
    if not access.can_read(request.member):
        raise Http404
    return request.member


def _filters(request: Request) -> tuple[Filters, int | None]:
    given = ProviderFilterSerializer(data=request.query_params)
    given.is_valid(raise_exception=True)
    data = dict(given.validated_data)
    after = data.pop("apres", None)
    return Filters(**{key: value or "" for key, value in data.items()}), after


class ProviderListView(APIView):
    @extend_schema(
        operation_id="care_providers_list",
        summary="The care offer, filtered, by name",
        description="Keyset pages: pass a page's `next` as `apres` for the following one.",
        parameters=[ProviderFilterSerializer],
        responses={200: ProviderPageSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        member = _reader(request)
        filters, after = _filters(request)
        page, following = selectors.providers_page(member, filters, after=after)
        return Response(ProviderPageSerializer({"results": page, "next": following}).data)

    @extend_schema(
        operation_id="care_providers_create",
        summary="Add a provider (admins)",
        request=ProviderWriteSerializer,
        responses={201: ProviderSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        member = access.writer_or_404(request.member)
        given = ProviderWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        provider = services.provider_create(actor=member, **given.validated_data)
        return Response(ProviderSerializer(provider).data, status=status.HTTP_201_CREATED)


class ProviderDetailView(APIView):
    @extend_schema(
        operation_id="care_providers_read",
        summary="One provider",
        responses={200: ProviderSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        provider = access.provider_or_404(_reader(request), pk)
        return Response(ProviderSerializer(provider).data)

    @extend_schema(
        operation_id="care_providers_update",
        summary="Change a provider (admins)",
        request=ProviderWriteSerializer,
        responses={200: ProviderSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def patch(self, request: Request, pk: int) -> Response:
        member = access.writer_or_404(request.member)
        provider = access.provider_or_404(member, pk)
        given = ProviderWriteSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        provider = services.provider_update(actor=member, provider=provider, **given.validated_data)
        return Response(ProviderSerializer(provider).data)


class AreaCountsView(APIView):
    @extend_schema(
        operation_id="care_areas",
        summary="Providers per région and per département (the map's figures)",
        parameters=[ProviderFilterSerializer],
        responses={200: AreaCountsSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        member = _reader(request)
        filters, _after = _filters(request)
        return Response(AreaCountsSerializer(selectors.area_counts(member, filters)).data)


class PathwayListView(APIView):
    @extend_schema(
        operation_id="care_pathways_list",
        summary="Care pathways (published ones; admins see all)",
        responses={200: PathwaySerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        member = _reader(request)
        pathways = selectors.pathways(member).prefetch_related("providers")
        return Response(PathwaySerializer(pathways, many=True).data)
