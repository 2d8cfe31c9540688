from django.urls import path

from tenant_apps.events import challenge_views, theme_views, views

app_name = "events"
urlpatterns = [
    path("", views.index, name="index"),
    path("passes/", views.past, name="past"),
    path("calendrier/", views.month, name="month"),
    path("nouveau/", views.create, name="create"),
    path("organisateurs/", views.organizers, name="organizers"),
    path("themes/", theme_views.themes, name="themes"),
    path("themes/<int:pk>/webinaire/", theme_views.theme_webinar, name="theme_webinar"),
    path("organisateurs/<int:pk>/retirer/", views.organizer_revoke, name="organizer_revoke"),
    path("<int:pk>/", views.event, name="event"),
    path("<int:pk>/couverture/", views.cover, name="cover"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/inscription/", views.register, name="register"),
    path("<int:pk>/desinscription/", views.unregister, name="unregister"),
    path("<int:pk>/annuler/", views.cancel, name="cancel"),
    path("<int:pk>/replay/", views.replay, name="replay"),
    path("<int:pk>/evenement.ics", views.event_ics, name="ics"),
    path("mon-agenda/", views.my_calendar, name="my_calendar"),
    path("<int:pk>/questions/", views.questions, name="questions"),
    path("<int:pk>/questions/poser/", views.question_ask, name="question_ask"),
    path("questions/<int:question_id>/voter/", views.question_vote, name="question_vote"),
    path("questions/<int:question_id>/moderer/", views.question_moderate, name="question_moderate"),
    path("<int:pk>/defi/journee/", challenge_views.challenge_log, name="challenge_log"),
    path("<int:pk>/defi/equipe/", challenge_views.challenge_team, name="challenge_team"),
    path(
        "<int:pk>/defi/classement/",
        challenge_views.challenge_leaderboard,
        name="challenge_leaderboard",
    ),
    path("<int:pk>/defi/regles/", challenge_views.challenge_rules, name="challenge_rules"),
]
