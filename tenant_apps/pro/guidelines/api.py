"""The guidelines API: the list (searchable, by organ or theme) and one guideline with the
version shown on its page. Same rule as the pages (``access``); every refusal is the 404 of
a missing address, bad input 400 with errors by field."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi import FIELD_ERRORS, NOT_FOUND
from tenant_apps.pro.guidelines import access, selectors
from tenant_apps.pro.guidelines.serializers import (
    GuidelineRowSerializer,
    GuidelineSerializer,
    ListQuerySerializer,
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
