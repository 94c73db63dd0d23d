"""Settings for Newsroom, read from the environment.

Safe by default: DEBUG is off unless ``DEBUG=1``, and without DEBUG a real
``SECRET_KEY`` must be given. ``make run`` sets what a local demo needs.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from psycopg_pool import ConnectionPool

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEWSROOM_VAR_DIR", BASE_DIR / "var"))


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DEBUG")

_DEV_SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - only used with DEBUG on
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "value (for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (
    # Django's own rule for a key too weak to sign sessions (check --deploy, security.W009).
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")
):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: it needs at least 50 characters, at least 5 "
        "different ones, and no 'django-insecure-' prefix. Generate one with "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "axes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_htmx",
    "django_tasks_db",
    "newsroom",
    "people",
    "stories",
    "exchange",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files, compressed and with far-future caching for hashed names, from
    # STATIC_ROOT (filled by collectstatic): production needs no other server for them.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsroom.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (Django's order); the language is the address's.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs out a session idle for SESSION_IDLE_TIMEOUT or older than SESSION_COOKIE_AGE.
    "newsroom.sessions.SessionTimeoutMiddleware",
    "newsroom.audit.AuditContextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "newsroom.middleware.RefuseNulInQueryMiddleware",
    # Last, so it turns a sign-in refused by django-axes into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "django.template.context_processors.csp",
            ],
        },
    },
]

# Databases: DATABASE_URL in dj-database-url form. SQLite under var/ by default.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if env_flag("DATABASE_POOL", default=True):
        # psycopg's pool keeps connections open between requests; Django requires
        # CONN_MAX_AGE=0 with it. The pool checks a connection before handing it out.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(os.environ.get("DATABASE_POOL_MIN", "2")),
            "max_size": int(os.environ.get("DATABASE_POOL_MAX", "10")),
            # How long a request waits for a connection before the 503 page (newsroom/errors.py).
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "5")),
            # A connection lost with the database is retried with a growing delay for this
            # long, then given up; the next request starts afresh. Kept short so the site
            # serves again within seconds of the database's return, not after a long backoff.
            "reconnect_timeout": float(os.environ.get("DATABASE_POOL_RECONNECT_TIMEOUT", "5")),
            "check": ConnectionPool.check_connection,
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # ASVS V2.1.1: at least 12 characters.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one
# username or from one address, that username or address is refused for the cool-off.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "newsroom.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "newsroom.accounts.lockout_response"
# Sessions last a working day, then the desk signs in again; half an hour without a request
# also signs one out (newsroom/sessions.py).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(12 * 60 * 60)))
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Internationalization: English at the root, Japanese under /ja/ (newsroom/urls.py,
# newsroom/i18n.py); the language comes from the address alone, never from Accept-Language.
# The catalogues in locale/ are compiled by `make compilemessages` (not committed).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ja", "日本語")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
FORMAT_MODULE_PATH = ["newsroom.formats"]

# Static files and uploads
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves what `collectstatic` wrote to STATIC_ROOT under content-hashed names
# (WhiteNoise); with DEBUG (make run) the files are served as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

# Uploaded images (photos and logos): see newsroom/images.py.
IMAGE_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
IMAGE_UPLOAD_MAX_PIXELS = 40_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Security headers. Content Security Policy: scripts only from our own origin, never inline
# (no nonce either: every script is a file, structured data is an inert data block), and no
# inline style or event handler. A page then carries nothing per request and can be cached
# whole for readers (newsroom/page_cache.py).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The CSRF token reaches htmx from the page (<body hx-headers>), never from the cookie.
CSRF_COOKIE_HTTPONLY = True
# Browser features no page uses are switched off (newsroom/middleware.py).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
    "browsing-topics=()"
)
# HTTPS: on by default without DEBUG. Behind a TLS-terminating proxy set
# SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto (a header the proxy always sets) and
# TRUSTED_PROXY_COUNT to the number of proxies that append to X-Forwarded-For.
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = env_flag("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_flag("CSRF_COOKIE_SECURE", default=not DEBUG)
if _proxy_header := os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Cached fragments (sidebars, story bodies) and the data version they are keyed on: in Redis
# when REDIS_URL names one (redis://127.0.0.1:6379/0), shared by every worker so a bump reaches
# them all; else in each process's own memory (one process: the demo, the tests).
# "versioned" holds what is keyed on the data version (cached pages' pieces, feeds, API
# answers): with Redis, each process keeps copies in its own memory too, which can never be
# stale since the key names the version (newsroom/tiered_cache.py).
if REDIS_URL := os.environ.get("REDIS_URL", "").strip():
    CACHES = {
        "default": {
            "BACKEND": "newsroom.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
        },
        "process": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom-versioned",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
        "versioned": {
            "BACKEND": "newsroom.tiered_cache.TieredCache",
            "OPTIONS": {"LOCAL": "process", "SHARED": "default"},
        },
    }
    # The versions (newsroom/cache.py): in Redis, which every process sees.
    CACHES["versions"] = CACHES["default"]
    # The progress of running jobs (exchange/upload_jobs.py): seen by every web process.
    CACHES["progress"] = CACHES["default"]
else:
    CACHES = {
        # Whole pages too (newsroom/page_cache.py): room for thousands, not Django's 300 (a page
        # is some tens of kB: a few thousand bound the memory to about 150 MB).
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
            "OPTIONS": {"MAX_ENTRIES": 5_000},
        },
        # The same memory as "default" (LocMemCache shares storage by LOCATION).
        "versioned": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
            "OPTIONS": {"MAX_ENTRIES": 5_000},
        },
        # The versions (newsroom/cache.py) in small files every process on this machine
        # reads: a write by another process (a command, a cron job) shows on the next
        # request. A few small reads a page; never culled in practice (a culled version only
        # costs a rebuild).
        "versions": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("NEWSROOM_VERSIONS_DIR", str(VAR_DIR / "versions")),
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        },
        # The progress of running jobs (exchange/upload_jobs.py), written by a worker and
        # read by the development server: files, which both processes see.
        "progress": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("NEWSROOM_PROGRESS_DIR", str(VAR_DIR / "progress")),
        },
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        # Sign-in lockouts and password changes (django-axes and newsroom.accounts).
        "axes": {"level": "WARNING"},
        "newsroom.security": {"level": "INFO"},
    },
}

# check_sources: never fetch loopback, private or link-local addresses (SSRF). Tests that
# serve pages from a local server turn loopback on.
SOURCE_CHECK_ALLOW_LOOPBACK = env_flag("SOURCE_CHECK_ALLOW_LOOPBACK")
SOURCE_CHECK_TIMEOUT = float(os.environ.get("SOURCE_CHECK_TIMEOUT", "10"))
SOURCE_CHECK_MAX_BYTES = int(os.environ.get("SOURCE_CHECK_MAX_BYTES", str(2_000_000)))

# Background jobs: Django's tasks framework (django.tasks) on django-tasks-db, which keeps the
# queue in this same database (README, "Background jobs"). `manage.py run_worker` runs them.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A failed job is tried again after JOBS_BACKOFF_SECONDS, then twice that, and so on (capped
# at JOBS_BACKOFF_MAX_SECONDS), until it has been tried JOBS_MAX_ATTEMPTS times in all.
JOBS_MAX_ATTEMPTS = int(os.environ.get("JOBS_MAX_ATTEMPTS", "5"))
JOBS_BACKOFF_SECONDS = float(os.environ.get("JOBS_BACKOFF_SECONDS", "30"))
JOBS_BACKOFF_MAX_SECONDS = float(os.environ.get("JOBS_BACKOFF_MAX_SECONDS", "3600"))
# Each worker says it is alive every JOBS_HEARTBEAT_SECONDS; a running job whose worker has
# been silent for JOBS_WORKER_TIMEOUT_SECONDS (killed, its machine gone) is run again.
JOBS_HEARTBEAT_SECONDS = float(os.environ.get("JOBS_HEARTBEAT_SECONDS", "10"))
JOBS_WORKER_TIMEOUT_SECONDS = float(os.environ.get("JOBS_WORKER_TIMEOUT_SECONDS", "60"))
# Jobs that run by themselves, daily at "at" (HH:MM in TIME_ZONE): each due moment is
# enqueued once, by whichever worker looks first (newsroom.jobs.jobs_enqueue_scheduled).
SOURCE_CHECK_STALE_DAYS = int(os.environ.get("SOURCE_CHECK_STALE_DAYS", "7"))
# JOBS_SCHEDULE_OFF=1 turns the schedule off (a benchmark's worker, a one-off worker).
JOBS_SCHEDULE = (
    []
    if env_flag("JOBS_SCHEDULE_OFF")
    else [
        {
            "name": "check-stale-sources",
            "task": "stories.jobs.check_stale_sources",
            "at": os.environ.get("SOURCE_CHECK_AT", "03:00"),
            "kwargs": {"stale_days": SOURCE_CHECK_STALE_DAYS},
        },
        {
            "name": "editors-digest",
            "task": "stories.jobs.send_editors_digest",
            "at": os.environ.get("EDITORS_DIGEST_AT", "08:00"),
        },
    ]
)

# E-mail (notifications, newsroom/notifications.py), with Django 6.1's MAILERS: printed to
# the console in development; SMTP in production (README, Production).
# SITE_URL makes the links in e-mails absolute.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
_email_host = os.environ.get("EMAIL_HOST", "")
if _email_host or not DEBUG:
    # Production: the SMTP server named, else the machine's own mail server (port 25).
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host or "localhost",
                "port": int(os.environ.get("EMAIL_PORT", "587" if _email_host else "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_flag("EMAIL_USE_TLS", default=bool(_email_host)),
                "timeout": 30,
            },
        }
    }
else:
    # Development: mail is printed by the process that sends it (the worker).
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Newsroom <newsroom@localhost>")
