"""The notifications API: my notifications, newest first, and marking them read.

Anybody else's notification, like a missing one, answers 404; so does every call from an
anonymous visitor or another network's session.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi import NOT_FOUND
from tenant_apps.notifications import selectors, services
from tenant_apps.notifications.serializers import MarkedSerializer, NotificationSerializer


class NewestFirst(CursorPagination):
    page_size = 25
    ordering = "-id"


class NotificationListView(generics.ListAPIView):
    required_permissions = {"GET": None}  # any member of the network
    serializer_class = NotificationSerializer
    pagination_class = NewestFirst

    @extend_schema(
        operation_id="notifications_list",
        summary="My notifications, newest first",
        responses={200: NotificationSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.notifications_for(self.request.member)


class NotificationReadView(APIView):
    required_permissions = {"GET": None}  # any member of the network

    @extend_schema(
        operation_id="notifications_read",
        summary="Mark one of my notifications read",
        request=None,
        responses={200: NotificationSerializer, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        notification = selectors.access_notification(request.member, pk)
        services.notification_open(notification=notification)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllView(APIView):
    required_permissions = {"GET": None}  # any member of the network

    @extend_schema(
        operation_id="notifications_read_all",
        summary="Mark all my notifications read",
        request=None,
        responses={200: MarkedSerializer, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        marked = services.notifications_mark_all_read(member=request.member)
        return Response(MarkedSerializer({"marked": marked}).data)
