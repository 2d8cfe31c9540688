from django.urls import path

from tenant_apps.moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("astreinte/", views.duty_toggle, name="duty_toggle"),
    path("signaler/<int:post_id>/", views.report, name="report"),
    path(
        "signaler/experience/<int:experience_id>/",
        views.report_experience,
        name="report_experience",
    ),
    path("signaler/commentaire/<int:comment_id>/", views.report_comment, name="report_comment"),
    path("signaler/message-prive/<int:message_id>/", views.report_message, name="report_message"),
    path(
        "messages-prives/<int:message_id>/<slug:action>/",
        views.message_action,
        name="message_action",
    ),
    path("messages/<int:post_id>/modifier/", views.post_edit, name="post_edit"),
    path(
        "experiences/<int:experience_id>/<slug:action>/",
        views.experience_action,
        name="experience_action",
    ),
    path(
        "commentaires/<int:comment_id>/<slug:action>/", views.comment_action, name="comment_action"
    ),
    path("messages/<int:post_id>/<slug:action>/", views.post_action, name="post_action"),
    path("sujets/<int:topic_id>/deplacer/", views.topic_move, name="topic_move"),
    path("sujets/<int:topic_id>/<slug:action>/", views.topic_action, name="topic_action"),
    path("membres/<str:pseudonym>/avertir/", views.member_warn, name="member_warn"),
    path("membres/<str:pseudonym>/suspendre/", views.member_suspend, name="member_suspend"),
    path("reglages/", views.settings_page, name="settings"),
    path("reglages/mots/", views.word_add, name="word_add"),
    path("reglages/mots/<int:pk>/supprimer/", views.word_remove, name="word_remove"),
    path("reglages/crise/", views.term_add, name="term_add"),
    path("reglages/crise/<int:pk>/supprimer/", views.term_remove, name="term_remove"),
    path("reglages/avertissements/", views.warning_add, name="warning_add"),
    path(
        "reglages/avertissements/<int:pk>/supprimer/", views.warning_remove, name="warning_remove"
    ),
    path("reglages/premoderation/", views.premoderation, name="premoderation"),
    path("reglages/astreinte/", views.duty_add, name="duty_add"),
    path("reglages/astreinte/<int:pk>/supprimer/", views.duty_remove, name="duty_remove"),
]
