"""Working groups and regional guidelines (/referentiels/)."""

from django.urls import path

from tenant_apps.pro.guidelines import views

app_name = "guidelines"

urlpatterns = [
    path("", views.index, name="list"),
    path("groupes/", views.groups, name="groups"),
    path("groupes/nouveau/", views.group_create, name="group_create"),
    path("groupes/<slug:slug>/", views.group, name="group"),
    path("groupes/<slug:slug>/membres/", views.member_name, name="member_name"),
    path("groupes/<slug:slug>/membres/retirer/", views.member_remove, name="member_remove"),
    path("groupes/<slug:slug>/nouveau-referentiel/", views.guideline_create, name="create"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/nouvelle-version/", views.version_edit, name="version_edit"),
    path("<slug:slug>/validite/", views.validity, name="validity"),
    path("<slug:slug>/versions/<int:number>/", views.version, name="version"),
    path("<slug:slug>/versions/<int:number>/valider/", views.validate, name="validate"),
    path("<slug:slug>/versions/<int:number>/pdf/", views.pdf_download, name="pdf"),
]
