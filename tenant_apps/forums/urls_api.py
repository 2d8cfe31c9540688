from django.urls import path

from tenant_apps.forums import api

urlpatterns = [
    path("categories/", api.CategoryListView.as_view(), name="api_forums_categories"),
    path(
        "categories/<slug:slug>/topics/",
        api.TopicListView.as_view(),
        name="api_forums_topics",
    ),
    path("topics/<int:topic_id>/", api.TopicDetailView.as_view(), name="api_forums_topic"),
    path("topics/<int:topic_id>/posts/", api.PostListView.as_view(), name="api_forums_posts"),
    path(
        "posts/<int:post_id>/reactions/",
        api.ReactionToggleView.as_view(),
        name="api_forums_reactions",
    ),
]
