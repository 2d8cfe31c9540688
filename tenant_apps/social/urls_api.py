from django.urls import path

from tenant_apps.social import api

urlpatterns = [
    path("", api.ExperienceListView.as_view(), name="api_experiences"),
    path("<int:pk>/", api.ExperienceDetailView.as_view(), name="api_experience"),
    path("<int:pk>/comments/", api.CommentListView.as_view(), name="api_experience_comments"),
    path("<int:pk>/reactions/", api.ReactionView.as_view(), name="api_experience_reactions"),
    path("comments/<int:pk>/", api.CommentDetailView.as_view(), name="api_experience_comment"),
]
