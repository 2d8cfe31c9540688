from django.urls import path

from tenant_apps.events import api, challenge_api

urlpatterns = [
    path("", api.EventListView.as_view(), name="api_events"),
    path("<int:pk>/", api.EventDetailView.as_view(), name="api_event"),
    path("<int:pk>/cancel/", api.EventCancelView.as_view(), name="api_event_cancel"),
    path("<int:pk>/registration/", api.RegistrationView.as_view(), name="api_event_registration"),
    path("<int:pk>/questions/", api.QuestionListView.as_view(), name="api_event_questions"),
    path("questions/<int:question_id>/vote/", api.VoteView.as_view(), name="api_event_vote"),
    path("<int:pk>/challenge/", challenge_api.ChallengeView.as_view(), name="api_event_challenge"),
    path(
        "<int:pk>/challenge/entries/",
        challenge_api.EntryListView.as_view(),
        name="api_event_challenge_entries",
    ),
    path(
        "<int:pk>/challenge/team/",
        challenge_api.TeamView.as_view(),
        name="api_event_challenge_team",
    ),
    path(
        "<int:pk>/challenge/team/join/",
        challenge_api.TeamJoinView.as_view(),
        name="api_event_challenge_team_join",
    ),
    path(
        "<int:pk>/challenge/leaderboard/",
        challenge_api.LeaderboardView.as_view(),
        name="api_event_challenge_leaderboard",
    ),
]
