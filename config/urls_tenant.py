"""URLs of a network's own site (any tenant host)."""

from django.urls import include, path

from core import security
from tenant_apps.home import views as home
from tenant_apps.insights import urls as insights_urls
from tenant_apps.members import views as members
from tenant_apps.members import views_tokens as members_tokens
from tenants import views as tenants

# A form too large or with too many fields to be read: a page that says so (core.http).
handler400 = "core.http.bad_request"

urlpatterns = [
    path("", home.home, name="home"),
    path("suivis/", home.followed, name="home_followed"),
    path("mentions-legales/", home.legal_notice, name="legal_notice"),
    path("charte/", members.charter, name="charter"),
    path("invitation/<str:key>/", members.invitation, name="invitation"),
    path("profil/", members.profile_edit, name="profile_edit"),
    path("compte/", members.account_home, name="account_home"),
    path("compte/continuer/", members.account_continue, name="account_continue"),
    path("compte/acces-api/", members_tokens.api_tokens, name="api_tokens"),
    path("compte/acces-api/nouveau/", members_tokens.api_token_create, name="api_token_create"),
    path(
        "compte/acces-api/<int:pk>/revoquer/",
        members_tokens.api_token_revoke,
        name="api_token_revoke",
    ),
    path("membres/<str:pseudonym>/", members.profile, name="profile"),
    path("comptes/", include("allauth.urls")),
    path("association/", include("tenant_apps.members.urls_admin")),
    path("association/statistiques/", include("tenant_apps.insights.urls")),
    # A statistics release shared by a link: open to anyone who has it.
    path("statistiques/", include(insights_urls.shared_urlpatterns)),
    # The organization's plan, usage and payment, for the network's admins.
    path("association/abonnement/", include("shared_apps.billing.urls_admin")),
    path("mes-donnees/", include("tenant_apps.members.urls_gdpr")),
    path("forums/", include("tenant_apps.forums.urls")),
    path("moderation/", include("tenant_apps.moderation.urls")),
    path("notifications/", include("tenant_apps.notifications.urls")),
    path("messages/", include("tenant_apps.messaging.urls")),
    path("ressources/", include("tenant_apps.knowledge.urls")),
    path("recherche/", include("tenant_apps.knowledge.urls_search")),
    path("evenements/", include("tenant_apps.events.urls")),
    path("agenda/", include("tenant_apps.events.urls_feeds")),
    path("experiences/", include("tenant_apps.social.urls")),
    path("communaute/", include("tenant_apps.social.urls_relations")),
    # Health professionals (tenant_apps.pro): their hub and verification, guidelines, RCP,
    # the care offer and local groups, campaigns, clinical trials and training.
    path("pro/", include("tenant_apps.pro.verification.urls")),
    path("referentiels/", include("tenant_apps.pro.guidelines.urls")),
    path("rcp/", include("tenant_apps.pro.rcp.urls")),
    path("offre-de-soins/", include("tenant_apps.pro.care.urls")),
    path("groupes-locaux/", include("tenant_apps.pro.care.urls_local")),
    path("prevention/", include("tenant_apps.pro.research.urls_campaigns")),
    path("essais-cliniques/", include("tenant_apps.pro.research.urls_trials")),
    path("formations/", include("tenant_apps.pro.research.urls_training")),
    path("api/", include("config.urls_api")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Members' files go through their access rule; the rest of /media/ is the network's
    # public branding only.
    # The network's icon (favicon, home-screen icon, social previews): public.
    path("favicon.ico", tenants.favicon, name="favicon"),
    path("apple-touch-icon.png", tenants.apple_touch_icon, name="apple_touch_icon"),
    path("icone/<int:size>.png", tenants.brand_icon, name="brand_icon"),
    # The network's palette as a stylesheet, and where browsers report CSP violations.
    path("couleurs/<str:version>.css", tenants.brand_stylesheet, name="brand_stylesheet"),
    path("csp-report/", security.csp_report, name="csp_report"),
    path("media/avatars/<str:name>", members.avatar, name="member_avatar"),
    path("media/<path:path>", tenants.tenant_media, name="media"),
]
