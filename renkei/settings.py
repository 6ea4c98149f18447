"""renkei settings: every value comes from the environment (see .env.example)."""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


RENKEI_ENV = env("RENKEI_ENV", "development")
if RENKEI_ENV not in ("development", "test", "production"):
    raise ImproperlyConfigured("RENKEI_ENV must be development, test or production")
PRODUCTION = RENKEI_ENV == "production"


def required_in_production(name: str, development_default: str) -> str:
    value = env(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when RENKEI_ENV=production")
    return development_default


SECRET_KEY = required_in_production(
    "SECRET_KEY", "development-only-secret-key-never-used-in-production-0123456789"
)
DEBUG = envbool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
# The two inquiry desks' addresses (お問い合わせ窓口): the project, and the member site.
INQUIRY_PROJECT_EMAIL = env("INQUIRY_PROJECT_EMAIL", "renkei-project@localhost")
INQUIRY_MEMBERSHIP_EMAIL = env("INQUIRY_MEMBERSHIP_EMAIL", "renkei-members@localhost")
# When the two desks answer the phone, printed beside every number (empty: 平日 8時30分〜17時15分).
INQUIRY_HOURS = env("INQUIRY_HOURS", "")
# Inquiries accepted per sender address and per email address within an hour.
INQUIRY_LIMIT_PER_HOUR = envint("INQUIRY_LIMIT_PER_HOUR", 5)
# Days the audit log is kept (at least a year, as IPA advises; `manage.py purge_audit`, daily).
AUDIT_RETENTION_DAYS = envint("AUDIT_RETENTION_DAYS", 730)
PASSWORD_RESET_MAILS_PER_HOUR = envint("PASSWORD_RESET_MAILS_PER_HOUR", 3)  # to one account's address
# Days an answered inquiry (a person's name, address and message) is kept; purge_inquiries deletes it after.
INQUIRY_RETENTION_DAYS = envint("INQUIRY_RETENTION_DAYS", 365)
# Days a deleted record (news, an event, a relation, anything deleted in the admin) can be put back;
# purge_trash removes it, with its files, after.
TRASH_DAYS = envint("TRASH_DAYS", 30)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    # renkei, from the ground up (docs/architecture.md): each app imports only those above it here.
    "renkei.core",
    "renkei.municipalities",
    "renkei.accounts",
    "renkei.sources",
    "renkei.registry",
    "renkei.membership",
    "renkei.inquiries",
    "renkei.board",
    "renkei.disasters",
    "renkei.statistics",
    "renkei.matching",
    "renkei.portal",
    "renkei.opendata",
    "renkei.newsletter",
    "renkei.replies",
    "renkei.secretariat",
    "django_tasks",
    "django_tasks_db",
]

# Queued work (board notifications): the database backend needs no extra server; run
# `manage.py db_worker` beside the web server (make run does). Tests run tasks at once.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if RENKEI_ENV == "test"
        else "django_tasks_db.DatabaseBackend"
    }
}

MIDDLEWARE = [
    "renkei.core.requestlog.RequestLogMiddleware",
    "renkei.core.headers.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "renkei.core.nul.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Anonymous public pages from the cache, keyed by the version of the public content.
    "renkei.core.caching.PublicPageCache",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it answers throttled sign-ins.
    "axes.middleware.AxesMiddleware",
]

# One process's memory by default; with several app processes or machines, a shared Redis
# (REDIS_URL=redis://127.0.0.1:6379/1, Django's own backend) holds one page cache for all.
REDIS_URL = env("REDIS_URL", "")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
          if REDIS_URL else
          {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 1000}}}
# How long a rendered public page is kept; a change to public content replaces it at once anyway.
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 3600)
# The version of the public content as a file, written after each commit that changes it, so that
# the front cache (renkei.core.front) knows it without a query. Processes on one machine share it.
CONTENT_VERSION_FILE = Path(env("CONTENT_VERSION_FILE") or BASE_DIR / "var" / "content-version")
# Pages the front cache keeps per process (0 turns it off: every request goes to Django).
FRONT_CACHE_PAGES = envint("FRONT_CACHE_PAGES", 2000)
# Replies by mail (renkei.replies): the domain of the reply addresses (reply+<token>@…) the mail
# server hands to `manage.py receive_mail`; empty: mails carry no reply address.
REPLY_DOMAIN = env("REPLY_DOMAIN", "")
# A log line also for what is answered before Django (`make run`; renkei.core.requestlog.AccessLog).
ACCESS_LOG = envbool("ACCESS_LOG", False)

ROOT_URLCONF = "renkei.urls"
WSGI_APPLICATION = "renkei.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "renkei.core.context_processors.site",
                "renkei.portal.context_processors.disaster_banner",
            ],
        },
    },
]

# SQLite under var/ is the embedded default; DATABASE_URL selects PostgreSQL in production.
DEFAULT_DATABASE_URL = f"sqlite:///{BASE_DIR / 'var' / 'renkei.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or DEFAULT_DATABASE_URL,
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0 if RENKEI_ENV == "test" else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, with transactions queueing for the one writer's place
    # (renkei/core/sqlite/base.py) instead of polling for it.
    DATABASES["default"]["ENGINE"] = "renkei.core.sqlite"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers proceed while one writer commits; IMMEDIATE avoids
        # "database is locked" errors on read-then-write transactions. A write outside a
        # transaction (a session saved) waits up to busy_timeout for the lock. synchronous=FULL:
        # a commit returns once the log is on disk, so a power cut loses no acknowledged write
        # (NORMAL could lose the last ones); it cost 0.18 ms a commit here, a few per cent of a write.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=20000;"
            " PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    # Tests run on a file too, so concurrent writers meet the same locking as in production.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-renkei.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:sign_in"
# Where a secretariat account gives its second factor, or registers one (renkei.core.access).
SECOND_FACTOR_URL = "accounts:otp_verify"
SECOND_FACTOR_SETUP_URL = "accounts:otp_setup"
LOGIN_REDIRECT_URL = "membership:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset or first-password link lasts one day

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failures for one account, or from
# one address, further attempts are refused for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "renkei.accounts.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# The client's address (renkei.core.clients): behind PROXY_COUNT proxies (nginx: 1), the one
# the trusted proxy saw, read from X-Forwarded-For only on requests from TRUSTED_PROXIES.
PROXY_COUNT = envint("PROXY_COUNT", envint("AXES_PROXY_COUNT", 1 if PRODUCTION else 0))
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", "127.0.0.1,::1")
AXES_CLIENT_IP_CALLABLE = "renkei.core.clients.client_address"

OTP_TOTP_ISSUER = "renkei 特別区全国連携プロジェクト"

if RENKEI_ENV == "test":
    # Tests create many accounts; a deliberately slow hash only costs time there.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / (env("STATIC_ROOT") or "var/static")  # relative: to the checkout
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and RENKEI_ENV != "test"
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env("MEDIA_ROOT") or BASE_DIR / "var" / "media")
# 災害モード's light pages, rendered to files (renkei.portal.disaster_mode); nginx serves `live/`.
LIGHT_PAGES_ROOT = Path(env("LIGHT_PAGES_ROOT") or BASE_DIR / "var" / "light")
MEDIA_URL = "/media/"
# The printed forms' fonts (renkei.core.pdf): Debian's fonts-noto-cjk, then fonts-noto-core and
# fonts-noto-color-emoji for what the Japanese font lacks.
PDF_FONT_PATHS = [p for p in env("PDF_FONT_PATHS", "/usr/share/fonts/opentype/noto:/usr/share/fonts/truetype/noto")
                  .split(":") if p]
# Tests and development serve static files straight from the app directories.
WHITENOISE_USE_FINDERS = DEBUG or RENKEI_ENV == "test"
WHITENOISE_AUTOREFRESH = DEBUG

# Development writes each message as a readable file under var/mail (renkei.core.mail_files).
EMAIL_BACKEND = env("EMAIL_BACKEND") or "renkei.core.mail_files.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "renkei@localhost")
# SMTP (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20)
# Where the development backend (and Django's filebased one) writes mail.
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))

# Idle expiry: every request renews the session, so it ends SESSION_COOKIE_AGE seconds after
# the last one (default 2 hours).
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 60 * 60 * 2)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True

# Production hardening; `manage.py check --deploy` reports nothing with RENKEI_ENV=production.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", PRODUCTION)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", PRODUCTION)
# Over https the cookies carry the __Host- prefix: the browser keeps them only when they are
# Secure, for this host alone and the whole path, so no other site or subdomain can plant one.
SESSION_COOKIE_NAME = "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if CSRF_COOKIE_SECURE else "csrftoken"
CSRF_COOKIE_HTTPONLY = True  # no script reads it: the pages ship none
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Entering the HSTS preload list is a decision for the domain's owner, not a default of the
# software; SECURE_HSTS_PRELOAD=true opts in.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_in_one_line": {"()": "renkei.core.requestlog.ClientErrorsInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # django-axes reports every reset at INFO; sign-ins are in the audit log already.
    # One JSON line per request (renkei.core.requestlog); not in the test suite's output.
    "loggers": {"axes": {"level": "WARNING"},
                "renkei.requests": {"level": "WARNING" if RENKEI_ENV == "test" else "INFO"},
                # A 403 or 404 is an answer, not a fault: its line without the traceback.
                "django.request": {"filters": ["client_errors_in_one_line"]}},
}
