"""Settings shared by every environment, read from the environment (django-environ).

With no environment at all this is the *embedded default* used by ``make demo``:
SQLite in ``var/``, Celery tasks run eagerly in-process, files on local disk,
e-mail to the console. ``DATABASE_URL`` and ``REDIS_URL`` switch to PostgreSQL and
Redis. Production adds ``portal.settings.production`` on top.
"""

import datetime
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# Variables already in the environment win over the file; ENV_FILE=/dev/null skips it.
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str(
    "SECRET_KEY",
    default="insecure-demo-key-only-for-the-embedded-default-never-in-production",
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A form refused for its token: the portal's own page, in Vietnamese, saying what to do.
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

# Public address of the portal, used in links sent by e-mail/SMS and in QR codes.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
PROVINCE_NAME = env.str("PROVINCE_NAME", default="Tỉnh Thanh Hóa")
PORTAL_NAME = env.str("PORTAL_NAME", default="Cổng Dịch vụ công trực tuyến")
# The help desk, shown on the error pages when set ("Tổng đài 1900 0000, hotro@tinh.gov.vn").
SUPPORT_CONTACT = env.str("SUPPORT_CONTACT", default="")

INSTALLED_APPS = [
    "portal.admin_site.PortalAdminConfig",  # django.contrib.admin, for provincial admins only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "django_celery_beat",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal",
    "accounts",
    "procedures",
    "dossiers",
    "desk",
    "payments",
    "printing",
    "notifications",
    "feedback",
    "reports",
    "api",
    "national",
    "privacy",
    "administration",  # the agency admins' pages, no models (DECISIONS §35)
]

MIDDLEWARE = [
    # The client's address behind TRUSTED_PROXY_COUNT reverse proxies (portal/client_ip.py).
    "portal.client_ip.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.csp.PortalCSPMiddleware",  # Content-Security-Policy: no inline script or style
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.PortalLocaleMiddleware",
    # A NUL character in the address or the query: 400 before any view (portal/characters.py).
    "portal.characters.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle sessions end; officers and admins pass the second factor before any page.
    "accounts.middleware.SessionIdleTimeoutMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a lockout flagged during login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.portal",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
# Embedded default: SQLite file in var/. DATABASE_URL=postgres://... for PostgreSQL.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db(
        "DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
    )
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A database that does not answer (a host gone, a fail-over in progress) fails a request
    # in seconds with the 503 page instead of holding a worker for ever (libpq waits with no
    # limit by default).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=5)
    )
    # No JIT compilation: the portal's queries are short, and the planner's cost estimate of
    # a catalog aggregate over 50,000 agency roles crosses jit_above_cost, so PostgreSQL spent
    # ~0.6 s compiling a 0.1 s query (the KPI page's catalog figures; DECISIONS §25).
    if env.bool("DB_JIT_OFF", default=True):
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = (options.get("options", "") + " -c jit=off").strip()
else:
    # The embedded default holds with several people at once (DECISIONS §33): the server's
    # threads, the demo's periodic work and manage.py commands share one file.
    # - WAL: readers never wait for the writer, and the writer never waits for readers.
    # - IMMEDIATE: a transaction takes the write lock when it begins. With SQLite's default
    #   (DEFERRED) a transaction that read first and then writes cannot wait for the lock and
    #   fails at once with "database is locked", whatever the timeout.
    # - timeout: how long a writer waits for the other writer (busy timeout), in seconds.
    # - synchronous=NORMAL is durable across a crash of the process in WAL mode (a power cut
    #   may lose the last transactions, as the embedded default accepts).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options.setdefault("timeout", env.int("SQLITE_BUSY_TIMEOUT", default=30))
    options.setdefault("transaction_mode", "IMMEDIATE")
    options.setdefault(
        "init_command",
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    )

USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Redis --------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")


def _next_redis_db(url: str) -> str:
    """The cache lives in the Redis database after the broker's, so clearing the cache
    (FLUSHDB) can never drop Celery's queues."""
    base, _, db = url.rstrip("/").rpartition("/")
    if base.startswith("redis") and db.isdigit():
        return f"{base}/{int(db) + 1}"
    return url.rstrip("/") + "/1"


REDIS_CACHE_URL = env.str("REDIS_CACHE_URL", default="") or (_next_redis_db(REDIS_URL) if REDIS_URL else "")
if REDIS_URL:
    # django-redis rather than Django's own backend: with Redis down, a cache operation is a
    # miss (and a logged warning) instead of an exception, so every page still answers from
    # the database (tests/faults/test_redis.py); connecting gives up after a second.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="portal"),
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 2},
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Whole public pages for visitors with no session (catalog search, home): kept in each
# process's own memory, a bounded number of them, so that odd query strings cannot fill
# Redis (which is also the broker). Their key carries the catalog generation, which lives
# in the shared cache, so a publish renews them everywhere (DECISIONS §24).
CACHES["public_pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "public-pages",
    "TIMEOUT": 300,
    "OPTIONS": {"MAX_ENTRIES": env.int("PUBLIC_PAGE_CACHE_ENTRIES", default=400), "CULL_FREQUENCY": 4},
}

# --- Celery (research: payments-reliability-performance.md §3) --------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True  # results live in our own tables, not in Redis
# Without Redis the embedded default runs tasks in-process, same code paths.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # every task is idempotent (see docs/ARCHITECTURE.md)
CELERY_TASK_REJECT_ON_WORKER_LOST = False  # avoid redelivery loops; sweepers recover
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
# Longer than any task and any countdown we use (countdowns stay below 15 minutes).
CELERY_VISIBILITY_TIMEOUT = 2 * CELERY_TASK_TIME_LIMIT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_timeout": 5,
    "socket_connect_timeout": 5,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = 45
# A child process is replaced after this many tasks, or sooner once a task leaves it above
# CELERY_WORKER_MAX_MEMORY_PER_CHILD KiB (WeasyPrint's memory is the reason to recycle);
# every 200 tasks cost the notifications worker half its time in fork + imports
# (docs/BENCHMARKS.md, "Notifications").
CELERY_WORKER_MAX_TASKS_PER_CHILD = 5000
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 400_000
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_ENABLE_UTC = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES_NAMES = ("default", "notifications", "payments", "documents")
CELERY_TASK_ROUTES = {
    "notifications.*": {"queue": "notifications"},
    "payments.*": {"queue": "payments"},
    "documents.*": {"queue": "documents"},
}

# --- Auth -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# Axes first: it refuses a locked-out identifier before any password is checked. The
# identifier backend logs people in by ID number, tax code, e-mail or username.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.IdentifierBackend",
]

# Login lockout (django-axes): 5 failures for one identifier from one address lock that
# combination for 15 minutes. Attempts are kept in the database, so it works without Redis.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# ID number, tax code and e-mail of one account count as one identifier.
AXES_USERNAME_CALLABLE = "accounts.backends.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
# Behind reverse proxies: how many, so that the lockout, the rate limits and the access log
# key on the citizen's address, not the proxy's (portal/client_ip.py). 0: no proxy.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "portal.client_ip.client_ip"
# Logins per address (on top of the lockout per identifier): a commune's help desk logs in
# many people from one address, a script trying many identifiers far more.
LOGIN_RATE = env.str("LOGIN_RATE", default="100/h")

# Second factor (django-otp, TOTP + backup codes) for officers and admins
# (accounts/second_factor.py). Off only for the demo; production refuses to start without it.
SECOND_FACTOR_REQUIRED = env.bool("SECOND_FACTOR_REQUIRED", default=True)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default=f"{PORTAL_NAME} – {PROVINCE_NAME}")
OTP_TOTP_THROTTLE_FACTOR = 1  # seconds, doubled after each wrong code
# Sessions: at most 12 hours after login; logged out after 2 hours unused (officers and
# admins: 30 minutes), see accounts/middleware.py.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=2 * 3600)
SESSION_IDLE_TIMEOUT_OFFICERS = env.int("SESSION_IDLE_TIMEOUT_OFFICERS", default=30 * 60)
# django-ratelimit counts in the cache; with Redis down it could not count and would refuse
# every tracking look-up and registration as "too many" for the whole outage. It lets them
# through instead (logins stay guarded by django-axes, which counts in the database).
RATELIMIT_FAIL_OPEN = True

# Login with the national portal's account (Cổng DVCQG, OpenID Connect; research
# vietnam-domain.md §8.2). Off unless the province has registered a client there.
NATIONAL_SSO = {
    "ENABLED": env.bool("NATIONAL_SSO_ENABLED", default=False),
    "AUTHORIZE_URL": env.str(
        "NATIONAL_SSO_AUTHORIZE_URL", default="https://xacthuc.dichvucong.gov.vn/oauth2/authorize"
    ),
    # Token and userinfo addresses are given with the client registration (not published).
    "TOKEN_URL": env.str("NATIONAL_SSO_TOKEN_URL", default=""),
    "USERINFO_URL": env.str("NATIONAL_SSO_USERINFO_URL", default=""),
    "CLIENT_ID": env.str("NATIONAL_SSO_CLIENT_ID", default=""),
    "CLIENT_SECRET": env.str("NATIONAL_SSO_CLIENT_SECRET", default=""),
    # Registered callback; empty means PORTAL_BASE_URL + /dang-nhap/dvcqg/callback/.
    "REDIRECT_URI": env.str("NATIONAL_SSO_REDIRECT_URI", default=""),
    "SCOPE": env.str("NATIONAL_SSO_SCOPE", default="openid"),
    "ACR_VALUES": env.str("NATIONAL_SSO_ACR_VALUES", default="LoA1"),
    "TIMEOUT": env.int("NATIONAL_SSO_TIMEOUT", default=10),
}

# --- Language, time zone ------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

# --- Static and media -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# Public catalog form templates (mẫu đơn, tờ khai) are at most this large.
CATALOG_FORM_MAX_BYTES = env.int("CATALOG_FORM_MAX_BYTES", default=10 * 1024 * 1024)
# Citizens' files (attachments, document wallet): private, never under MEDIA_URL.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
# Attachment limits (configurable per province): per file and per dossier, in bytes.
DOSSIER_FILE_MAX_BYTES = env.int("DOSSIER_FILE_MAX_BYTES", default=10 * 1024 * 1024)
DOSSIER_TOTAL_MAX_BYTES = env.int("DOSSIER_TOTAL_MAX_BYTES", default=50 * 1024 * 1024)
DOSSIER_PAGES_PER_DOCUMENT = env.int("DOSSIER_PAGES_PER_DOCUMENT", default=20)
# What one account's uploads may take in all (its wallet and its dossiers' photo pages), so
# no path fills the disk (issue 19); results issued by agencies do not count.
ACCOUNT_UPLOAD_MAX_BYTES = env.int("ACCOUNT_UPLOAD_MAX_BYTES", default=500 * 1024 * 1024)
# Virus scanning of every upload by ClamAV's clamd (portal/clamav.py), off by default. When
# on it fails closed: clamd unreachable or slower than the timeout (seconds per socket
# operation) and the upload is refused. CLAMAV_SOCKET (a Unix socket) wins over host/port;
# clamd's StreamMaxLength must be at least the largest file limit above.
CLAMAV_ENABLED = env.bool("CLAMAV_ENABLED", default=False)
CLAMAV_SOCKET = env.str("CLAMAV_SOCKET", default="")
CLAMAV_HOST = env.str("CLAMAV_HOST", default="127.0.0.1")
CLAMAV_PORT = env.int("CLAMAV_PORT", default=3310)
CLAMAV_TIMEOUT = env.float("CLAMAV_TIMEOUT", default=10.0)
# Retention (ND 13/2023/NĐ-CP; docs/DECISIONS.md): a draft nobody opened or edited for this
# many days is deleted with its files, its owner warned this many days before; officers'
# access records are kept this long (privacy.retention, beat "privacy-purge").
DOSSIER_DRAFT_RETENTION_DAYS = env.int("DOSSIER_DRAFT_RETENTION_DAYS", default=90)
DOSSIER_DRAFT_WARNING_DAYS = env.int("DOSSIER_DRAFT_WARNING_DAYS", default=7)
PRIVACY_ACCESS_LOG_RETENTION_DAYS = env.int("PRIVACY_ACCESS_LOG_RETENTION_DAYS", default=730)
# Office hours for legal deadlines (8 hours a day) and the daily cut-off after which a
# dossier counts from the next working day (research vietnam-domain.md §7.3).
DOSSIER_OFFICE_HOURS = [("07:00", "11:30"), ("13:30", "17:00")]
DOSSIER_CUTOFF = env.str("DOSSIER_CUTOFF", default="15:00")
# Phone photos are reduced to at most this many pixels on the long side.
DOSSIER_IMAGE_MAX_SIDE = env.int("DOSSIER_IMAGE_MAX_SIDE", default=2000)

# --- E-mail -------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="dichvucong@localhost")

# --- Import/export ------------------------------------------------------------------
IMPORT_EXPORT_USE_TRANSACTIONS = True  # a bad row means nothing is imported
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 behaviour now: URLs typed without a scheme get https://
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# --- REST framework ---------------------------------------------------------------
# docs/DECISIONS.md §22: keys with scopes for other systems, the session for the portal's
# own pages; a rate per caller; the service errors answered by field.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.SignedIn", "api.permissions.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.CallerRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_RATE_ANON", default="120/min"),
        "user": env.str("API_RATE_USER", default="600/min"),
        "tracking": env.str("API_RATE_TRACKING", default="30/min"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Decimals (time limits in days, the 766 rates and points) are JSON numbers, as the
    # schema declares them: never "5.00" (DECISIONS). Amounts in đồng are integers.
    "COERCE_DECIMAL_TO_STRING": False,
    "DEFAULT_SCHEMA_CLASS": "api.schema.PortalAutoSchema",
    # OPTIONS: name, description, media types; the shapes are in the OpenAPI schema (api/metadata.py).
    "DEFAULT_METADATA_CLASS": "api.metadata.EndpointMetadata",
    "EXCEPTION_HANDLER": "api.exceptions.handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Cổng dịch vụ công tỉnh",
    "DESCRIPTION": (
        "Danh mục thủ tục hành chính, hồ sơ của công dân, xử lý hồ sơ của cán bộ và báo cáo. "
        "Xác thực bằng phiên đăng nhập của Cổng hoặc khóa API (Authorization: Bearer …) có phạm vi quyền."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# --- Security defaults that hold everywhere -----------------------------------------
# Content-Security-Policy (django-csp; portal/csp.py adds the payment gateway to form-action):
# scripts, styles, images and fonts from the portal only, no inline script or style, no
# plugins, no framing, forms posting to the portal.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # the second factor's QR code is a data: image
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Browser features no page uses (photos are taken with the phone's own camera app).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Catalog search: maximum accepted length of a query string (longer input is cut).
CATALOG_SEARCH_MAX_LENGTH = 200
CATALOG_PAGE_SIZE = 20

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# --- Periodic work (Celery beat; django-celery-beat stores it in the database) ------
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "catalog-activate-due-versions": {
        "task": "procedures.activate_due_versions",
        "schedule": crontab(minute=5, hour=0),
    },
    # Documents whose photos still wait to be combined (their message was lost).
    "documents-requeue-pending": {
        "task": "documents.requeue_pending",
        "schedule": crontab(minute="*/5"),
    },
    # Online payments whose IPN has not come: ask the gateway (querydr).
    "payments-reconcile-pending": {
        "task": "payments.reconcile_pending",
        "schedule": crontab(minute="*/5"),
    },
    # Yesterday's statement from the gateway against the ledger.
    "payments-reconcile-statement": {
        "task": "payments.reconcile_statement",
        "schedule": crontab(minute=0, hour=2),
    },
    # Report facts and rollups of the dossiers that changed (marked in their transaction).
    "reports-refresh": {
        "task": "reports.refresh",
        "schedule": crontab(minute="*"),
    },
    # Notifications whose message was lost (broker down at commit, a worker killed).
    "notifications-sweep": {
        "task": "notifications.sweep",
        "schedule": crontab(minute="*"),
    },
    # Citizens whose supplement is due today or tomorrow.
    "notifications-citizen-reminders": {
        "task": "notifications.citizen_reminders",
        "schedule": crontab(minute=0, hour=8),
    },
    # Dossiers due soon or overdue, to their handler and head, at the start of the day (the
    # tasks skip days off and keep make-up working Saturdays).
    "notifications-officer-deadlines": {
        "task": "notifications.officer_deadlines",
        "schedule": crontab(minute=30, hour=7, day_of_week="1-6"),
    },
    # The day's work e-mails in one, for officers who chose a daily digest, at closing time.
    "notifications-officer-digests": {
        "task": "notifications.officer_digests",
        "schedule": crontab(minute=15, hour=17, day_of_week="1-6"),
    },
    # Pushes to the national portal that are due (new, or their retry time has come).
    "national-push-due": {
        "task": "national.push_due",
        "schedule": crontab(minute="*"),
    },
    # The national procedure package into drafts (when NATIONAL_CATALOG_URL is set).
    "national-catalog-pull": {
        "task": "national.catalog_pull",
        "schedule": crontab(minute=30, hour=1),
    },
    # API answers kept for Idempotency-Key replays live 24 hours.
    "api-purge-idempotency": {
        "task": "api.purge_idempotency",
        "schedule": crontab(minute=15),
    },
    # Retention: abandoned drafts warned and deleted, orphan files, old access records.
    "privacy-purge": {
        "task": "privacy.purge",
        "schedule": crontab(minute=20, hour=3),
    },
}

# --- Payments (VNPay 2.1.0; research payments-reliability-performance.md §1) ---------
# The demo's merchant; production values come from VNPay with the merchant contract.
VNPAY_TMN_CODE = env.str("VNPAY_TMN_CODE", default="DEMO0001")
VNPAY_HASH_SECRET = env.str("VNPAY_HASH_SECRET", default="DEMOSECRETDEMOSECRETDEMOSECRET12")
# Without settings: the sandbox gateway shipped with the portal (python -m payments.sandbox,
# started by `make demo` on port 8099). VNPay's own sandbox: https://sandbox.vnpayment.vn/…
VNPAY_PAYMENT_URL = env.str("VNPAY_PAYMENT_URL", default="http://127.0.0.1:8099/paymentv2/vpcpay.html")
VNPAY_API_URL = env.str("VNPAY_API_URL", default="http://127.0.0.1:8099/merchant_webapi/api/transaction")
VNPAY_API_TIMEOUT = env.float("VNPAY_API_TIMEOUT", default=10.0)
# The daily statement (sao kê) reconciliation reads: ?date=YYYYMMDD gives that day's CSV.
VNPAY_STATEMENT_URL = env.str("VNPAY_STATEMENT_URL", default="http://127.0.0.1:8099/statement")

# Payment method → gateway adapter (payments/gateways.py); another gateway is one more entry.
PAYMENT_GATEWAYS = {"vnpay": "payments.gateways.VNPayGateway"}

# --- Sync with the national portal (Cổng DVCQG; research vietnam-domain.md §2.5) -------
# Off unless enabled. Without addresses it pushes to the portal's own sandbox
# (national.views.sandbox), which checks and records each message like the real one.
NATIONAL_SYNC = {
    "ENABLED": env.bool("NATIONAL_SYNC_ENABLED", default=False),
    "CREATE_URL": env.str("NATIONAL_SYNC_CREATE_URL", default="http://127.0.0.1:8000/hop-cat/dvcqg/them-moi/"),
    "UPDATE_URL": env.str("NATIONAL_SYNC_UPDATE_URL", default="http://127.0.0.1:8000/hop-cat/dvcqg/cap-nhat/"),
    "TOKEN": env.str("NATIONAL_SYNC_TOKEN", default=""),
    "TIMEOUT": env.float("NATIONAL_SYNC_TIMEOUT", default=10.0),
    "SANDBOX": env.bool("NATIONAL_SYNC_SANDBOX", default=True),
}

# The national procedure package (CSDL quốc gia về TTHC), pulled nightly into drafts for
# admins to review and publish; off without a URL.
NATIONAL_CATALOG = {
    "URL": env.str("NATIONAL_CATALOG_URL", default=""),
    "TOKEN": env.str("NATIONAL_CATALOG_TOKEN", default=""),
    "TIMEOUT": env.float("NATIONAL_CATALOG_TIMEOUT", default=60.0),
}

# --- Notifications ------------------------------------------------------------------
# SMS: notifications.sms.ConsoleBackend (log), .FileBackend (SMS_FILE_PATH) or
# .HttpBackend (an SMS gateway: SMS_GATEWAY_URL, SMS_GATEWAY_BODY, SMS_GATEWAY_AUTHORIZATION).
SMS_BACKEND = env.str("SMS_BACKEND", default="notifications.sms.ConsoleBackend")
SMS_FILE_PATH = env.str("SMS_FILE_PATH", default=str(VAR_DIR / "sms.log"))
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_BODY = env.str("SMS_GATEWAY_BODY", default="")
SMS_GATEWAY_AUTHORIZATION = env.str("SMS_GATEWAY_AUTHORIZATION", default="")
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=10.0)
NOTIFICATIONS_SMS_ASCII = env.bool("NOTIFICATIONS_SMS_ASCII", default=True)  # SMS without diacritics
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=6)
NOTIFICATIONS_POLL_SECONDS = env.int("NOTIFICATIONS_POLL_SECONDS", default=60)
# A worker's claim on a notification; another may take it over after this (it died).
NOTIFICATIONS_LEASE_SECONDS = env.int("NOTIFICATIONS_LEASE_SECONDS", default=120)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
