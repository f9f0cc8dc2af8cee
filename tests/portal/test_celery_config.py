"""The Celery app: reliability settings, queues and routes, beat, and one real worker.

Settings read ``REDIS_URL`` when they are imported, so the broker and
``task_always_eager`` are fixed for the whole test session: without Redis every
task runs eagerly in-process and the real-worker test is skipped (with its reason
in the summary); with ``REDIS_URL`` set it starts a worker against that Redis.
"""

import datetime
import threading
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.db import connections
from django.utils import timezone

from portal.celery import app
from procedures import services
from procedures.models import ProcedureVersion
from tests.factories import published_version

QUEUES = {"default", "notifications", "payments", "documents"}


@pytest.fixture(scope="module")
def tasks():
    """Registered task names, after importing every app's tasks.py (autodiscovery)."""
    app.loader.import_default_modules()
    return set(app.tasks)


def test_acknowledgement_and_prefetch():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is False  # no redelivery loops
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_ignore_result is True


def test_time_limits_and_visibility_timeout():
    hard, soft = app.conf.task_time_limit, app.conf.task_soft_time_limit
    assert hard and soft
    assert 0 < soft < hard
    broker_vt = app.conf.broker_transport_options["visibility_timeout"]
    backend_vt = app.conf.result_backend_transport_options["visibility_timeout"]
    # A late-acked task still running when the visibility timeout expires is delivered again.
    assert broker_vt > hard
    assert backend_vt > hard
    # The three must agree (Celery's Redis docs): the shortest one would win.
    assert broker_vt == backend_vt == app.conf.visibility_timeout
    assert app.conf.broker_transport_options["socket_timeout"] > 0
    assert app.conf.broker_transport_options["socket_connect_timeout"] > 0
    assert 0 < app.conf.worker_soft_shutdown_timeout < hard
    assert app.conf.worker_max_tasks_per_child >= 1000
    assert app.conf.worker_max_memory_per_child


def test_four_queues_declared():
    assert {q.name for q in app.conf.task_queues} == QUEUES
    assert set(settings.CELERY_TASK_QUEUES_NAMES) == QUEUES
    assert app.conf.task_default_queue == "default"


@pytest.mark.parametrize(
    "task_name,queue",
    [
        ("notifications.send_email", "notifications"),
        ("payments.reconcile", "payments"),
        ("documents.render_receipt", "documents"),
        ("procedures.activate_due_versions", "default"),
    ],
)
def test_routes(task_name, queue):
    route = app.amqp.router.route({}, task_name)
    assert route["queue"].name == queue


def test_time_zone_matches_django():
    assert app.conf.timezone == settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert app.conf.enable_utc is True


def test_beat_uses_the_database_scheduler():
    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"


def test_beat_schedule_names_registered_tasks(tasks):
    schedule = app.conf.beat_schedule
    assert schedule, "the beat schedule is empty"
    for key, entry in schedule.items():
        assert entry["task"] in tasks, f"beat entry {key!r} names an unknown task {entry['task']!r}"


def test_activate_due_versions_is_registered(tasks):
    assert "procedures.activate_due_versions" in tasks


@pytest.mark.django_db(transaction=True)  # the scheduler commits and closes connections itself
def test_database_scheduler_installs_the_schedule(tasks):
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler

    scheduler = DatabaseScheduler(app=app)
    scheduler._finalize.cancel()  # no sync at interpreter exit, after the test database is gone
    row = PeriodicTask.objects.get(name="catalog-activate-due-versions")
    assert row.task == "procedures.activate_due_versions"
    assert row.enabled
    assert (row.crontab.minute, row.crontab.hour) == ("5", "0")
    assert str(row.crontab.timezone) == "Asia/Ho_Chi_Minh"


@pytest.mark.slow
@pytest.mark.skipif(
    not settings.REDIS_URL,
    reason="needs Redis: set REDIS_URL=redis://… to run a real Celery worker (tasks run eagerly without it)",
)
def test_real_worker_runs_activate_due_versions(transactional_db, not_eager, tasks):
    """Publish → broker (Redis) → worker thread → service → database, not eager."""
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    old = published_version(effective_from=yesterday)
    draft = services.version_create_draft(procedure=old.procedure)
    # Published yesterday with effective date today: not in force until the daily task runs.
    new = services.version_publish(version=draft, effective_from=today, today=yesterday)
    assert not new.is_current
    assert ProcedureVersion.objects.get(pk=old.pk).is_current

    # A queue of our own, so that the worker cannot take anybody else's messages.
    queue = f"test-worker-{uuid.uuid4().hex[:12]}"
    done = threading.Event()
    seen = {}

    def on_postrun(sender=None, task_id=None, retval=None, state=None, **kwargs):
        # Runs in the worker thread: close its database connections so that the
        # test database can be flushed and dropped afterwards.
        connections.close_all()
        if sender is not None and sender.name == "procedures.activate_due_versions":
            seen[task_id] = (state, retval)
            done.set()

    task_postrun.connect(on_postrun, weak=False)
    consume_from = app.amqp.queues._consume_from
    try:
        with start_worker(app, queues=[queue], perform_ping_check=False, shutdown_timeout=30):
            result = app.tasks["procedures.activate_due_versions"].apply_async(queue=queue)
            assert done.wait(timeout=60), "the worker did not run the task within 60 s"
    finally:
        task_postrun.disconnect(on_postrun)
        app.amqp.queues._consume_from = consume_from
        with app.connection() as conn:
            # Declaring in this channel records the binding, so that delete() also
            # removes kombu's binding keys from Redis, not only the list.
            bound = app.amqp.queues[queue](conn.default_channel)
            bound.declare()
            bound.delete()

    assert seen == {result.id: ("SUCCESS", 1)}
    assert ProcedureVersion.objects.get(pk=new.pk).is_current
    assert not ProcedureVersion.objects.get(pk=old.pk).is_current
