"""The private messages' API: my conversations, a conversation's messages, send, mark read,
block the other member. Same rule as the pages (``access``, the services); every refusal
answers 404, the same as an address that does not exist, except writing to someone who
cannot be written to: 400 on ``body`` with the one sentence the page shows."""

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi import FIELD_ERRORS, NOT_FOUND
from tenant_apps.members.models import Member
from tenant_apps.messaging import access, selectors, services
from tenant_apps.messaging.serializers import (
    ConversationFilterSerializer,
    ConversationPageSerializer,
    FirstContactSerializer,
    MessageFilterSerializer,
    MessagePageSerializer,
    MessageSendSerializer,
    SentSerializer,
)
from tenant_apps.social import relations
from tenant_apps.social.models import SocialSettings


class ConversationListView(APIView):
    required_permissions = {"GET": None}

    @extend_schema(
        operation_id="messages_conversations",
        summary="My conversations",
        description="Newest activity first, hidden ones left out; keyset pages (`apres`).",
        parameters=[ConversationFilterSerializer],
        responses={200: ConversationPageSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        given = ConversationFilterSerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        page = selectors.inbox_page(request.member, after=given.validated_data.get("apres"))
        return Response(ConversationPageSerializer({"results": page.items, "next": page.next}).data)


class MessageListView(APIView):
    required_permissions = {"GET": None}

    @extend_schema(
        operation_id="messages_list",
        summary="A conversation's messages",
        description="The newest page, oldest first; earlier ones with `avant`. Reading them "
        "does not mark them read: see the `read` endpoint.",
        parameters=[MessageFilterSerializer],
        responses={200: MessagePageSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        side = access.participation_or_404(request.member, pk)
        given = MessageFilterSerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        page = selectors.thread_page(side, before=given.validated_data.get("avant"))
        for message in page.items:
            message.mine = message.author_id == side.member_id
        return Response(MessagePageSerializer({"results": page.items, "next": page.next}).data)


class ReadView(APIView):
    required_permissions = {"GET": None, "POST": None}

    @extend_schema(
        operation_id="messages_read",
        summary="Mark a conversation read",
        request=None,
        responses={204: None, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        services.conversation_read(participation=access.participation_or_404(request.member, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class HideView(APIView):
    required_permissions = {"GET": None, "POST": None}

    @extend_schema(
        operation_id="messages_hide",
        summary="Hide a conversation from my list",
        description="Until a new message; it counts as read.",
        request=None,
        responses={204: None, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        services.conversation_hide(participation=access.participation_or_404(request.member, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PreferencesView(APIView):
    required_permissions = {"GET": None, "PATCH": None}

    def _answer(self, member) -> Response:
        choice = (
            SocialSettings.objects.filter(member=member)
            .values_list("first_contact", flat=True)
            .first()
        )
        return Response(
            FirstContactSerializer(
                {"first_contact": choice or SocialSettings.FirstContact.NOBODY}
            ).data
        )

    @extend_schema(
        operation_id="messages_preferences_read",
        summary="Who may write to me first",
        responses={200: FirstContactSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        return self._answer(request.member)

    @extend_schema(
        operation_id="messages_preferences_update",
        summary="Choose who may write to me first",
        request=FirstContactSerializer,
        responses={200: FirstContactSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def patch(self, request: Request) -> Response:
        given = FirstContactSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.first_contact_set(
            member=request.member, choice=given.validated_data["first_contact"]
        )
        return self._answer(request.member)


class BlockView(APIView):
    required_permissions = {"GET": None, "POST": None}

    @extend_schema(
        operation_id="messages_block",
        summary="Block the conversation's other member",
        description="Social's block: both ways, follows removed, the other is never told.",
        request=None,
        responses={204: None, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        side = access.participation_or_404(request.member, pk)
        try:
            relations.block_create(blocker=request.member, blocked=side.other)
        except ValidationError as error:
            raise Http404 from error
        return Response(status=status.HTTP_204_NO_CONTENT)


class SendView(APIView):
    required_permissions = {"GET": None, "POST": None}

    @extend_schema(
        operation_id="messages_send",
        summary="Send a private message",
        description=(
            "To a member by id, in the pair's conversation (started if needed). Refused with "
            "400 on `body` when the member cannot be written to (whatever the reason), for "
            "words the network refuses, and for identifying data until "
            "`confirm_identifying`; 429 past the rate (first contacts have a lower one)."
        ),
        request=MessageSendSerializer,
        responses={201: SentSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        given = MessageSendSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        recipient = Member.objects.filter(pk=data["recipient"]).first()
        if recipient is None:
            raise services.unreachable_error()
        message = services.message_send(
            author=request.member,
            recipient=recipient,
            body=data["body"],
            confirmed_identifying=data["confirm_identifying"],
        )
        message.mine = True
        message.crisis = message.screening.crisis
        return Response(SentSerializer(message).data, status=status.HTTP_201_CREATED)
