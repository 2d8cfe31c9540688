"""Relations, "people like me" and the feed: the pages (/communaute/…) and the API
(``api_urlpatterns``, /api/community/…)."""

from django.urls import path

from tenant_apps.social import api_relations as api
from tenant_apps.social import views_relations as views

app_name = "relations"

urlpatterns = [
    path("", views.feed, name="feed"),
    path("membres/<str:pseudonym>/", views.profile, name="profile"),
    path("membres/<str:pseudonym>/suivre/", views.follow, name="follow"),
    path("membres/<str:pseudonym>/bloquer/", views.block, name="block"),
    path("abonnes/", views.followers, name="followers"),
    path("abonnes/<str:pseudonym>/retirer/", views.follower_remove, name="follower_remove"),
    path("abonnements/", views.following, name="following"),
    path("bloques/", views.blocked, name="blocked"),
    path("bloques/<str:pseudonym>/debloquer/", views.unblock, name="unblock"),
    path("rencontres/", views.matching_page, name="matching"),
]

api_urlpatterns = [
    path("follows/", api.FollowListView.as_view(), name="api_social_follows"),
    path("follows/<str:pseudonym>/", api.FollowDetailView.as_view(), name="api_social_follow"),
    path("followers/", api.FollowerListView.as_view(), name="api_social_followers"),
    path(
        "followers/<str:pseudonym>/",
        api.FollowerDetailView.as_view(),
        name="api_social_follower",
    ),
    path("blocks/", api.BlockListView.as_view(), name="api_social_blocks"),
    path("blocks/<str:pseudonym>/", api.BlockDetailView.as_view(), name="api_social_block"),
    path("matching/", api.MatchingSettingsView.as_view(), name="api_social_matching"),
    path(
        "matching/suggestions/",
        api.SuggestionsView.as_view(),
        name="api_social_suggestions",
    ),
    path("feed/", api.FeedView.as_view(), name="api_social_feed"),
]
