"""API: RCP meetings and cases (/api/pro/rcp/)."""

from django.urls import path

from tenant_apps.pro.rcp import api

urlpatterns = [
    path("meetings/", api.MeetingListView.as_view(), name="api_rcp_meetings"),
    path("meetings/<int:pk>/", api.MeetingView.as_view(), name="api_rcp_meeting"),
    path("meetings/<int:pk>/cases/", api.CaseAddView.as_view(), name="api_rcp_case_add"),
    path(
        "meetings/<int:pk>/cancel/", api.MeetingCancelView.as_view(), name="api_rcp_meeting_cancel"
    ),
    path("meetings/<int:pk>/participants/", api.InviteView.as_view(), name="api_rcp_invite"),
    path("cases/<int:pk>/decision/", api.DecisionView.as_view(), name="api_rcp_decision"),
]
