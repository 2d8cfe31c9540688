"""API: training, campaigns and clinical trials (/api/pro/research/)."""

from django.urls import path

from tenant_apps.pro.research import api

urlpatterns = [
    path("training/", api.TrainingView.as_view(), name="api_pro_training"),
    path("campaigns/", api.CampaignListView.as_view(), name="api_pro_campaigns"),
    path("campaigns/<slug:slug>/", api.CampaignView.as_view(), name="api_pro_campaign"),
    path("trials/", api.TrialListView.as_view(), name="api_pro_trials"),
    path("trials/<int:pk>/", api.TrialView.as_view(), name="api_pro_trial"),
]
