"""The JSON API of a network site (DRF), documented by drf-spectacular."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from tenant_apps.members import api as members
from tenant_apps.social import urls_relations as social_relations

urlpatterns = [
    path("me/", members.MeView.as_view(), name="api_me"),
    path("me/export/", members.MeExportView.as_view(), name="api_me_export"),
    path("members/", members.MemberListView.as_view(), name="api_members"),
    path("forums/", include("tenant_apps.forums.urls_api")),
    path("moderation/", include("tenant_apps.moderation.urls_api")),
    path("notifications/", include("tenant_apps.notifications.urls_api")),
    path("knowledge/", include("tenant_apps.knowledge.urls_api")),
    path("events/", include("tenant_apps.events.urls_api")),
    path("experiences/", include("tenant_apps.social.urls_api")),
    path("messages/", include("tenant_apps.messaging.urls_api")),
    path("community/", include(social_relations.api_urlpatterns)),
    path("insights/", include("tenant_apps.insights.urls_api")),
    path("pro/", include("tenant_apps.pro.urls_api")),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
]
