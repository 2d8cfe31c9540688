from django.urls import path

from tenant_apps.moderation import api

urlpatterns = [
    path("reports/", api.ReportCreateView.as_view(), name="api_moderation_report"),
    path("queue/", api.QueueView.as_view(), name="api_moderation_queue"),
    path(
        "posts/<int:post_id>/approve/",
        api.PostApproveView.as_view(),
        name="api_moderation_post_approve",
    ),
    path("posts/<int:post_id>/hide/", api.PostHideView.as_view(), name="api_moderation_post_hide"),
    path(
        "posts/<int:post_id>/restore/",
        api.PostRestoreView.as_view(),
        name="api_moderation_post_restore",
    ),
    path(
        "experiences/<int:pk>/<slug:action>/",
        api.ExperienceDecisionView.as_view(),
        name="api_moderation_experience_decide",
    ),
    path(
        "comments/<int:pk>/<slug:action>/",
        api.CommentDecisionView.as_view(),
        name="api_moderation_comment_decide",
    ),
]
