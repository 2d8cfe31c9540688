"""The research API: training, campaigns and clinical trials. Same rule as the pages
(``access``) and the same services; every refusal is the 404 of a missing address, bad
input 400 with errors by field."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi import FIELD_ERRORS, NOT_FOUND
from tenant_apps.pro.research import access, selectors, services
from tenant_apps.pro.research.serializers import (
    CampaignRowSerializer,
    CampaignSerializer,
    CampaignWriteSerializer,
    TrainingSerializer,
    TrialCreateSerializer,
    TrialPageSerializer,
    TrialSerializer,
)


class TrainingView(APIView):
    required_permissions = {"GET": None}

    @extend_schema(
        operation_id="pro_training",
        summary="Training for professionals",
        description="Coming training events and training articles this professional may see "
        "(50 of each at most).",
        responses={200: TrainingSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        member = access.training_reader_or_404(request.member)
        return Response(TrainingSerializer(selectors.training(member)).data)


def _campaign_input(request: Request, member, *, partial: bool = False) -> dict:
    given = CampaignWriteSerializer(
        data=request.data,
        partial=partial,
        context={"events": access.linkable_events(member),
                 "articles": access.linkable_articles(member)},
    )  # fmt: skip
    given.is_valid(raise_exception=True)
    return dict(given.validated_data)


class CampaignListView(APIView):
    required_permissions = {"GET": None, "POST": None}

    @extend_schema(
        operation_id="pro_campaigns",
        summary="Prevention and screening campaigns",
        description="Published campaigns (admins also see drafts), the latest first.",
        responses={200: CampaignRowSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        member = access.reader_or_404(request.member)
        return Response(CampaignRowSerializer(selectors.campaigns(member), many=True).data)

    @extend_schema(
        operation_id="pro_campaign_create",
        summary="Create a prevention or screening campaign",
        description="Admins (with their second factor). `events` and `articles` are ids of "
        "events and articles the admin sees (400 on an unknown one).",
        request=CampaignWriteSerializer,
        responses={201: CampaignRowSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        member = access.editor_or_404(request.member)
        campaign = services.campaign_create(actor=member, **_campaign_input(request, member))
        return Response(CampaignRowSerializer(campaign).data, status=status.HTTP_201_CREATED)


class CampaignView(APIView):
    required_permissions = {"GET": None, "PATCH": None, "DELETE": None}

    @extend_schema(
        operation_id="pro_campaign",
        summary="A campaign",
        description="With the events and articles of it that this member may see.",
        responses={200: CampaignSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, slug: str) -> Response:
        member = access.reader_or_404(request.member)
        campaign = access.campaign_or_404(member, slug)
        return Response(CampaignSerializer(selectors.campaign_page(member, campaign)).data)

    @extend_schema(
        operation_id="pro_campaign_update",
        summary="Change a campaign",
        description="Admins. The fields given change; its address stays; `events` or "
        "`articles`, when given, replace the attached ones.",
        request=CampaignWriteSerializer(partial=True),
        responses={200: CampaignRowSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def patch(self, request: Request, slug: str) -> Response:
        member = access.editor_or_404(request.member)
        campaign = access.campaign_or_404(member, slug)
        fields = _campaign_input(request, member, partial=True)
        campaign = services.campaign_update(actor=member, campaign=campaign, **fields)
        return Response(CampaignRowSerializer(campaign).data)

    @extend_schema(
        operation_id="pro_campaign_delete",
        summary="Delete a campaign",
        description="Admins. Its events and articles stay.",
        responses={204: None, 404: NOT_FOUND},
    )
    def delete(self, request: Request, slug: str) -> Response:
        member = access.editor_or_404(request.member)
        campaign = access.campaign_or_404(member, slug)
        services.campaign_delete(actor=member, campaign=campaign)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TrialListView(APIView):
    required_permissions = {"GET": None, "POST": None}

    @extend_schema(
        operation_id="pro_trials",
        summary="Clinical trials",
        description="Searchable (French, accents ignored) and filtered by phase, status and "
        "région of a centre; 25 a page, by title; `after` is the previous page's "
        "`next_cursor`.",
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("phase", str),
            OpenApiParameter("status", str),
            OpenApiParameter("region", str),
            OpenApiParameter("after", int),
        ],  # fmt: skip
        responses={200: TrialPageSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        member = access.reader_or_404(request.member)
        after = request.query_params.get("after", "")
        page = selectors.trial_page(
            member,
            selectors.filters_from(request.query_params),
            after=int(after) if after.isdigit() and len(after) < 19 else None,
        )
        return Response(TrialPageSerializer(page).data)

    @extend_schema(
        operation_id="pro_trial_create",
        summary="List a clinical trial",
        description="Admins (with their second factor). The registry number is a "
        "ClinicalTrials.gov, EU CT or ID-RCB number (400 on `registry_number` otherwise).",
        request=TrialCreateSerializer,
        responses={201: TrialSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        member = access.editor_or_404(request.member)
        given = TrialCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        centres = services.centres_parse(fields.pop("centres"))
        trial = services.trial_create(actor=member, centres=centres, **fields)
        return Response(TrialSerializer(trial).data, status=status.HTTP_201_CREATED)


class TrialView(APIView):
    required_permissions = {"GET": None}

    @extend_schema(
        operation_id="pro_trial",
        summary="A clinical trial",
        responses={200: TrialSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        member = access.reader_or_404(request.member)
        return Response(TrialSerializer(access.trial_or_404(member, pk)).data)
