from django.urls import path

from tenant_apps.notifications import api

urlpatterns = [
    path("", api.NotificationListView.as_view(), name="api_notifications"),
    path("<int:pk>/read/", api.NotificationReadView.as_view(), name="api_notification_read"),
    path("read-all/", api.NotificationReadAllView.as_view(), name="api_notifications_read_all"),
]
