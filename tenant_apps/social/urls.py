"""Experience pages (/experiences/…); the API's are in urls_api."""

from django.urls import path

from tenant_apps.social import views

app_name = "social"

urlpatterns = [
    path("", views.experience_list, name="experiences"),
    path("nouvelle/", views.experience_new, name="experience_new"),
    path("<int:pk>/", views.experience_detail, name="experience"),
    path("<int:pk>/modifier/", views.experience_edit, name="experience_edit"),
    path("<int:pk>/supprimer/", views.experience_delete, name="experience_delete"),
    path("<int:pk>/image/", views.experience_image, name="experience_image"),
    path("<int:pk>/reagir/", views.experience_react, name="experience_react"),
    path("<int:pk>/commenter/", views.comment_create, name="comment_create"),
    path("commentaires/<int:pk>/modifier/", views.comment_edit, name="comment_edit"),
    path("commentaires/<int:pk>/supprimer/", views.comment_delete, name="comment_delete"),
]
