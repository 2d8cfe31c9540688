from django.urls import path

from tenant_apps.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.article, name="article"),
    path("redaction/", views.manage, name="manage"),
    path("nouveau/", views.create, name="create"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/statut/", views.workflow, name="workflow"),
    path("<int:pk>/historique/", views.history, name="history"),
    path("<int:pk>/historique/<int:number>/", views.version, name="version"),
    path("<int:pk>/historique/<int:number>/restaurer/", views.restore, name="restore"),
    path("equipe/", views.team, name="team"),
    path("equipe/<int:pk>/retirer/", views.team_revoke, name="team_revoke"),
    path("questions/", views.questions, name="questions"),
    path("questions/poser/", views.question_ask, name="question_ask"),
    path("questions/<int:pk>/repondre/", views.question_answer, name="question_answer"),
    path("themes/<int:pk>/webinaire/", views.theme_webinar, name="theme_webinar"),
    path("repondre/<int:topic_id>/", views.reply, name="reply"),
]
