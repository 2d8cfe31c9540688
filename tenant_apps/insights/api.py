"""The anonymous statistics' API, for the association's admins: the releases, one release
with its frozen figures, a preview (the shape, never a count) and
publication. Same rule (``access``) and services as the pages; anyone else gets the 404 of
a missing address, and a refusal of the services (the year's budget) 400 on its field."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi import FIELD_ERRORS, NOT_FOUND
from tenant_apps.insights import access, selectors, services
from tenant_apps.insights.serializers import (
    InsightsChoicesSerializer,
    InsightsPreviewSerializer,
    InsightsPublishSerializer,
    InsightsReleaseDetailSerializer,
    InsightsReleaseFilterSerializer,
    InsightsReleasePageSerializer,
)
from tenant_apps.insights.views import parse_after
from tenants.links import network_url

ADMINS = {"GET": access.PERMISSION, "POST": access.PERMISSION}


def _share_url(release) -> str:
    return network_url(reverse("insights_shared:page", args=[release.share_token]))


def _params(data: dict):
    return services.params_clean(
        measure=data["measure"],
        dimensions=data["dimensions"],
        period_start=data["period_start"],
        period_end=data["period_end"],
        threshold=data.get("threshold"),
        epsilon=data.get("epsilon"),
    )


class ReleaseListView(APIView):
    required_permissions = ADMINS

    @extend_schema(
        operation_id="insights_releases",
        summary="The network's statistics releases",
        description="Drafts and published ones, newest first; keyset pages (`apres`).",
        parameters=[InsightsReleaseFilterSerializer],
        responses={200: InsightsReleasePageSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        given = InsightsReleaseFilterSerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        after = parse_after(given.validated_data.get("apres", ""))
        releases = selectors.releases_for(request.member, before=after)
        full = len(releases) == selectors.RELEASES_PER_PAGE
        following = f"{releases[-1].created.isoformat()}~{releases[-1].pk}" if full else None
        page = InsightsReleasePageSerializer(
            {"results": releases, "next": following}, context={"share_url": _share_url}
        )
        return Response(page.data)

    @extend_schema(
        operation_id="insights_publish",
        summary="Publish a release",
        description=(
            "Counts, hides, blurs and freezes a release at once, spending its ε from this "
            "year's privacy budget. 400 on `epsilon` when the budget cannot pay for it."
        ),
        request=InsightsPublishSerializer,
        responses={201: InsightsReleaseDetailSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        given = InsightsPublishSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        release = services.release_publish(
            member=request.member, title=data["title"], params=_params(data)
        )
        body = InsightsReleaseDetailSerializer(release, context={"share_url": _share_url})
        return Response(body.data, status=status.HTTP_201_CREATED)


class ReleaseDetailView(APIView):
    required_permissions = ADMINS

    @extend_schema(
        operation_id="insights_release",
        summary="A release, with its frozen figures once published",
        responses={200: InsightsReleaseDetailSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        release = access.release_or_404(request.member, pk)
        return Response(
            InsightsReleaseDetailSerializer(release, context={"share_url": _share_url}).data
        )


class ReleasePublishView(APIView):
    required_permissions = ADMINS

    @extend_schema(
        operation_id="insights_release_publish",
        summary="Publish a draft",
        description="400 when it is already published (nothing is spent twice) or when the "
        "year's budget cannot pay for it (on `epsilon`).",
        request=None,
        responses={200: InsightsReleaseDetailSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        release = access.release_or_404(request.member, pk)
        release = services.release_publish(member=request.member, release=release)
        return Response(
            InsightsReleaseDetailSerializer(release, context={"share_url": _share_url}).data
        )


class PreviewView(APIView):
    required_permissions = ADMINS

    @extend_schema(
        operation_id="insights_preview",
        summary="Preview a report",
        description="The table's shape, the noise's margin and the budget. Nothing is "
        "counted and nothing is spent: which values are hidden is decided from the counts at "
        "publication, never in a preview.",
        request=InsightsChoicesSerializer,
        responses={200: InsightsPreviewSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        given = InsightsChoicesSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        preview = services.release_preview(
            member=request.member, params=_params(given.validated_data)
        )
        return Response(InsightsPreviewSerializer(preview).data)
