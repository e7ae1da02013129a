"""Medtour settings: every option declared once and read from the environment.

See README.md ("Configuration") for the table of variables; `.env.example` lists them too.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from medtour.env import EnvironmentError_, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MEDTOUR_VAR_DIR", str(BASE_DIR / "var")))
# Polars' allocator with one arena rather than one per thread: a bulk import's memory stays flat
# (docs/benchmarks.md). Read when Polars is first loaded, which is after the settings.
os.environ.setdefault("_RJEM_MALLOC_CONF", "narenas:1")

DEBUG = env_bool("DEBUG", False)
_INSECURE_DEV_KEY = "medtour-development-only-key-never-use-in-production-0123456789"
SECRET_KEY = env_str("SECRET_KEY", _INSECURE_DEV_KEY if DEBUG else "")
if not SECRET_KEY:
    raise EnvironmentError_("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Key for patient pseudonyms: kept outside the database (see docs/privacy.md).
PSEUDONYM_KEY = env_str("PSEUDONYM_KEY", "medtour-development-pseudonym-key" if DEBUG else "")
PSEUDONYM_KEY_VERSION = env_int("PSEUDONYM_KEY_VERSION", 1)
# During a key rotation only: the key being retired (docs/privacy.md, "Rotation").
PSEUDONYM_PREVIOUS_KEY = env_str("PSEUDONYM_PREVIOUS_KEY", "")

# The city this deployment serves: a folder of reference files (see docs/reference-data.md).
CITY = env_str("CITY", "seoul")
CITY_DATA_DIRS = [BASE_DIR / "medtour" / "reference" / "cities"]

INSTALLED_APPS = [
    "django.forms",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "csp",
    "django_tasks",
    "django_tasks.backends.database",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "medtour.localization",
    "medtour.audit",
    "medtour.accounts",
    "medtour.reference",
    "medtour.institutions",
    "medtour.records",
    "medtour.stats",
    "medtour.targets",
    "medtour.notifications",
    "medtour.pages",
    "medtour.cases",
    "medtour.consultations",
    "medtour.pickups",
    "medtour.interpreting",
    "medtour.dispatch",
    "medtour.errors",
    "medtour.portal",
    "medtour.console",
    "medtour.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "medtour.accounts.middleware.StaffLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "medtour.accounts.middleware.RequireMfaMiddleware",
    "csp.middleware.CSPMiddleware",
    # Innermost: the refusal is in the reader's language and carries every security header.
    "medtour.errors.middleware.RefuseNulCharactersMiddleware",
]

ROOT_URLCONF = "medtour.urls"
# Form widgets render through TEMPLATES, so the project's widget templates are found.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "medtour.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "medtour" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "medtour.localization.context_processors.languages",
            ],
        },
    }
]

_DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'medtour.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "") or _DEFAULT_DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    # Writers queue rather than fail: an upload waits for the statistics refresh's write
    # instead of answering "database is locked" after SQLite's default five seconds.
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
            "timeout": env_int("SQLITE_BUSY_TIMEOUT", 60),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "console:home"
LOGOUT_REDIRECT_URL = "portal:home"

# django-allauth: e-mail accounts, verified; TOTP as second factor; throttled sign-in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/ip,5/5m/key", "signup": "20/h/ip"}
ACCOUNT_ADAPTER = "medtour.accounts.adapter.AccountAdapter"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Medtour"
# Accept the code of the 30-second step before or after the current one (RFC 6238 §5.2: drift).
MFA_TOTP_TOLERANCE = 1
MFA_ADAPTER = "medtour.accounts.adapter.MfaAdapter"

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "medtour@localhost")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "medtour",
    }
}
_REDIS_URL = env_str("REDIS_URL", "")
if _REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _REDIS_URL,
    }

TASKS = {"default": {"BACKEND": "django_tasks.backends.database.DatabaseBackend"}}

# Languages: the six the city serves. Public URLs carry the language as a prefix.
LANGUAGE_CODE = "ko"
LANGUAGES = [
    ("ko", "한국어"),
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("ja", "日本語"),
    ("ru", "Русский"),
    ("kk", "Қазақша"),
]
# Multilingual content falls back to English, then Korean (docs/i18n.md).
CONTENT_FALLBACK_LANGUAGES = ["en", "ko"]
LOCALE_PATHS = [BASE_DIR / "medtour" / "locale"]
FORMAT_MODULE_PATH = ["medtour.localization.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Seoul")
LANGUAGE_COOKIE_NAME = "medtour_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "medtour" / "static", ("vendor", BASE_DIR / "node_modules")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
UPLOAD_LIMIT_BYTES = env_int("UPLOAD_LIMIT_BYTES", 200 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Open data: published figures from 1 to DISCLOSURE_THRESHOLD - 1 are hidden (docs/open-data.md).
DISCLOSURE_THRESHOLD = env_int("DISCLOSURE_THRESHOLD", 5)
if DISCLOSURE_THRESHOLD < 1:
    raise EnvironmentError_("DISCLOSURE_THRESHOLD must be at least 1")

# Patient services (docs/privacy.md, "Patient services"): how long a signed personal link works,
# and how long a case with no open request and no activity is kept before it is erased.
CASE_LINK_MAX_AGE_DAYS = env_int("CASE_LINK_MAX_AGE_DAYS", 30)
if CASE_LINK_MAX_AGE_DAYS < 1:
    raise EnvironmentError_("CASE_LINK_MAX_AGE_DAYS must be at least 1")
# The public address e-mails link to (signed personal links); by default the first allowed host.
PUBLIC_URL = env_str(
    "PUBLIC_URL",
    "http://127.0.0.1:8000"
    if DEBUG
    else (f"https://{ALLOWED_HOSTS[0]}" if ALLOWED_HOSTS else "http://localhost"),
)
SERVICE_DATA_RETENTION_DAYS = env_int("SERVICE_DATA_RETENTION_DAYS", 365)
if SERVICE_DATA_RETENTION_DAYS < 1:
    raise EnvironmentError_("SERVICE_DATA_RETENTION_DAYS must be at least 1")

# Security: safe by default; DEBUG relaxes only what local HTTP needs.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

SYNTHETIC_DATA_NOTICE = _("Demonstration data: synthetic, not real patients or institutions.")
