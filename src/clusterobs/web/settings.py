"""Django settings, derived entirely from :mod:`clusterobs.config`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url

from clusterobs.config import load_config

CONFIG = load_config()

SECRET_KEY = CONFIG.secret_key
DEBUG = CONFIG.debug
ALLOWED_HOSTS = list(CONFIG.allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "clusterobs.regions",
    "clusterobs.references",
    "clusterobs.accounts",
    "clusterobs.registry",
    "clusterobs.collaboration",
    "clusterobs.programmes",
    "clusterobs.observatory",
    "clusterobs.excellence",
    "clusterobs.knowledge",
    "clusterobs.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "clusterobs.web.guards.UploadSizeMiddleware",
    "clusterobs.web.guards.HeadAsGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees exceptions before the others answer 500 (clusterobs.web.guards).
    "clusterobs.web.guards.ErrorAnswerMiddleware",
    # Counts failed logins (web form, admin, API token) and locks out repeated failures.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "clusterobs.web.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "clusterobs.web.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Overrides of package templates (admin, DRF's browsable API): the favicon on every page.
        "DIRS": [Path(__file__).resolve().parent / "overrides"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "clusterobs.observatory.context.measure",
            ],
        },
    },
]

WSGI_APPLICATION = "clusterobs.web.wsgi.application"

if CONFIG.database_url:
    DATABASES = {
        "default": dj_database_url.parse(
            CONFIG.database_url, conn_max_age=60, conn_health_checks=True
        )
    }
    if CONFIG.test_database_name:
        DATABASES["default"]["TEST"] = {"NAME": CONFIG.test_database_name}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(CONFIG.sqlite_path),
            # Keep the connection between requests: opening it and running the PRAGMAs cost
            # 2-7 ms per request (benchmarks/registry_api/RESULTS.md).
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # WAL lets the web server read while an import writes.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                # A web write waits this long for an import's write transaction to end (the CLI
                # commits in short batches) instead of failing at once with "database is locked".
                "timeout": CONFIG.security.sqlite_busy_seconds,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# English is the source language; French proves the whole interface can be translated
# (src/clusterobs/locale, compiled by scripts/bootstrap.sh; tests/web/test_i18n.py keeps it whole).
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [Path(__file__).resolve().parents[1] / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = str(CONFIG.data_dir / "static")
(CONFIG.data_dir / "static").mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = str(CONFIG.media_dir)

# Read by the apps as settings (tests override them); their values come from the configuration.
OBSERVATORY_RESULTS_DIR = str(CONFIG.results_dir)
OBSERVATORY_SPATIAL_DIR = str(CONFIG.spatial_dir)
OBSERVATORY_CLASSIFICATIONS_DIR = (
    str(CONFIG.classifications_dir) if CONFIG.classifications_dir else None
)
OBSERVATORY_JOBS_SYNC = CONFIG.jobs_sync
COLLABORATION_CONTACTS_PER_HOUR = CONFIG.contacts_per_hour

# E-mail (sign-up confirmation, password reset, notifications): printed by the server unless
# CLUSTEROBS_EMAIL_BACKEND says file or smtp (docs/operations.md).
EMAIL_BACKEND = CONFIG.email.django_backend
EMAIL_FILE_PATH = str(CONFIG.email.file_path)
EMAIL_HOST = CONFIG.email.host
EMAIL_PORT = CONFIG.email.port
EMAIL_HOST_USER = CONFIG.email.user
EMAIL_HOST_PASSWORD = CONFIG.email.password
EMAIL_USE_TLS = CONFIG.email.use_tls
EMAIL_USE_SSL = CONFIG.email.use_ssl
EMAIL_TIMEOUT = CONFIG.email.timeout
DEFAULT_FROM_EMAIL = CONFIG.email.from_address
SERVER_EMAIL = CONFIG.email.from_address

# Cluster management excellence (docs/excellence.md): reference groups below this size are
# hidden from benchmarking reports; renewal reminders go out this many days before expiry.
EXCELLENCE_MIN_GROUP_SIZE = CONFIG.excellence_min_group_size
EXCELLENCE_REMINDER_DAYS = CONFIG.excellence_reminder_days

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# Behind a TLS-terminating proxy (CLUSTEROBS_HTTPS=1, docs/operations.md): secure cookies, HSTS,
# redirect plain HTTP, and trust the proxy's X-Forwarded-Proto header for request.is_secure().
SECURITY = CONFIG.security
SESSION_COOKIE_SECURE = SECURITY.https
CSRF_COOKIE_SECURE = SECURITY.https
SECURE_SSL_REDIRECT = SECURITY.ssl_redirect
SECURE_HSTS_SECONDS = SECURITY.hsts_seconds
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURITY.hsts_seconds > 0
SECURE_HSTS_PRELOAD = False
SECURE_PROXY_SSL_HEADER = SECURITY.proxy_ssl_header
CSRF_TRUSTED_ORIGINS = list(SECURITY.csrf_trusted_origins)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# check --deploy W004 asks for includeSubDomains with HSTS; preload is the operator's decision.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
ADMIN_PATH = SECURITY.admin_path

# Uploads: a request body larger than the limit is refused from its Content-Length, before it
# is read (clusterobs.web.guards.UploadSizeMiddleware); Django's own limits catch the rest.
MAX_UPLOAD_BYTES = SECURITY.max_upload_mb * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024  # non-file form and JSON bodies
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files go to a temporary file, not memory
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Background jobs (custom clusters, spatial analyses): queued or running at once.
JOBS_PER_USER = SECURITY.jobs_per_user
JOBS_GLOBAL = SECURITY.jobs_global

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT failures for one user name from one
# address, that pair is locked out for LOCKOUT_MINUTES; a success resets the count.
AXES_FAILURE_LIMIT = SECURITY.login_failure_limit
AXES_COOLOFF_TIME = timedelta(minutes=SECURITY.lockout_minutes)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Content-Security-Policy (django-csp): scripts and styles only from the site's own static files,
# no inline script, no plugin, no framing. Data read from the database can never run as script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "worker-src": ["'self'", "blob:"],
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["clusterobs.registry.permissions.RegistryPermission"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_RATES": {"contact": "20/hour"},
    # JSON errors that never name a server path (clusterobs.web.api_errors).
    "EXCEPTION_HANDLER": "clusterobs.web.api_errors.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Cluster Observatory API",
    "DESCRIPTION": "Registry of clusters, organisations and schemes; every web page's JSON twin.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc assets come from the installed sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The schema is checked by its own tests (tests/security/test_api_schemathesis.py), not by
    # `check --deploy`, which stays about the deployment's security settings.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    # Every operation's error answers (400/401/403/404/409/...), documented once.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "clusterobs.web.openapi.add_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
