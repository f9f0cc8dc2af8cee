"""The settings the test suite runs with: the portal's own (``portal.settings.base``), with
each pytest-xdist worker on its own pair of Redis databases (broker, cache), so one
worker's emptied cache, rate-limit counters or Celery queue never reach another's tests.
PostgreSQL needs nothing: pytest-django gives each worker its own test database."""

import os

_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
_url = os.environ.get("REDIS_URL", "")
# Once per worker: the Celery workers and servers the tests start inherit the environment
# (and these settings), and must use the worker's databases as they are, not shift again.
if _worker.startswith("gw") and _url and not os.environ.get("PORTAL_TEST_REDIS_FOR"):
    _base, _, _db = _url.rstrip("/").rpartition("/")
    if _db.isdigit():
        os.environ["REDIS_URL"] = f"{_base}/{(int(_db) + 2 * (int(_worker[2:]) + 1)) % 16}"
    os.environ["PORTAL_TEST_REDIS_FOR"] = _worker

from portal.settings.base import *  # noqa: E402, F403

# On the embedded default the tests use a database file in WAL mode, as `make demo` does
# (an in-memory database is one connection that every thread shares, so it would hide
# how the server's threads and the tests' own processes contend for the file). One file
# per process (pytest-django adds the xdist worker's suffix); Django removes it at the end.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"portal-test-{os.getpid()}.sqlite3")
    }
