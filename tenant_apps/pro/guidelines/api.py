"""The guidelines API: the list (searchable, by organ or theme), one guideline with the
version shown on its page, and the group's writes: a new guideline, the next version's
draft, its validation by the coordinator (the pages' services). Same rule as the pages
(``access``); every refusal is the 404 of a missing address, bad input 400 with errors by
field."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi import FIELD_ERRORS, NOT_FOUND
from tenant_apps.pro.guidelines import access, selectors, services
from tenant_apps.pro.guidelines.serializers import (
    GuidelineCreateSerializer,
    GuidelineRowSerializer,
    GuidelineSerializer,
    ListQuerySerializer,
    ValidateSerializer,
    VersionSerializer,
    VersionWriteSerializer,
)


class GuidelineListView(APIView):
    required_permissions = {"GET": None}

    @extend_schema(
        operation_id="guidelines_list",
        summary="Regional guidelines",
        description="The guidelines the member may read (200 at most), by organ or theme and "
        "title, or by relevance with `q` (French full-text, accents ignored).",
        parameters=[ListQuerySerializer],
        responses={200: GuidelineRowSerializer(many=True), 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        member = access.browser_or_404(request.member)
        given = ListQuerySerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        found = selectors.guideline_list(member, **given.validated_data)
        return Response(GuidelineRowSerializer(found, many=True).data)


class GuidelineView(APIView):
    required_permissions = {"GET": None}

    @extend_schema(
        operation_id="guidelines_detail",
        summary="A regional guideline",
        description="Its version in force (or, for its working group, the latest draft) with "
        "sections, and the numbers of the versions the member may read.",
        responses={200: GuidelineSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, slug: str) -> Response:
        guideline = access.guideline_or_404(request.member, slug)
        versions = selectors.versions(request.member, guideline)
        version = guideline.current_version or (versions[0] if versions else None)
        context = {
            "version": version,
            "sections": selectors.sections(version) if version else [],
            "versions": versions,
        }
        return Response(GuidelineSerializer(guideline, context=context).data)


class GuidelineCreateView(APIView):
    required_permissions = {"GET": None, "POST": None}

    @extend_schema(
        operation_id="guidelines_create",
        summary="Write a new guideline of a working group",
        description="The group's members (verified professionals). Its first version waits "
        "for the coordinator's validation.",
        request=GuidelineCreateSerializer,
        responses={201: GuidelineRowSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, slug: str) -> Response:
        group = access.group_or_404(request.member, slug)
        if not access.is_group_member(request.member, group):
            raise Http404
        given = GuidelineCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        guideline = services.guideline_create(
            author=request.member, group=group, **given.validated_data
        )
        return Response(GuidelineRowSerializer(guideline).data, status=status.HTTP_201_CREATED)


class VersionSaveView(APIView):
    required_permissions = {"GET": None, "POST": None}

    @extend_schema(
        operation_id="guidelines_version_save",
        summary="Write the next version (its draft)",
        description="The group's members. After a validated version this starts the next "
        "one; while a draft waits for validation it is edited in place (one draft at a time).",
        request=VersionWriteSerializer,
        responses={201: VersionSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, slug: str) -> Response:
        guideline = access.guideline_or_404(request.member, slug)
        author = access.writer_or_404(request.member, guideline)
        given = VersionWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        version = services.version_save(author=author, guideline=guideline, **given.validated_data)
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)


class VersionValidateView(APIView):
    required_permissions = {"GET": None, "POST": None}

    @extend_schema(
        operation_id="guidelines_version_validate",
        summary="Validate the latest version (the group's coordinator)",
        description="It comes into force until `valid_until` (three years by default).",
        request=ValidateSerializer,
        responses={200: GuidelineRowSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, slug: str, number: int) -> Response:
        guideline = access.guideline_or_404(request.member, slug)
        actor = access.coordinator_or_404(request.member, guideline)
        version = access.version_or_404(actor, guideline, number)
        given = ValidateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        guideline = services.version_validate(
            actor=actor, version=version, valid_until=given.validated_data["valid_until"]
        )
        return Response(GuidelineRowSerializer(guideline).data)
