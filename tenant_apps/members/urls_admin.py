"""The association admins' area, under /association/."""

from django.urls import path

from tenant_apps.members import views_admin as views
from tenant_apps.members import views_domains

app_name = "members_admin"

urlpatterns = [
    path("membres/", views.member_list, name="member_list"),
    path("membres/<int:pk>/", views.member_detail, name="member_detail"),
    path("membres/<int:pk>/role/", views.member_role, name="member_role"),
    path("membres/<int:pk>/suspendre/", views.member_suspend, name="member_suspend"),
    path("membres/<int:pk>/reintegrer/", views.member_reinstate, name="member_reinstate"),
    path("demandes-de-profil/", views.profile_type_requests, name="profile_type_requests"),
    path(
        "demandes-de-profil/<int:pk>/",
        views.profile_type_request_decide,
        name="profile_type_request_decide",
    ),
    path("inviter/", views.invite, name="invite"),
    path("reglages/", views.settings_page, name="settings"),
    path("reglages/marque/", views.branding_edit, name="branding"),
    path("reglages/pathologies/", views.pathology_add, name="pathology_add"),
    path("reglages/pathologies/<int:pk>/", views.pathology_rename, name="pathology_rename"),
    path(
        "reglages/pathologies/<int:pk>/supprimer/",
        views.pathology_delete,
        name="pathology_delete",
    ),
    path("reglages/charte/", views.charter_publish, name="charter_publish"),
    path("reglages/espaces/", views.space_add, name="space_add"),
    path("reglages/espaces/<int:pk>/", views.space_edit, name="space_edit"),
    path("reglages/conservation/", views.retention_edit, name="retention"),
    path("reglages/public/", views.audience_edit, name="audience"),
    path("journal/", views.audit_log, name="audit_log"),
    path("domaines/", views_domains.domains, name="domains"),
    path("domaines/<int:pk>/verifier/", views_domains.domain_verify, name="domain_verify"),
    path("domaines/<int:pk>/principal/", views_domains.domain_primary, name="domain_primary"),
    path("domaines/<int:pk>/supprimer/", views_domains.domain_remove, name="domain_remove"),
]
