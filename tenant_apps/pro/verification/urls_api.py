"""API: verification requests and decisions (/api/pro/verification/)."""

from django.urls import path

from tenant_apps.pro.verification import api

urlpatterns = [
    path("requests/", api.OwnRequestsView.as_view(), name="api_pro_verification_requests"),
    path("pending/", api.PendingView.as_view(), name="api_pro_verification_pending"),
    path(
        "pending/<int:pk>/decision/",
        api.DecisionView.as_view(),
        name="api_pro_verification_decide",
    ),
]
