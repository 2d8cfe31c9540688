"""Settings for Entraide, read from the environment (12-factor).

Every value comes from an environment variable with a safe development default; nothing
runs after the values are computed.
"""

import os
import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from core.observability import git_release, init_sentry

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(environ.Env().str("ENTRAIDE_DATA_DIR", default=str(BASE_DIR / ".data")))

# Build steps that sign nothing (`make install`, the image build) run without a key.
KEYLESS_COMMANDS = (["compilemessages"], ["collectstatic"])

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["*"]),
)

DEBUG = env("DEBUG")
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG or os.environ.get("PYTEST_VERSION") or sys.argv[1:2] in KEYLESS_COMMANDS:
        # A published key signs nothing that matters on a developer's machine, in a test
        # run, or while building static files and translations.
        SECRET_KEY = "entraide-dev-only-secret-key-never-used-in-production"  # noqa: S105
    else:
        # Sessions, password-reset tokens and CSRF tokens signed with a key anyone can
        # read would be forgeable: refuse to start.
        raise ImproperlyConfigured("Set SECRET_KEY (e.g. `openssl rand -hex 32`); DEBUG is off.")
# Any host may reach Django: the tenant middleware answers 404 to every host that is not a
# known Domain, which is a stricter check than ALLOWED_HOSTS could express for custom domains.
ALLOWED_HOSTS = env("ALLOWED_HOSTS")

PLATFORM_NAME = env("PLATFORM_NAME", default="Entraide")
PLATFORM_DOMAIN = env("PLATFORM_DOMAIN", default="localhost")
# Scheme and port used to build absolute links (invitations, emails) to tenant sites.
PLATFORM_URL_SCHEME = env("PLATFORM_URL_SCHEME", default="https" if not DEBUG else "http")
PLATFORM_URL_PORT = env("PLATFORM_URL_PORT", default="")
TENANT_HOST_CACHE_SECONDS = env.int("TENANT_HOST_CACHE_SECONDS", default=10)
TENANT_EXPORT_DIR = Path(env("TENANT_EXPORT_DIR", default=str(DATA_DIR / "exports")))
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)
# Who may ask /internal/tls-ask (Caddy): loopback, or the proxy's network in containers.
TLS_ASK_ALLOWED_NETWORKS = env.list("TLS_ASK_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"])
# Custom domains (tenants.domains): the name their CNAME points at, how many a network may
# add, and the DNS the proofs are looked up in ("host:port"; empty: the system's resolver).
CUSTOM_DOMAIN_CNAME_TARGET = env("CUSTOM_DOMAIN_CNAME_TARGET", default=PLATFORM_DOMAIN)
CUSTOM_DOMAINS_MAX = env.int("CUSTOM_DOMAINS_MAX", default=5)
DNS_RESOLVER = env("DNS_RESOLVER", default="")
DNS_TIMEOUT_SECONDS = env.float("DNS_TIMEOUT_SECONDS", default=3.0)
# A verified domain whose DNS has not answered for this long is no longer served.
DNS_UNANSWERED_GRACE_HOURS = env.int("DNS_UNANSWERED_GRACE_HOURS", default=72)

# --- Tenancy (django-tenants) --------------------------------------------------------------

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    # The user model lives in both schemas, like auth and sessions (DESIGN invariant 2),
    # and so do allauth's emails and second factors: operators sign in like members do.
    "shared_apps.accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "procrastinate.contrib.django",
    "rest_framework",
    "drf_spectacular",
    "provisioning",
    # The platform directory: public copies of the events networks choose to show.
    "shared_apps.directory",
    # Plans, subscriptions and Stripe's webhooks: an organization pays for its networks.
    "shared_apps.billing",
    # An association's self-service sign-up, and the platform operators' console.
    "shared_apps.signup",
    "shared_apps.console",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "shared_apps.accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "tenant_apps.members",
    "tenant_apps.moderation",
    "tenant_apps.forums",
    "tenant_apps.notifications",
    "tenant_apps.knowledge",
    "tenant_apps.events",
    "tenant_apps.social",
    "tenant_apps.messaging",
    "tenant_apps.home",
    # The association's anonymous statistics, from consenting members only.
    "tenant_apps.insights",
    # Health professionals: verification, guidelines, RCP, care offer, campaigns, trials.
    "tenant_apps.pro",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
TENANT_BASE_SCHEMA = "tenant_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
# Set search_path once per schema switch, not before every query.
TENANT_LIMIT_SET_CALLS = True
# migrate_schemas skips up-to-date schemas in one query and migrates the rest in parallel.
GET_EXECUTOR_FUNCTION = "provisioning.migrating.get_executor"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls_tenant"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

DATABASES = {"default": env.db_url("DATABASE_URL", default="postgres://postgres@/entraide")}
# django-tenants' backend, whose schema editor names every constraint (Citus needs it).
DATABASES["default"]["ENGINE"] = "core.db.backends.entraide"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Parameters sent apart from the query, so psycopg prepares a query run five times on a
# connection and PostgreSQL stops planning it again (up to 1 ms on the topic page). Safe with a
# schema per tenant: a prepared statement is parsed again when search_path changes.
DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# On Citus with schema-based sharding (docs/scaling.md): a network's schema is built, then
# distributed (citus_schema_distribute) in the same transaction. Off on plain PostgreSQL.
CITUS_SCHEMA_SHARDING = env.bool("CITUS_SCHEMA_SHARDING", default=False)
# Spare clones of the template kept ready for sign-ups (shared_apps.signup.jobs.spares_fill).
SIGNUP_SPARE_SCHEMAS = env.int("SIGNUP_SPARE_SCHEMAS", default=2)

MIDDLEWARE = [
    # Security headers first, so that every answer has them, the unknown host's 404 too.
    "django.middleware.security.SecurityMiddleware",
    "core.security.PermissionsPolicyMiddleware",
    "core.security.ContentSecurityPolicyMiddleware",
    "tenants.middleware.TenantMiddleware",
    # An error report takes out what the request carried (core.observability).
    "core.observability.ErrorReportRequestMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A control character in the address is a 404 before any view looks it up.
    "core.middleware.ControlCharactersNotFoundMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.htmx: views answer a fragment to htmx and a redirect or a page to a plain form.
    "django_htmx.middleware.HtmxMiddleware",
    "tenant_apps.members.middleware.SignedOutRedirectMiddleware",
    "tenant_apps.members.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["core.templatetags.icons"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.branding",
                "tenant_apps.members.context_processors.member_nav",
                "tenant_apps.notifications.context_processors.unread_notifications",
                "tenant_apps.messaging.context_processors.unread_messages",
                # White label and the admins' billing banner (no query: the host cache).
                "shared_apps.billing.context_processors.billing",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# --- Accounts ------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "shared_apps.accounts.adapter.AccountAdapter"
# Sign in with the private email; the pseudonym is what others see.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "tenant_apps.members.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Random keys stored in the tenant's schema: a signed key would name only the address's id,
# and ids repeat across schemas, so one network's link could confirm another's address.
ACCOUNT_EMAIL_CONFIRMATION_HMAC = False
ACCOUNT_FORMS = {"signup": "tenant_apps.members.signup.AccountSignupForm"}
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_PRESERVE_USERNAME_CASING = True
ACCOUNT_SESSION_REMEMBER = None
# After 5 failures for one account from one address: a 15-minute cool-off of that pair
# only, never a lock (the adapter makes the "key" the account and the address).
ACCOUNT_RATE_LIMITS = {"login_failed": "5/15m/key"}
# Behind Caddy, the client address is the last X-Forwarded-For hop it adds.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="Entraide")
AVATAR_MAX_BYTES = env.int("AVATAR_MAX_BYTES", default=2 * 1024 * 1024)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language ------------------------------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True

# --- Files, static, cache ------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(DATA_DIR / "media")))
# Every stored file lives under MEDIA_ROOT/<schema_name>/ (DESIGN invariant 3).
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
STORAGES = {
    "default": {"BACKEND": "tenants.storage.TenantStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://entraide")}
# Every cache key carries the schema (DESIGN invariant 3).
CACHES["default"]["KEY_FUNCTION"] = "django_tenants.cache.make_key"
CACHES["default"]["REVERSE_KEY_FUNCTION"] = "django_tenants.cache.reverse_key"
# The local-memory and database caches cull at 300 entries by default: too few for the
# directory's kept search answers (two per page asked) beside every network's fragments.
if CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DatabaseCache")):
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 20_000)

# --- Email ---------------------------------------------------------------------------------

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default=f"no-reply@{PLATFORM_DOMAIN}")
# A paid (white-label) network with its own verified domain sends from
# <EMAIL_FROM_NETWORK_LOCAL_PART>@<its domain>, once the mail relay may send for those
# domains (their SPF/DKIM name it); otherwise from DEFAULT_FROM_EMAIL under its own name.
EMAIL_FROM_NETWORK_DOMAINS = env.bool("EMAIL_FROM_NETWORK_DOMAINS", default=False)
EMAIL_FROM_NETWORK_LOCAL_PART = env("EMAIL_FROM_NETWORK_LOCAL_PART", default="no-reply")

# --- Security ------------------------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG and env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS only, remembered by browsers for a year on every domain we serve (a network's
# subdomains included), once the site runs without DEBUG; "preload" consents to the browsers'
# built-in list, which takes effect only once the platform's domain is submitted to it
# (docs/security-headers.md).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Caddy answers plain HTTP with a redirect to HTTPS itself; what reaches gunicorn over plain
# HTTP is Caddy's certificate ask and the health check, on the internal network. Turned on,
# Django redirects too, except those two.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^internal/"]
SILENCED_SYSTEM_CHECKS = [] if SECURE_SSL_REDIRECT else ["security.W008"]
# The Content-Security-Policy (django-csp, core.security.ContentSecurityPolicyMiddleware):
# our own origin only, no inline script or style, violations reported to our own domain.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for the authenticator app's QR code (allauth draws it as a data: SVG).
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        # The middleware adds Stripe's pages (STRIPE_REDIRECT_ORIGINS) when billing is on:
        # paying is a form whose answer redirects there.
        "form-action": ["'self'"],
        # Relative: each domain (the platform's, a network's) receives its own reports.
        "report-uri": ["/csp-report/"],
    },
}
# The features no page uses, refused to every frame (core.security.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "bluetooth", "browsing-topics", "camera",
        "display-capture", "geolocation", "gyroscope", "hid", "idle-detection",
        "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
        "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip
# Where a form's redirect may lead besides our own pages: Stripe Checkout and its portal.
STRIPE_REDIRECT_ORIGINS = env.list(
    "STRIPE_REDIRECT_ORIGINS", default=["https://checkout.stripe.com", "https://billing.stripe.com"]
)

# --- Jobs (procrastinate) ------------------------------------------------------------------

PROCRASTINATE_AUTODISCOVER_MODULE_NAME = "jobs"

# --- API -----------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # An app's personal access token (no CSRF), else the browser's session, its CSRF check
    # after the permission: refusals come before parsing. The token's class comes first: a
    # refused token answers 401 with its WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tenant_apps.members.drf.TokenAuthentication",
        "tenant_apps.members.drf.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["tenant_apps.members.drf.NetworkPermission"],
    "EXCEPTION_HANDLER": "tenant_apps.members.api_errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    # Per member of a network (reads, writes) and per signed-out address (core.throttle).
    "DEFAULT_THROTTLE_CLASSES": ["core.throttle.ApiThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "member_reads": env("THROTTLE_API_READS", default="600/min"),
        "member_writes": env("THROTTLE_API_WRITES", default="60/min"),
        "anonymous": env("THROTTLE_API_ANONYMOUS", default="240/min"),
    },
}
# Per-member limits of the pages' writes (core.throttle.throttle_hit), generous for people.
THROTTLE_RATES = {
    "forums.post": env("THROTTLE_POSTS", default="10/min"),
    "messages.send": env("THROTTLE_MESSAGES", default="20/min"),
    # Starting a private conversation with someone new: against scripts writing to everyone.
    "messages.first_contact": env("THROTTLE_FIRST_CONTACTS", default="10/hour"),
    # Proposals to the platform's directory, per address of a signed-out visitor.
    "directory.propose": env("THROTTLE_DIRECTORY_PROPOSALS", default="5/hour"),
    # An admin's "check now" on a custom domain: each asks the DNS.
    "domains.check": env("THROTTLE_DOMAIN_CHECKS", default="30/hour"),
    # Making an API token checks a password or a code: attempts per member (members.tokens).
    "members.api_token": env("THROTTLE_API_TOKENS", default="10/hour"),
    # Content-Security-Policy violations logged per address (core.security.csp_report).
    "csp.report": env("THROTTLE_CSP_REPORTS", default="60/min"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Entraide API",
    "VERSION": "1",
    # Choice sets that share a field name with another app's get a name of their own.
    "ENUM_NAME_OVERRIDES": {
        "CareProviderKindEnum": "tenant_apps.pro.models.CareProvider.Kind",
        "GuidelineStatusEnum": "tenant_apps.pro.models.Guideline.Status",
        "ClinicalTrialStatusEnum": "tenant_apps.pro.models.ClinicalTrial.Status",
        "CampaignKindEnum": "tenant_apps.pro.models.Campaign.Kind",
    },
    # The answers every operation can give (core.openapi: 404, 429, 400 where it takes a body
    # or a query, the token's 401), after the enums' own hook.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.openapi.document_auth_answers",
    ],
}

# --- Anonymous statistics (tenant_apps.insights, docs/insights.md) --------------------------
# A new release's threshold (never below insights.models.THRESHOLD_MIN, 5) and ε, and the ε a
# network may spend on the releases it publishes in one calendar year.
INSIGHTS_THRESHOLD = env.int("INSIGHTS_THRESHOLD", default=10)
INSIGHTS_EPSILON = env.float("INSIGHTS_EPSILON", default=1.0)
INSIGHTS_BUDGET_PER_YEAR = env.float("INSIGHTS_BUDGET_PER_YEAR", default=3.0)

# --- Logs and error reports ----------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line carries the tenant (DESIGN invariant 3).
    "filters": {"tenant": {"()": "tenants.logging.TenantFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(tenant)s] %(name)s: %(message)s"},
        # One JSON object a line, for a log collector (tenants.logging.JsonFormatter).
        "json": {"()": "tenants.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["tenant"],
            # JSON in production, plain lines on a developer's machine (LOG_FORMAT sets it).
            "formatter": env("LOG_FORMAT", default="plain" if DEBUG else "json"),
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "procrastinate": {"level": "WARNING"},
    },
}

SENTRY_DSN = env("SENTRY_DSN", default="")
# The release every error report names: set by the image build, else this checkout's commit.
RELEASE = env("RELEASE", default="") or git_release(BASE_DIR)
init_sentry(
    dsn=SENTRY_DSN,
    environment=env("SENTRY_ENVIRONMENT", default="production"),
    release=RELEASE,
)

# --- Billing -------------------------------------------------------------------------------

# No secret key: the product runs with the free plan only (shared_apps.billing).
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default=env("STRIPE_API_KEY", default=""))
STRIPE_API_KEY = STRIPE_SECRET_KEY  # the older name; billing.billing_enabled() reads the key
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# Empty: Stripe's own API; tests point it at localstripe and a stand-in on loopback.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
# A late payment leaves the networks open this many days, then read-only this many more
# days, then suspended (docs/billing.md).
BILLING_GRACE_DAYS = env.int("BILLING_GRACE_DAYS", default=14)
BILLING_READ_ONLY_DAYS = env.int("BILLING_READ_ONLY_DAYS", default=30)
