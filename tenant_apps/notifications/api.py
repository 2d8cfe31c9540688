"""The notifications API: my notifications, newest first, and marking them read.

Anybody else's notification, like a missing one, answers 404; so does every call from an
anonymous visitor or another network's session.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tenant_apps.members.permissions import current_member
from tenant_apps.notifications import selectors, services
from tenant_apps.notifications.serializers import MarkedSerializer, NotificationSerializer

NOT_FOUND = OpenApiResponse(description="Not found, not signed in, or not allowed.")


class IsMember(BasePermission):
    """Any active member of this network (sets ``request.member``); others get 404."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        request.member = current_member(request.user)
        if request.member is None:
            raise Http404
        return True


class NewestFirst(CursorPagination):
    page_size = 25
    ordering = "-id"


class NotificationListView(generics.ListAPIView):
    permission_classes = [IsMember]
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
    permission_classes = [IsMember]

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
    permission_classes = [IsMember]

    @extend_schema(
        operation_id="notifications_read_all",
        summary="Mark all my notifications read",
        request=None,
        responses={200: MarkedSerializer, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        marked = services.notifications_mark_all_read(member=request.member)
        return Response(MarkedSerializer({"marked": marked}).data)
