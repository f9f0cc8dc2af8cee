import os

import pytest
from django.db import connection

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    unexplained = []
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
        if (marker := item.get_closest_marker("postgres")) is not None:
            reason = postgres_reason(marker)
            if not reason:
                unexplained.append(item.nodeid)
            elif connection.vendor != "postgresql":
                item.add_marker(pytest.mark.skip(reason=f"needs PostgreSQL (DATABASE_URL=postgres://…): {reason}"))
    if unexplained:
        raise pytest.UsageError(
            "@pytest.mark.postgres needs the reason, what PostgreSQL has that SQLite lacks: "
            '@pytest.mark.postgres(reason="…"): ' + ", ".join(unexplained)
        )


def postgres_reason(marker) -> str:
    """The reason of ``@pytest.mark.postgres(reason="…")``: which PostgreSQL feature the test
    exercises that the embedded default (SQLite) lacks; the skip on SQLite says it."""
    return str(marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")).strip()


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """``client.force_login(officer)`` logs in as after the password and the authenticator's
    code: the second factor is required in tests as in production
    (tests/accounts/test_second_factor.py tries it; ``login_without_second_factor`` skips this)."""
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        from accounts import second_factor

        if second_factor.required_for(user):
            from tests.second_factor import verify_session

            verify_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)
    monkeypatch.setattr(Client, "force_login_password_only", original, raising=False)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing costs ~0.5 s per user; tests only need the check to work."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_files_in_tmp(tmp_path, settings):
    """Uploaded and generated files go to a per-test folder, never into var/."""
    from dossiers.storage import private_storage

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    private_storage.cache_clear()
    yield
    private_storage.cache_clear()


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    """Celery tasks run in-process (eager) in every test, with or without REDIS_URL.

    A test that wants the broker path starts a real worker on a queue of its own and
    turns this off for itself (``not_eager`` below);
    nothing else may leave messages in the machine's Redis for a later worker to find.
    """
    from portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _broker_not_paused():
    """``portal.queueing`` stops publishing for a few seconds after a broker failure, per
    process: a test that made the broker fail must not silence the next test's queueing."""
    from portal import queueing

    queueing._paused_until = 0.0
    yield
    queueing._paused_until = 0.0


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches (page bodies, whole public pages, rate-limit counters)."""
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def not_eager():
    """Tasks go to the broker in this test (a real worker runs them), not in-process."""
    from portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def db_closing_worker_hooks():
    """A worker's database connections are closed after each task, so that the test
    database can be flushed afterwards."""
    from celery.signals import task_postrun
    from django.db import connections

    def close(**kwargs):
        connections.close_all()

    task_postrun.connect(close, weak=False)
    yield
    task_postrun.disconnect(close)


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of this test's own (tests/notifications/workers.py), stopped after it."""
    from tests.notifications.workers import PrivateRedis

    (tmp_path / "redis").mkdir()
    redis = PrivateRedis(tmp_path / "redis").start()
    yield redis
    redis.stop()


@pytest.fixture
def fixed_rate_window(monkeypatch):
    """Freeze django-ratelimit's clock: its windows are fixed, so a burst of requests
    that straddles a window's end would otherwise be split and never reach the limit."""
    import types

    import django_ratelimit.core

    monkeypatch.setattr(django_ratelimit.core, "time", types.SimpleNamespace(time=lambda: 1_800_000_000.0))


@pytest.fixture
def own_connections(transactional_db):
    """For a test whose threads each open their own connection and contend for the same
    rows. On PostgreSQL they wait on row locks; on the embedded default (SQLite) on the
    write lock each transaction takes when it begins (BEGIN IMMEDIATE, with a busy timeout:
    DECISIONS §33), which holds for a database file, as the demo's and the tests' are
    (tests/settings.py); an in-memory one fails at once with "database table is locked"."""
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db(), "threads need the SQLite test database as a file (tests/settings.py)"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A cheap phone: 360×740 viewport, touch, Vietnamese locale."""
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _live_server_answers_before_the_flush(request):
    """A test that uses the live server ends only once the server has answered every request
    made to it (tests/live_server.py): nothing it started writes after the test's end."""
    if "live_server" not in request.fixturenames:
        yield
        return
    from tests.live_server import answering

    requests = answering(request.getfixturevalue("live_server"))
    yield
    assert requests.wait(timeout=30), f"the live server was still answering {requests.count} request(s) 30 s on"
