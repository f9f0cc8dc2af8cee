"""Fault tests: real services of the test's own (a Redis, a PostgreSQL, Celery workers, the
payment sandbox) that a test stops, kills or restarts, while the machine's PostgreSQL and
Redis, which other tests use, are never touched.

Each test ends with what was lost, asserted: nothing.
"""

import pytest
from django.conf import settings
from django.db import connection

from payments.sandbox.server import Gateway
from tests.notifications.workers import broker_at
from tests.payments.sandbox import serving


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)


@pytest.fixture
def needs_postgres_and_redis():
    """A worker process shares the test database, so it must be PostgreSQL; Redis is the broker."""
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("needs PostgreSQL and Redis (DATABASE_URL=postgres://…, REDIS_URL=redis://…)")


@pytest.fixture
def redis_of_our_own(private_redis, settings):
    """The broker (database 0) and the cache (database 1) on the private Redis, for this test."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{private_redis.port}/1"},
    }
    with broker_at(private_redis.url):
        yield private_redis


@pytest.fixture
def channels_to_memory(settings, tmp_path):
    """E-mail to Django's outbox, SMS to a file of this test (the sinks deliveries are counted at)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "notifications.sms.FileBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.log")
    return tmp_path / "sms.log"


@pytest.fixture
def worker_env(tmp_path):
    """The environment of a ``celery worker`` process on the test database and a given Redis."""

    def env(redis_url: str, **extra: str) -> dict:
        return {
            "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict),
            "REDIS_URL": redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
            **extra,
        }

    return env


class SlowGateway(Gateway):
    """The sandbox, answering each transaction query after ``delay`` seconds (and noting it)."""

    delay = 0.0

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.queried: list[str] = []

    def api(self, body: dict) -> dict:
        if body.get("vnp_Command") == "querydr":
            self.queried.append(str(body.get("vnp_TxnRef")))
            self.closing.wait(self.delay)  # cut short when the test ends
        return super().api(body)


@pytest.fixture
def slow_sandbox(settings, tmp_path):
    gateway = SlowGateway(
        tmn_code=settings.VNPAY_TMN_CODE,
        secret=settings.VNPAY_HASH_SECRET,
        ipn_url="http://127.0.0.1:9/never",  # the IPNs are lost: only the query can tell
        statement_dir=tmp_path / "statements",
        ipn_attempts=1,
    )
    with serving(gateway, settings):  # a query still being answered is waited for
        yield gateway
