"""The one settings module. Behaviour changes by environment variable only; README.md lists them all."""

import tempfile
from datetime import timedelta
from pathlib import Path

import environ
import xstatic.pkg.bootstrap
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# A development key is only acceptable while debugging; production must bring its own.
_DEV_SECRET_KEY = "django-insecure-exchange-portal-development-only"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=0 the portal refuses to start without a "
            "secret key: set DJANGO_SECRET_KEY to a long random string."
        )
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is not set. With DJANGO_DEBUG=0 list the host names the portal answers to, "
        "comma-separated, e.g. DJANGO_ALLOWED_HOSTS=exchange.csb.gov.hk"
    )
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "exchange_portal.admin_apps.ExchangePortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "exchange_portal.admin_apps.SignInLogsConfig",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "exchange_portal",
    "core",
    "participants",
    "placements",
    "selection",
    "portal",
    "nominating",
    "hosting",
    "coordination",
    "demo",
]

MIDDLEWARE = [
    # The security headers first, so that they wrap every answer: also the 400 that CommonMiddleware
    # gives for a bad Host header, before the rest of the stack has run.
    "exchange_portal.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A NUL byte in the path, query string or form answers 400 (in the reader's language) before any view.
    "exchange_portal.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change in the audit trail (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Authenticated responses carry personal data: never stored by browsers or proxies.
    "exchange_portal.middleware.NoStoreForAuthenticatedMiddleware",
    "exchange_portal.middleware.SessionIdleTimeoutMiddleware",
    # Turns a locked-out sign-in into the lockout page; django-axes wants it last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "exchange_portal.urls"
# Django's form renderer, with <select> written in Python (the same markup; core/form_renderer.py).
FORM_RENDERER = "core.form_renderer.PortalFormRenderer"
WSGI_APPLICATION = "exchange_portal.wsgi.application"

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
            ],
        },
    },
]

# DATABASE_URL unset: the embedded SQLite file; postgres://user@host:port/name for production.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
# Re-check a persistent connection before use, so the portal survives a database restart.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hant", "繁體中文"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English short dates as Hong Kong writes them (18 Dec 2023); see core/formats/.
FORMAT_MODULE_PATH = ["core.formats"]
TIME_ZONE = "Asia/Hong_Kong"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap comes from the XStatic package: no CDN on the intranet and no vendored copy in the repo.
    ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
]
DOCUMENTS_ROOT = env.path("DOCUMENTS_ROOT", default=BASE_DIR / "private" / "documents")
DOCUMENTS_S3_BUCKET = env.str("DOCUMENTS_S3_BUCKET", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
    # Participants' documents (travel-document copies, undertakings, medical declarations): never under
    # STATIC_ROOT or MEDIA_URL, served only by a view that checks the permission (placements/documents.py).
    "documents": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": DOCUMENTS_S3_BUCKET,
                "endpoint_url": env.str("DOCUMENTS_S3_ENDPOINT_URL", default="") or None,
                "region_name": env.str("DOCUMENTS_S3_REGION", default="") or None,
                "access_key": env.str("DOCUMENTS_S3_ACCESS_KEY_ID", default="") or None,
                "secret_key": env.str("DOCUMENTS_S3_SECRET_ACCESS_KEY", default="") or None,
                "default_acl": None,
                "file_overwrite": False,
                "querystring_auth": True,
                "signature_version": "s3v4",
                # Signed URLs are issued only after the permission check, and expire quickly.
                "querystring_expire": env.int("DOCUMENTS_SIGNED_URL_SECONDS", default=60),
            },
        }
        if DOCUMENTS_S3_BUCKET
        else {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": DOCUMENTS_ROOT, "base_url": None},
        }
    ),
}
# Uploads larger than this are refused; retention: documents are deleted this many days after their batch
# ends (the purge_documents command, run daily).
DOCUMENTS_MAX_BYTES = env.int("DOCUMENTS_MAX_BYTES", default=10 * 1024 * 1024)
DOCUMENTS_RETENTION_DAYS = env.int("DOCUMENTS_RETENTION_DAYS", default=365)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str(
    "DJANGO_DEFAULT_FROM_EMAIL", default="Exchange Portal <exchange-portal@csb.gov.hk>"
)

# Work that outlives a request (imports, e-mail, reminders) runs on a task queue: Django's tasks framework
# (the django-tasks backport of django.tasks). "database" (the default) keeps the queue in the database
# (django-tasks-db); "redis" keeps it in Redis and runs it on RQ workers (django-tasks-rq), for
# installations with several machines; "immediate" runs each task at once in the process that enqueued
# it (a quick look without a worker). `manage.py run_worker` starts the worker of whichever is chosen.
# docs/deployment.md, "The worker".
TASKS_BACKEND = env.str("DJANGO_TASKS_BACKEND", default="database")
_TASK_BACKENDS = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "redis": {"BACKEND": "django_tasks_rq.RQBackend"},
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"DJANGO_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}.")
TASKS = {"default": {**_TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
if TASKS_BACKEND == "redis":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {
        "default": {
            "URL": env.str("DJANGO_TASKS_REDIS_URL", default="")
            or env.str("REDIS_URL", default="")
            or "redis://127.0.0.1:6379/0",
            "DEFAULT_TIMEOUT": 60 * 60,
        }
    }
# An e-mail the SMTP server refuses, or cannot be reached for, is tried again after 1, 5, 30 and 120
# minutes, then marked failed (CSB staff resend it from the admin).
EMAIL_RETRY_MINUTES = [1, 5, 30, 120]
# The hour (local time, TIME_ZONE) at which the clock enqueues the daily reminders.
REMINDERS_HOUR = env.int("DJANGO_REMINDERS_HOUR", default=8)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# --- HTTPS, cookies and headers: docs/deployment.md lists each variable with its default ---
# Behind a TLS-terminating proxy, the header the proxy sets to say the request came in over HTTPS
# (e.g. HTTP_X_FORWARDED_PROTO); only set it when the proxy always sets or strips that header.
_PROXY_SSL_HEADER = env.str("DJANGO_SECURE_PROXY_SSL_HEADER", default="")
SECURE_PROXY_SSL_HEADER = (_PROXY_SSL_HEADER, "https") if _PROXY_SSL_HEADER else None
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe the health endpoint over plain HTTP on the app server itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page of the portal uses, switched off for every page (and anything it embeds).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), "
    "screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()"
)

# Stateless app servers: sessions and lockouts in the database, the cache in Redis when there is one.
# With Redis, a session is read from the cache and written to both (Django's cached_db), which saves a
# query on every signed-in request; without it each process's local cache would keep a session another
# process has ended (signed out), so sessions are then read from the database alone. Either way a
# session's write does not wait for PostgreSQL's disk (exchange_portal/session_backends).
REDIS_URL = env.str("REDIS_URL", default="")
SESSION_ENGINE = (
    "exchange_portal.session_backends.cached_db" if REDIS_URL else "exchange_portal.session_backends.db"
)
# Inactivity timeout: the session's expiry moves forward while the user is active (at most one session
# write a minute, see exchange_portal.middleware) and it ends this many seconds after the last request.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # What the task-queue worker tells the pages while it runs (an import's rows done): shared by the
    # worker and the web processes, so Redis when there is one, else files on this machine.
    "progress": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "progress",
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env.str(
                "DJANGO_PROGRESS_DIR", default=str(Path(tempfile.gettempdir()) / "exchange-portal-progress")
            ),
        }
    ),
}

# Sign-in lockout (django-axes), two limits (exchange_portal/lockout.py, docs/deployment.md): after
# AXES_FAILURE_LIMIT failed sign-ins for one username from one address, that username is locked at that
# address for the cool-off time, so a stranger elsewhere cannot lock a participant out; after
# AXES_IP_FAILURE_LIMIT failures from one address, whatever the usernames, the address is locked (someone
# trying many accounts). CSB staff see and reset lockouts (delete the access attempt) in the admin.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with the user's officer and permissions loaded once, not on every page.
    "participants.backends.PortalBackend",
]
# The user's profiles, read with the user in the same query (participants.backends): the navigation asks
# which of them the user has on every page, and the nominating and host pages start from theirs. Named
# here, at the top, because the last two live in the selection app, above participants.
PORTAL_USER_PROFILES = ["officer", "nominating_officer", "host_coordinator"]
AXES_HANDLER = "exchange_portal.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = env.int("DJANGO_AXES_FAILURE_LIMIT", default=5)
AXES_IP_FAILURE_LIMIT = env.int("DJANGO_AXES_IP_FAILURE_LIMIT", default=50)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DJANGO_AXES_COOLOFF_MINUTES", default=30))
# Behind a proxy, name the header in which the proxy passes the client's address, or every client shares
# the proxy's address and the per-address limit is shared by everybody.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
CLIENT_IP_HEADER = env.str("DJANGO_CLIENT_IP_HEADER", default="")
AXES_CLIENT_IP_CALLABLE = "exchange_portal.middleware.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The sign-in logs' admin pages are the portal's own (exchange_portal/admin.py): translated, compact.
AXES_ENABLE_ADMIN = False

# Content-Security-Policy (django-csp): no inline script or style anywhere, the admin included.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap's CSS draws its icons (navbar toggler, form validation) as data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
