"""Delivery through real Celery workers on a real Redis (not eager), and its faults:
Redis down while citizens submit, a worker killed with SIGKILL in the middle of a send.

Each test says what was lost: nothing, and nothing is sent twice."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.db import connection

from notifications import services
from notifications.constants import Channel, State
from notifications.models import ChannelPreference, Notification
from portal import queueing
from portal.celery import app
from tests.dossiers.staff import submitted_dossier
from tests.factories import AgencyFactory, CitizenFactory
from tests.notifications.gateway import Gateway
from tests.notifications.workers import broker_at, kill, wait_for, worker_process

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not settings.REDIS_URL,
        reason="needs Redis: set REDIS_URL=redis://… to run real Celery workers (tasks run eagerly without it)",
    ),
]


def _purge(queue: str) -> None:
    with app.connection() as conn:
        bound = app.amqp.queues[queue](conn.default_channel)
        bound.declare()
        bound.purge()


def _all_sent(qs) -> bool:
    return not qs.exclude(state=State.SENT).exists()


def test_a_real_worker_delivers_every_channel_once(transactional_db, not_eager, db_closing_worker_hooks):
    agency = AgencyFactory()  # no officers there: the citizen's notifications alone
    _purge("notifications")
    with start_worker(app, queues=["notifications"], perform_ping_check=False, shutdown_timeout=30):
        dossier = submitted_dossier(agency)  # committed: rows written, tasks on Redis
        rows = Notification.objects.filter(dossier=dossier)
        assert rows.count() == 3
        wait_for(lambda: _all_sent(rows), timeout=60, what="the worker to deliver the three notifications")
    assert [n.attempts for n in rows] == [1, 1, 1]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [dossier.owner.email]


def test_redis_down_while_100_dossiers_are_submitted_loses_nothing_and_sends_once(
    transactional_db, not_eager, db_closing_worker_hooks, private_redis, settings, tmp_path
):
    from tests.notifications.helpers import sms_lines

    agency = AgencyFactory()  # no officers there: the citizen's notifications alone
    with broker_at(private_redis.url):
        private_redis.stop()  # Redis is down
        dossiers = [submitted_dossier(agency) for _ in range(100)]
        assert len({d.code for d in dossiers}) == 100 and all(d.status == 1 for d in dossiers)
        rows = Notification.objects.filter(dossier__in=dossiers)
        assert rows.count() == 300 and not rows.exclude(state=State.PENDING).exists()

        private_redis.start()  # Redis is back, empty: the messages of those commits never got there
        queueing._paused_until = 0.0  # as 5 s later (the autouse fixture resets it after the test)
        with start_worker(app, queues=["notifications"], perform_ping_check=False, shutdown_timeout=30):
            later = rows.order_by("-next_attempt_at").first().next_attempt_at + services.SWEEP_GRACE * 2
            assert services.notifications_sweep(now=later) == 300  # what beat runs every minute
            wait_for(lambda: _all_sent(rows), timeout=120, what="300 notifications to be delivered")
            # A second sweep (the next minute) finds nothing left to do.
            assert services.notifications_sweep(now=later) == 0
    assert sorted(set(rows.values_list("attempts", flat=True))) == [1]
    emails = [m.extra_headers["X-Notification-Id"] for m in mail.outbox]
    assert len(emails) == 100 == len(set(emails))
    texts = sms_lines(tmp_path / "sms.log")
    assert len(texts) == 100 == len({t["reference"] for t in texts})
    for dossier in dossiers:
        assert dossier.notifications.get(channel=Channel.IN_APP).state == State.SENT


def test_a_worker_killed_while_sending_leads_to_no_duplicate_and_no_loss(
    transactional_db, not_eager, private_redis, tmp_path
):
    gateway = Gateway(mode="slow", delay=30).start()
    env = {
        "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict),
        "REDIS_URL": private_redis.url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "SMS_BACKEND": "notifications.sms.HttpBackend",
        "SMS_GATEWAY_URL": gateway.url,
        "SMS_GATEWAY_TIMEOUT": "40",
        "NOTIFICATIONS_LEASE_SECONDS": "3",
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
    }
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the worker process shares the test database")
    agency = AgencyFactory()  # no officers there: the citizen's notifications alone
    citizen = CitizenFactory()
    ChannelPreference.objects.create(user=citizen, email=False, sms=True)
    first = worker_process(env=env, queues="notifications", log=tmp_path / "worker-1.log")
    second = None
    try:
        with broker_at(private_redis.url):
            dossier = submitted_dossier(agency, citizen=citizen)
            sms = Notification.objects.get(dossier=dossier, channel=Channel.SMS)
            try:
                wait_for(lambda: gateway.received, timeout=60, what="the first worker to call the gateway")
            except AssertionError as exc:  # say where it stood, for whoever reads the failure
                sms.refresh_from_db()
                log = (tmp_path / "worker-1.log").read_text(errors="replace")[-3000:]
                raise AssertionError(f"{exc}; SMS row {sms.state}/{sms.attempts}; worker log:\n{log}") from exc
            kill(first)  # SIGKILL in the middle of the send: the gateway has it, we never heard back
            sms.refresh_from_db()
            assert (sms.state, sms.attempts) == (State.SENDING, 1)

            gateway.mode = "ok"
            second = worker_process(env=env, queues="notifications", log=tmp_path / "worker-2.log")
            wait_for(
                lambda: services.notifications_sweep() > 0,  # once the dead worker's lease has run out
                timeout=60,
                every=0.5,
                what="the sweeper to re-queue the abandoned notification",
            )
            wait_for(
                lambda: Notification.objects.get(pk=sms.pk).state == State.SENT,
                timeout=60,
                what="the second worker to deliver it",
            )
    finally:
        kill(first)
        if second is not None:
            kill(second)
        gateway.stop()
    sms.refresh_from_db()
    assert sms.attempts == 2
    # Sent twice to the gateway with the same key, kept once: the citizen gets one SMS.
    assert [r["_key"] for r in gateway.received] == [str(sms.public_id)] * 2
    assert list(gateway.accepted) == [str(sms.public_id)]
    assert Notification.objects.get(dossier=dossier, channel=Channel.IN_APP).state == State.SENT
