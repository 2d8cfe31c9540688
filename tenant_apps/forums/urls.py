from django.urls import path

from tenant_apps.forums import views

app_name = "forums"
urlpatterns = [
    path("", views.index, name="index"),
    path("preferences/", views.preferences, name="preferences"),
    path("groupes/", views.group_list, name="group_list"),
    path("groupes/proposer/", views.group_propose, name="group_propose"),
    path("groupes/a-valider/", views.group_pending, name="group_pending"),
    path("groupes/<slug:slug>/", views.group_detail, name="group_detail"),
    path("groupes/<slug:slug>/decider/", views.group_decide, name="group_decide"),
    path("groupes/<slug:slug>/adhesion/", views.group_join, name="group_join"),
    path(
        "groupes/<slug:slug>/demandes/<int:membership_id>/",
        views.group_request,
        name="group_request",
    ),
    path(
        "groupes/<slug:slug>/moderateurs/<int:membership_id>/",
        views.group_moderator,
        name="group_moderator",
    ),
    path("sujet/<int:topic_id>/", views.topic, name="topic"),
    path("sujet/<int:topic_id>/repondre/", views.reply, name="reply"),
    path("sujet/<int:topic_id>/suivre/", views.follow, name="follow"),
    path("sujet/<int:topic_id>/lu/", views.topic_read, name="topic_read"),
    path("message/<int:post_id>/modifier/", views.post_edit, name="post_edit"),
    path("message/<int:post_id>/historique/", views.post_history, name="post_history"),
    path("message/<int:post_id>/reagir/", views.react, name="react"),
    path("<slug:slug>/", views.category, name="category"),
    path("<slug:slug>/nouveau/", views.topic_new, name="topic_new"),
]
