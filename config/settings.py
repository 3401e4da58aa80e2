"""Settings, all read from the environment here; the embedded default needs no variables at all."""

from __future__ import annotations

import csv
import datetime
import re
import secrets
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import Storage
from django.core.mail.backends.base import BaseEmailBackend

from config.env import (
    env_bool,
    env_choice,
    env_class,
    env_database,
    env_dir,
    env_email,
    env_host,
    env_hosts,
    env_int,
    env_list,
    env_str,
    env_timezone,
    env_url,
    env_url_list,
)

# Every value read here is checked as it is read: a bad one stops start-up (manage.py, gunicorn, Celery alike) with
# ImproperlyConfigured naming the variable. tests/config/test_settings.py tries a bad value of each.
BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env_dir("VAR_DIR", str(BASE_DIR / "var"))

EMBEDDED_DATABASE_URL = f"sqlite:///{VAR_DIR / 'projectoffice.sqlite3'}"
DATABASES = {"default": env_database("DATABASE_URL", EMBEDDED_DATABASE_URL)}
# True when no DATABASE_URL is set: the demo loader refuses other databases without a flag.
USING_EMBEDDED_DATABASE = not env_str("DATABASE_URL", "")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _secret_key() -> str:
    """SECRET_KEY from the environment; on SQLite (one machine) else one generated once and kept in var/.

    A PostgreSQL database may be shared by several machines, and a key generated on each would make every
    session, signed link and token of one machine invalid on the others: there the key must be given.
    """
    key = env_str("SECRET_KEY", "")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("SECRET_KEY: нужен ключ не короче 32 символов")
        return key
    if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        raise ImproperlyConfigured(
            "SECRET_KEY не задан: с базой PostgreSQL (DATABASE_URL) ключ задаётся явно и один для всех серверов "
            "сайта и Celery, иначе каждый сервер создаст свой и сессии и ссылки из писем перестанут открываться"
        )
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_hosts("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_url_list("CSRF_TRUSTED_ORIGINS", [], schemes=("http", "https"))

INSTALLED_APPS = [
    "projectoffice.accounts.apps.OfficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "projectoffice.accounts.apps.ApiTokensConfig",  # knox, named in Russian
    "projectoffice.accounts.apps.LoginAttemptsConfig",  # axes, named in Russian
    "django_filters",
    "drf_spectacular",
    "django_htmx",
    "projectoffice.accounts",
    "projectoffice.audit",
    "projectoffice.classifiers",
    "projectoffice.organisations",
    "projectoffice.opendata",
    "projectoffice.projects",
    "projectoffice.opportunities",
    "projectoffice.matching",
    "projectoffice.flagships",
    "projectoffice.applications",
    "projectoffice.events",
    "projectoffice.participation",
    "projectoffice.needs",
    "projectoffice.kpis",
    "projectoffice.materials",
    "projectoffice.dashboards",
    "projectoffice.api",
    "projectoffice.demo",
]

MIDDLEWARE = [
    "projectoffice.lib.logcontext.LogContextMiddleware",  # first: every log line of a request names it
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "projectoffice.lib.locale.OfficeLocaleMiddleware",  # Russian, English only on the public pages under /en/
    "django.middleware.common.CommonMiddleware",
    "projectoffice.lib.links.CurrentRequestMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it turns a locked-out login into the lockout answer
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account or address before any password check
    "projectoffice.accounts.admin_site.OfficeStaffBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "projectoffice" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "projectoffice.dashboards.context_processors.roles",
            ],
            # money, dates and times in TIME_ZONE, plurals and names of people, the same on every page
            "builtins": ["projectoffice.lib.filters"],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский"), ("en", "English")]  # English: the public showcase under /en/ (lib/locale.py)
TIME_ZONE = env_timezone("TIME_ZONE", "Europe/Samara")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "projectoffice" / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = env_dir("STATIC_ROOT", str(VAR_DIR / "static"))  # made at once: WhiteNoise expects it
STATICFILES_DIRS = [BASE_DIR / "projectoffice" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env_dir("MEDIA_ROOT", str(VAR_DIR / "media"))
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": env_class("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage", base=Storage)},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Several servers: uploaded files in an S3-compatible object store that every server and worker reads and
# writes (django-storages), never a server's own disk. S3_BUCKET turns it on; the keys may come from the
# machine's role instead. Files are private: links to them are signed and expire.
S3_BUCKET = env_str("S3_BUCKET", "")
if S3_BUCKET and not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", S3_BUCKET):
    raise ImproperlyConfigured(
        f"S3_BUCKET={S3_BUCKET!r}: ожидается имя корзины: строчные латинские буквы, цифры, точки, дефисы"
    )
S3_ENDPOINT_URL = env_url("S3_ENDPOINT_URL", "", schemes=("https", "http"))  # empty: Amazon's own
S3_REGION = env_str("S3_REGION", "")
if S3_REGION and not re.fullmatch(r"[a-z0-9-]{2,40}", S3_REGION):
    raise ImproperlyConfigured(f"S3_REGION={S3_REGION!r}: ожидается имя региона вида ru-central1")
S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY = env_str("S3_ACCESS_KEY_ID", ""), env_str("S3_SECRET_ACCESS_KEY", "")
if (S3_ENDPOINT_URL or S3_REGION or S3_ACCESS_KEY_ID) and not S3_BUCKET:
    raise ImproperlyConfigured("S3_ENDPOINT_URL, S3_REGION, S3_ACCESS_KEY_ID: заданы без S3_BUCKET")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": S3_ENDPOINT_URL or None,
            "region_name": S3_REGION or None,
            "access_key": S3_ACCESS_KEY_ID or None,
            "secret_key": S3_SECRET_ACCESS_KEY or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Uploads: imports and attachments are refused above this size with a clear message, while the request is
# read (by its declared length at once, else as soon as the bytes received pass it), never after.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 5 * 1024 * 1024, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES
FILE_UPLOAD_HANDLERS = [
    "projectoffice.lib.upload_limits.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# E-mail: SMTP when EMAIL_HOST is set, else EMAIL_BACKEND (the console in the embedded default).
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_host("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_BACKEND = env_class(
    "EMAIL_BACKEND",
    SMTP_BACKEND if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
    base=BaseEmailBackend,
)
if EMAIL_HOST and EMAIL_BACKEND != SMTP_BACKEND:
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND={EMAIL_BACKEND!r}: с EMAIL_HOST письма уходят по SMTP, уберите EMAIL_BACKEND"
    )
DEFAULT_FROM_EMAIL = env_email("DEFAULT_FROM_EMAIL", "Проектный офис <office@example.invalid>")

# Behind a TLS-terminating proxy: trust its X-Forwarded-Proto, redirect plain HTTP (but the health check) to HTTPS,
# send HSTS and keep cookies to HTTPS. HSTS preloading is the domain owner's decision (HSTS_PRELOAD=1).
BEHIND_HTTPS_PROXY = env_bool("BEHIND_HTTPS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_HTTPS_PROXY else None
SECURE_SSL_REDIRECT = BEHIND_HTTPS_PROXY
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000, minimum=0) * BEHIND_HTTPS_PROXY
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", BEHIND_HTTPS_PROXY)
X_FRAME_OPTIONS = "DENY"
# Only the site's own scripts and styles run (no inline code, no CDN); SVG drawings and QR codes are inline markup.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
CSRF_FAILURE_VIEW = "projectoffice.api.errors.csrf_failure"  # JSON under /api/, the page elsewhere

# Logins (the site, the admin, the API token): after LOGIN_FAILURE_LIMIT failures for one account or from one
# address, that account or address is locked out for LOGIN_LOCKOUT_MINUTES (django-axes, attempts in the database).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "projectoffice.lib.clients.client_ip"
AXES_LOCKOUT_CALLABLE = "projectoffice.accounts.lockout.lockout_response"
AXES_VERBOSE = False  # our lockout answer logs what matters, once
AXES_DISABLE_ACCESS_LOG = True

# API tokens (django-rest-knox): hashed in the database, valid for API_TOKEN_DAYS, a new one per login.
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Bearer",
    "TOKEN_TTL": datetime.timedelta(days=env_int("API_TOKEN_DAYS", 30, minimum=1)),
    "AUTO_REFRESH": False,
}
API_TOKENS_PER_USER = env_int("API_TOKENS_PER_USER", 10, minimum=1)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "projectoffice.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "projectoffice.api.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": ["projectoffice.api.queryparams.StrictFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "projectoffice.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "projectoffice.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],  # uploads name MultiPartParser themselves
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Проектный офис цифрового развития — API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The document is served by the site it describes: its paths are relative to that site's root.
    "SERVERS": [{"url": "/", "description": "Этот сайт"}],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "projectoffice.api.schema.nullable_with_type",
    ],
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "projectoffice.projects.stages.Stage",
        "OrganisationKindEnum": "projectoffice.organisations.models.OrganisationKind",
        "OpportunityKindEnum": "projectoffice.opportunities.models.OpportunityKind",
        "SizeCategoryEnum": "projectoffice.organisations.sizes.SizeCategory",
        "FeedbackVerdictEnum": "projectoffice.matching.models.FeedbackVerdict",
        "EligibilityVerdictEnum": "projectoffice.matching.eligibility.Verdict",
        "DealStageEnum": "projectoffice.flagships.models.DealStage",
        "FunderClassEnum": "projectoffice.materials.funder_classes.FunderClass",
        "DealInstrumentEnum": "projectoffice.flagships.models.Instrument",
    },
}

# Every line says when, how bad, which module, and for whom: the request (id, method, path, user) or the job (name,
# run id) it belongs to (projectoffice/lib/logcontext.py). Django's own lines go through the same handler.
LOG_LEVEL = env_choice("LOG_LEVEL", "WARNING", {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}, upper=True)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "projectoffice.lib.logcontext.ContextFilter"}},
    "formatters": {"context": {"format": "%(asctime)s %(levelname)s %(name)s [%(context)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["context"], "formatter": "context"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},  # once, in this format, not twice
        "projectoffice": {"level": LOG_LEVEL},
        "celery": {"level": LOG_LEVEL},
    },
}

# The embedded keyword index (tantivy) lives here; it is a cache of the database, rebuilt by rebuild_search_index.
SEARCH_INDEX_DIR = env_dir("SEARCH_INDEX_DIR", str(VAR_DIR / "index"))
# Which keyword engine: the embedded tantivy index (one machine) or a table in PostgreSQL that every web server
# and worker reads and writes in the record's own transaction (several machines; needs a PostgreSQL DATABASE_URL).
SEARCH_ENGINE = env_choice("SEARCH_ENGINE", "tantivy", ("tantivy", "postgres"))
if SEARCH_ENGINE == "postgres" and DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("SEARCH_ENGINE='postgres': нужна база PostgreSQL в DATABASE_URL")

# Background tasks: Celery with Redis when CELERY_BROKER_URL is set; otherwise tasks run inline.
CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", "", schemes=("redis", "rediss", "amqp", "amqps"))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the worker logs through LOGGING above, with each task's name and id

# Absolute address of the site for links in e-mails sent outside a request (digests, reminders from tasks and
# commands); e-mails sent while answering a request link to the address that request came to.
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000")

# Public event registration: a honeypot, a minimum time to fill the form and a per-address rate limit.
REGISTRATION_MIN_SECONDS = env_int("REGISTRATION_MIN_SECONDS", 3, minimum=0)
REGISTRATION_RATE_LIMIT = env_int("REGISTRATION_RATE_LIMIT", 20, minimum=1)  # per client address per 10 minutes
# Reverse proxies in front of the site that append to X-Forwarded-For (0: the client is REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
# Self sign-up of community participants: sign-ups per client address per hour, and how long the link works.
SIGNUP_RATE_LIMIT = env_int("SIGNUP_RATE_LIMIT", 5, minimum=1)
SIGNUP_LINK_HOURS = env_int("SIGNUP_LINK_HOURS", 48, minimum=1)
CONFIRMATION_MAX_AGE_HOURS = env_int("CONFIRMATION_MAX_AGE_HOURS", 72, minimum=1)
REGISTRATION_RETENTION_DAYS = env_int("REGISTRATION_RETENTION_DAYS", 365 * 3, minimum=1)
# Industry needs nobody took (days since the need was first sent): a reminder to the matched experts, a last call,
# then the need is abandoned with a message to the enterprise. The survey goes this many days after a match closes.
NEEDS_REMINDER_DAYS = env_int("NEEDS_REMINDER_DAYS", 9, minimum=1)
NEEDS_LAST_CALL_DAYS = env_int("NEEDS_LAST_CALL_DAYS", 21, minimum=2)
NEEDS_ABANDON_DAYS = env_int("NEEDS_ABANDON_DAYS", 45, minimum=3)
NEEDS_SURVEY_DAYS = env_int("NEEDS_SURVEY_DAYS", 10, minimum=0)
# Enterprises' needs (projectoffice/needs): the public intake form's minimum fill time, its per-address limit per hour,
# and the version of the personal-data consent text the form shows (stored with each request).
NEEDS_INTAKE_MIN_SECONDS = env_int("NEEDS_INTAKE_MIN_SECONDS", 5, minimum=0)
NEEDS_INTAKE_RATE_LIMIT = env_int("NEEDS_INTAKE_RATE_LIMIT", 5, minimum=1)
NEEDS_CONSENT_VERSION = "2026-12"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS_CACHE_URL = env_url("REDIS_CACHE_URL", "", schemes=("redis", "rediss", "unix"))
if REDIS_CACHE_URL:
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_CACHE_URL}


def _region_codes() -> set[str]:
    """ISO 3166-2 codes of the regions reference shipped with the code (the database may not be loaded yet)."""
    with (BASE_DIR / "projectoffice" / "classifiers" / "data" / "regions.csv").open(encoding="utf-8") as handle:
        return {row["iso_code"] for row in csv.DictReader(handle)}


# The region this installation serves (ISO 3166-2 code from the regions reference).
HOME_REGION_ISO = env_choice(
    "HOME_REGION_ISO", "RU-SAM", _region_codes(), upper=True, hint="код ISO 3166-2 из справочника регионов (RU-SAM)"
)


def _tax_codes() -> list[str]:
    """Two-digit tax region codes (the first digits of an INN) of the region the open-data importers keep."""
    codes = env_list("REGION_TAX_CODES", ["63"])
    if not codes or any(not (len(code) == 2 and code.isdigit()) for code in codes):
        raise ImproperlyConfigured(f"REGION_TAX_CODES={','.join(codes)!r}: ожидаются двузначные коды ФНС через запятую")
    return codes


# Federal Tax Service open data: the region's tax codes, and individual entrepreneurs (personal data) only
# when this is switched on; they are never shown publicly.
REGION_TAX_CODES = _tax_codes()
FNS_IMPORT_INDIVIDUALS = env_bool("FNS_IMPORT_INDIVIDUALS", False)
# Card completion by INN through DaData's party lookup: hidden without a key.
DADATA_API_KEY = env_str("DADATA_API_KEY", "")
DADATA_SUGGESTIONS_URL = env_url("DADATA_SUGGESTIONS_URL", "https://suggestions.dadata.ru/suggestions/api/4_1/rs/")
if DADATA_API_KEY and not re.fullmatch(r"[0-9a-f]{40}", DADATA_API_KEY):
    raise ImproperlyConfigured("DADATA_API_KEY: ожидается API-ключ DaData (40 шестнадцатеричных знаков) или пусто")
