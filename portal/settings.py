"""Settings for the portal, read from the environment (django-environ).

Every variable is listed in the README's configuration table. The defaults are the safe
production ones; ``make run`` turns on DEBUG and the in-process job runner explicitly.
"""

import hashlib
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for a local development run).")
    SECRET_KEY = "django-insecure-local-development-only-never-use-in-production-0123456789"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "import_export",
    "rest_framework",
    # Monitoring (docs/adr/0031): a request id per request, in every log line.
    "django_guid",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "forums",
    "mail",
    "members",
    "documents",
    "actionplans",
    "publications",
    "secretariat",
    "workspace",
    "website",
    "api",
    "oai",
]

MIDDLEWARE = [
    # Monitoring (docs/adr/0031): first, so every log line of a request (redirects and
    # refusals included) carries its id and its latency is counted whole.
    "django_guid.middleware.guid_middleware",
    "portal.metrics.RequestLatencyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "portal.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files come precompressed), before anything that reads or
    # changes a response body.
    "portal.middleware.TextGZipMiddleware",
    # An ETag for every GET answer that has none (pages), computed before gzip, and 304 for
    # a client that already has it: after the render, so it saves the transfer only. Feeds,
    # the calendar and the sitemap set their own ETag before rendering (core.http), which
    # this then only compares (docs/adr/0027-feeds-by-approval-and-conditional-get.md).
    "django.middleware.http.ConditionalGetMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After LocaleMiddleware: a first visit is sent to the browser's language (portal.language).
    "portal.language.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "members.middleware.StaffMfaRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run`: SQLite ignores row locks (select_for_update); a transaction that takes
    # the write lock when it begins makes concurrent writers wait their turn (up to 20 s)
    # instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
    }
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
# The languages an official document and its language versions may be in (more than the
# portal's own pages are translated into).
DOCUMENT_LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("ko", _("Korean"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date formats of official documents ("20 November 2023"): portal/formats/<language>.
FORMAT_MODULE_PATH = ["portal.formats"]
# Countries by the names the forums' documents and diplomatic usage give them (django-
# countries' defaults are "South Korea", "Южная Корея", "Киргизия"); the Russian names
# are in locale/ru.
COUNTRIES_OVERRIDE = {
    "KR": _("Republic of Korea"),
    "KG": _("Kyrgyz Republic"),
}
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Files the public must not reach (submitted, not yet approved publications).
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "media-private")))
# Files (docs/adr/0010): "local" keeps them in two folders (the public one served at
# MEDIA_URL by the portal itself), "s3" in two buckets of an S3-compatible object store.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured("MEDIA_STORAGE is either local or s3.")
_S3 = {
    "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
    "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
    "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
    "region_name": env.str("S3_REGION", default="") or None,
    "addressing_style": env.str("S3_ADDRESSING_STYLE", default="") or None,
    "signature_version": "s3v4",
    "file_overwrite": False,
    "default_acl": None,
}
_S3_PUBLIC_URL = urlsplit(env.str("S3_PUBLIC_URL", default=""))
STORAGES = {
    "default": (
        {
            "BACKEND": "portal.storage.PublicS3Storage",
            "OPTIONS": {
                **_S3,
                "bucket_name": env.str("S3_PUBLIC_BUCKET", default="portal-public"),
                "querystring_auth": False,
                "custom_domain": (_S3_PUBLIC_URL.netloc + _S3_PUBLIC_URL.path.rstrip("/")) or None,
                "url_protocol": f"{_S3_PUBLIC_URL.scheme or 'https'}:",
            },
        }
        if MEDIA_STORAGE == "s3"
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "private": (
        {
            "BACKEND": "portal.storage.PrivateS3Storage",
            "OPTIONS": {
                **_S3,
                "bucket_name": env.str("S3_PRIVATE_BUCKET", default="portal-private"),
            },
        }
        if MEDIA_STORAGE == "s3"
        else {"BACKEND": "portal.storage.PrivateMediaStorage"}
    ),
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        ),
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# E-mail: EMAIL_URL such as smtp+tls://user:pass@mail.example.org:587 or consolemail://
_email = env.email_url("EMAIL_URL", default="smtp://127.0.0.1:25")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="secretariat@localhost")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Background jobs
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery closes the database connection around every task unless told to keep it for a
# number of them; portal/celery.py checks it before each task instead, as Django does
# between requests.
CELERY_DB_REUSE_MAX = 500
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# The periodic tasks that hand back lost work run on their own queue, so they never wait
# behind a backlog of deliveries: every worker consumes both ("-Q celery,control").
CELERY_TASK_ROUTES = {
    "publications.harvest_due": {"queue": "control"},
    "secretariat.resume_deliveries": {"queue": "control"},
    "forums.resume_outbound_mail": {"queue": "control"},
    "secretariat.refresh_documents": {"queue": "control"},
}
CELERY_BEAT_SCHEDULE = {
    "resume-deliveries": {
        "task": "secretariat.resume_deliveries",
        "schedule": env.float("DELIVERY_RESUME_EVERY_SECONDS", default=60.0),
    },
    "refresh-documents": {
        "task": "secretariat.refresh_documents",
        "schedule": env.float("DOCUMENT_REFRESH_SECONDS", default=300.0),
    },
    # A forum's annual reports of each year and language (docs/adr/0016): rows for a
    # new year or a forum's first data; their PDFs are then kept current by the refresh.
    "prepare-annual-reports": {
        "task": "secretariat.prepare_annual_reports",
        "schedule": 3600.0,
    },
    "resume-outbound-mail": {
        "task": "forums.resume_outbound_mail",
        "schedule": env.float("DELIVERY_RESUME_EVERY_SECONDS", default=60.0),
    },
    # Every institute's repository, incrementally (members.HarvestSource, ADR "harvesting").
    "harvest-repositories": {
        "task": "publications.harvest_due",
        "schedule": env.float("HARVEST_EVERY_SECONDS", default=21600.0),
    },
}

# Harvesting institutes' repositories over OAI-PMH: each request's timeout, how long a
# run may stay "running" before it counts as interrupted, and whether the harvester may
# reach loopback, private and link-local addresses (never in production: a member types
# the repository's address; the test settings allow it for their server on 127.0.0.1).
HARVEST_TIMEOUT_SECONDS = env.float("HARVEST_TIMEOUT_SECONDS", default=30.0)
HARVEST_RUN_LEASE_SECONDS = env.int("HARVEST_RUN_LEASE_SECONDS", default=4 * 3600)
HARVEST_ALLOW_PRIVATE_ADDRESSES = env.bool("HARVEST_ALLOW_PRIVATE_ADDRESSES", default=False)

CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://"),
}

# Security: the production defaults; DEBUG relaxes only what breaks plain-HTTP local runs.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# /metrics too: Prometheus scrapes the container over the private network (docs/adr/0031).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Permissions-Policy (django-permissions-policy): the portal uses no device or browser
# feature a page could ask for, so none is allowed, to it or to anything it embeds.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "sync-xhr",
        "usb",
        "web-share",
        "xr-spatial-tracking",
    )
}

# Behind proxies: which address is the client's, for allauth's rate limits (failed logins
# are counted per client address). TRUSTED_PROXY_COUNT proxies of ours each append to
# X-Forwarded-For, so the client is the entry that many places from its end; or a proxy
# sets one header to the client's address (TRUSTED_CLIENT_IP_HEADER, e.g. X-Real-IP).
# With neither, every client behind a proxy would count as the proxy's one address.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="") or None

# Change history (django-simple-history) is for reading: restoring an old version would
# write statuses past the services that own them (core.adminbase).
SIMPLE_HISTORY_REVERT_DISABLED = True

# Domain settings
# Never empty: an unset or blank value is the default name (core.site translates it on pages).
PORTAL_NAME = env.str("PORTAL_NAME", default="").strip() or "Think Tank Forums"
# The OAI-PMH endpoint (/oai/): records per ListRecords / ListIdentifiers page, and how
# long a resumption token stays valid.
OAI_PAGE_SIZE = env.int("OAI_PAGE_SIZE", default=100)
OAI_TOKEN_SECONDS = env.int("OAI_TOKEN_SECONDS", default=24 * 3600)

# Backups (README "Backups and restores", docs/adr/0029): `manage.py backup` writes one
# archive into BACKUP_DESTINATION, keeps the BACKUP_KEEP newest there, and copies each to
# the bucket BACKUP_S3_BUCKET when that is set (off site: not the portal's own buckets).
BACKUP_DESTINATION = Path(env.str("BACKUP_DESTINATION", default=str(BASE_DIR / "backups")))
BACKUP_KEEP = env.int("BACKUP_KEEP", default=7)
BACKUP_S3_BUCKET = env.str("BACKUP_S3_BUCKET", default="")
BACKUP_S3_PREFIX = env.str("BACKUP_S3_PREFIX", default="portal/")
BACKUP_S3_ENDPOINT_URL = env.str("BACKUP_S3_ENDPOINT_URL", default="")
BACKUP_S3_REGION = env.str("BACKUP_S3_REGION", default="")
BACKUP_S3_ACCESS_KEY_ID = env.str("BACKUP_S3_ACCESS_KEY_ID", default="")
BACKUP_S3_SECRET_ACCESS_KEY = env.str("BACKUP_S3_SECRET_ACCESS_KEY", default="")


def _code_release() -> str:
    """A fingerprint of the code, templates, translations and static files (names, sizes,
    modification times): it changes with every deployment of different files."""
    digest = hashlib.sha256()
    for folder in sorted(BASE_DIR.iterdir()):
        if not folder.is_dir() or folder.name.startswith(".") or folder.name in _NOT_CODE:
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix in _CODE_SUFFIXES and path.is_file():
                stat = path.stat()
                digest.update(
                    f"{path.relative_to(BASE_DIR)}:{stat.st_size}:{stat.st_mtime_ns}".encode()
                )
    return digest.hexdigest()[:12]


_NOT_CODE = {"media", "staticfiles", "node_modules", "build", "tests", "bench", "docs"}
_CODE_SUFFIXES = {".py", ".html", ".txt", ".mo", ".css", ".js", ".svg", ".png", ".woff2"}
# Whole catalogue and publication pages for anonymous visitors from the cache (ADR 0008).
CATALOGUE_PAGE_CACHE = env.bool("CATALOGUE_PAGE_CACHE", default=True)
# Part of every cached page's key, so a deployment never serves pages of the previous one.
RELEASE = env.str("RELEASE", default="") or _code_release()
# How often every document's PDF is checked against what the document says now (and
# rendered again where they differ, whoever changed it).
DOCUMENT_REFRESH_SECONDS = env.int("DOCUMENT_REFRESH_SECONDS", default=300)
CONCEPT_PAPER_LEAD_DAYS = env.int("CONCEPT_PAPER_LEAD_DAYS", default=30)
MESSAGE_ID_DOMAIN = env.str("MESSAGE_ID_DOMAIN", default="forums.localhost")
# Seconds a worker may hold a delivery in "sending" before it counts as interrupted.
DELIVERY_LEASE_SECONDS = env.int("DELIVERY_LEASE_SECONDS", default=300)
DELIVERY_MAX_ATTEMPTS = env.int("DELIVERY_MAX_ATTEMPTS", default=8)
# First retry after a temporary SMTP failure; doubled on every further attempt (max 1 h).
DELIVERY_RETRY_BASE_SECONDS = env.int("DELIVERY_RETRY_BASE_SECONDS", default=30)
# A queued delivery untouched this long has lost its task message and is enqueued again.
DELIVERY_RESUME_GRACE_SECONDS = env.int("DELIVERY_RESUME_GRACE_SECONDS", default=120)
# A delivery due (or "sending") this long without a worker settling it means sending has
# stalled (no worker, no queue): the circulation's page says so.
DELIVERY_STALL_SECONDS = env.int("DELIVERY_STALL_SECONDS", default=300)


# Monitoring (docs/adr/0031, README "Monitoring"). Logs: one JSON object a line (or text
# with LOG_FORMAT=text, the default with DEBUG), each with the request id (X-Request-ID,
# django-guid) that a Celery task inherits from the request that enqueued it.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT is either json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "portal.logs.RequestContextFilter"}},
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {"()": "portal.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["context"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # WeasyPrint reports every step of a render at INFO; refused URLs still show as warnings.
        "weasyprint.progress": {"level": "WARNING"},
        # django-guid says at INFO, for every request, whether the header came with it.
        "django_guid": {"level": "WARNING"},
    },
}
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    # A client's or proxy's id is kept only if it is a UUID (nothing else reaches the logs).
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
}
# /metrics (Prometheus): answered to a bearer token equal to METRICS_TOKEN, or to a
# signed-in superuser; to nobody else.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# The heartbeat beat schedules (core.tasks): /metrics shows its last run, and
# `manage.py healthcheck --beat` fails once it is older than BEAT_HEARTBEAT_MAX_AGE_SECONDS.
BEAT_HEARTBEAT_SECONDS = env.float("BEAT_HEARTBEAT_SECONDS", default=60.0)
BEAT_HEARTBEAT_MAX_AGE_SECONDS = env.float(
    "BEAT_HEARTBEAT_MAX_AGE_SECONDS", default=3 * BEAT_HEARTBEAT_SECONDS + 30
)
CELERY_TASK_ROUTES["core.beat_heartbeat"] = {"queue": "control"}
CELERY_BEAT_SCHEDULE["beat-heartbeat"] = {
    "task": "core.beat_heartbeat",
    "schedule": BEAT_HEARTBEAT_SECONDS,
}
# Error reports to Sentry (or a compatible service) only when SENTRY_DSN is set.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="production")
if SENTRY_DSN:
    from portal.error_reporting import error_reporting_start

    error_reporting_start(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT, release=RELEASE)

# Accounts (django-allauth): members log in by e-mail address; an account is made only by
# accepting an invitation (members.adapters), which also verifies its address; staff must
# add a TOTP authenticator before they reach the admin (members.middleware).
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "members.adapters.InvitationAccountAdapter"
# People are named by their name (members.adapters.user_display_name), never the username.
ACCOUNT_USER_DISPLAY = "members.adapters.user_display_name"
ACCOUNT_FORMS = {"signup": "members.adapters.InvitationSignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# Nobody can sign up uninvited, so a password reset for an unknown address sends nothing
# (allauth's default mail would invite the reader to sign up).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PORTAL_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# ACCOUNT_RATE_LIMITS is left at allauth's defaults, kept in the cache (CACHE_URL): among
# them "login_failed": "10/m/ip,5/300s/key" (5 failed attempts per address in 5 minutes)
# and "login": "30/m/ip", "reset_password": "20/m/ip,5/m/key", "signup": "20/m/ip".
MFA_ADAPTER = "members.adapters.StaffMfaAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = PORTAL_NAME
MFA_REQUIRED_FOR_STAFF = env.bool("MFA_REQUIRED_FOR_STAFF", default=True)
# Days an invitation link to create a login stays valid.
MEMBER_INVITATION_DAYS = env.int("MEMBER_INVITATION_DAYS", default=14)
# Largest PDF, in megabytes, a member may upload with a publication.
PUBLICATION_MAX_UPLOAD_MB = env.int("PUBLICATION_MAX_UPLOAD_MB", default=20)


# The public read-only API (/api/, docs/adr/0023-public-api.md): JSON only (no browsable
# forms), no sessions or cookies (so no CSRF), GET only, anonymous clients limited to
# API_RATE_LIMIT requests per address (counted in the cache, CACHE_URL).
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="120/minute")
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=20)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=100)
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.KeysetPagination",
    "DEFAULT_SCHEMA_CLASS": "api.schema.PublicApiSchema",
    "NUM_PROXIES": ALLAUTH_TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Think Tank Forums public API",
    "DESCRIPTION": (
        "Read-only JSON of what the public site shows: forums, member institutes, meetings, "
        "official documents (adopted action plans, published joint statements) and the "
        "catalogue of approved publications, with the catalogue's filters. Lists come in "
        "cursor pages: follow `next`."
    ),
    "VERSION": "1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.servers_from_site_url",
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to swagger.io's validator: the page loads nothing from elsewhere.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Host countries and institutes' countries are one list of ISO 3166 codes.
    "ENUM_NAME_OVERRIDES": {"CountryEnum": "django_countries.countries"},
}
