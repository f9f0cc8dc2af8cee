"""Settings for the catalog benchmarks: production-like, PostgreSQL only.

The portal's own settings plus DEBUG off (no query log, cached templates), the
benchmark URLconf (portal URLs + the bare comparison view) and quiet logging so
that log output does not take part in the measurement.
"""

from django.core.exceptions import ImproperlyConfigured

from portal.settings.base import *  # noqa: F403
from portal.settings.base import DATABASES

if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured(
        "The benchmarks need PostgreSQL: set DATABASE_URL, e.g. "
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_province"
    )

DEBUG = False
ROOT_URLCONF = "benchmarks.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", "[::1]"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
    # 404s of the "not found" scenario would otherwise be logged as warnings.
    "loggers": {"django.request": {"level": "ERROR"}, "django.db.backends": {"level": "ERROR"}},
}

# The load test's simulated users all come from 127.0.0.1: the per-address limits
# (django-ratelimit on tracking, registration, login) would throttle them as one visitor,
# so they are off for it; it measures capacity, not the limits (tests cover those).
import os  # noqa: E402

if os.environ.get("BENCH_LOADTEST") == "1":
    RATELIMIT_ENABLE = False
