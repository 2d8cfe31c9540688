from django.urls import path

from tenant_apps.knowledge import api

urlpatterns = [
    path("articles/", api.ArticleListView.as_view(), name="api_knowledge_articles"),
    path("articles/<int:pk>/", api.ArticleDetailView.as_view(), name="api_knowledge_article"),
    path("articles/<int:pk>/submit/", api.ArticleSubmitView.as_view(), name="api_knowledge_submit"),
    path(
        "articles/<int:pk>/publish/", api.ArticlePublishView.as_view(), name="api_knowledge_publish"
    ),
]
