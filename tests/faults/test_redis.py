"""Redis killed while citizens submit through the pages: Redis is the broker and the cache.

Already covered beside this file: ``tests/notifications/test_worker.py`` submits 100 dossiers
through the service with a private Redis stopped, then sweeps (300 notifications, each sent
once), and kills a worker in the middle of an SMS send. Here Redis dies with SIGKILL in the
middle of a run of submissions made through the real pages, taking the delivery messages it
held with it; the pages (which read the cache) keep answering while it is down; after it
comes back, the sweeper and a real worker deliver every notification exactly once.
"""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.test import Client
from django.urls import reverse

from dossiers.constants import Status
from dossiers.models import Dossier
from dossiers.services import required_documents_for
from notifications import services as notification_services
from notifications.constants import Channel, State
from notifications.models import Notification
from portal import queueing
from portal.celery import app
from tests.dossiers import files
from tests.dossiers.staff import version_for
from tests.factories import AgencyFactory, CitizenFactory
from tests.notifications.helpers import sms_lines
from tests.notifications.workers import wait_for

pytestmark = [pytest.mark.slow, pytest.mark.faults]

PER_PHASE = 8  # citizens submitting with Redis up, with Redis killed, with Redis back


def _submit_through_the_pages(version) -> tuple[Dossier, float]:
    """A new citizen starts, fills in, attaches and submits a dossier with the real views;
    returns the dossier and the slowest request's time."""
    citizen = CitizenFactory()
    client = Client()
    client.force_login(citizen)
    slowest = 0.0

    def timed(call, *args, **kwargs):
        nonlocal slowest
        started = time.monotonic()
        response = call(*args, **kwargs)
        slowest = max(slowest, time.monotonic() - started)
        return response

    response = timed(client.get, reverse("dossiers:start", args=[version.procedure.national_code]))
    assert response.status_code == 302, response.content[:300]
    dossier = Dossier.objects.get(owner=citizen, procedure_version=version)
    payload = {
        "applicant_name": dossier.applicant_name,
        "applicant_id_number": dossier.applicant_id_number,
        "applicant_phone": dossier.applicant_phone,
        "applicant_address": "Thôn 3, xã Hoằng Tiến",
        "f_noi_dung": "Cấp bản sao trích lục",
        "op": "submit",
    }
    for doc in required_documents_for(dossier):
        if doc.required:
            payload[f"file_{doc.pk}"] = [files.pdf()]
    response = timed(client.post, reverse("dossiers:edit", args=[dossier.public_id]), payload)
    assert response.status_code == 302 and response["Location"].endswith("/da-nop/"), response.content[:500]
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED and dossier.code
    # Their own pages while they are at it: the list of dossiers, the notifications, tracking.
    for url in (reverse("dossiers:mine"), reverse("dossiers:detail", args=[dossier.public_id]), "/thong-bao/"):
        response = timed(client.get, url)
        assert response.status_code == 200, (url, response.status_code)
    tracked = timed(Client().get, reverse("dossiers:track"), {"ma": dossier.code, "so": citizen.national_id[-4:]})
    assert tracked.status_code == 200 and dossier.code in tracked.content.decode()
    return dossier, slowest


def _public_pages_answer(version) -> float:
    """The pages that read the cache (home, catalog search, a procedure page) answer; the
    slowest one's time."""
    slowest = 0.0
    visitor = Client()
    for url in ("/", "/thu-tuc/?q=trich+luc", version.procedure.get_absolute_url()):
        started = time.monotonic()
        response = visitor.get(url)
        slowest = max(slowest, time.monotonic() - started)
        assert response.status_code == 200, (url, response.status_code)
    return slowest


def test_redis_killed_while_citizens_submit_through_the_pages(
    transactional_db,
    needs_postgres_and_redis,
    not_eager,
    db_closing_worker_hooks,
    redis_of_our_own,
    channels_to_memory,
):
    redis = redis_of_our_own
    agency = AgencyFactory()  # no officers there: the citizens' notifications alone (3 a dossier)
    version = version_for(agency, name="Cấp bản sao trích lục hộ tịch")

    before = [_submit_through_the_pages(version) for _ in range(PER_PHASE)]  # messages wait on Redis
    _public_pages_answer(version)
    redis.kill()  # SIGKILL, nothing saved: the messages of those eight commits die with it

    down = [_submit_through_the_pages(version) for _ in range(PER_PHASE)]
    slowest_while_down = max(max(s for _, s in down), _public_pages_answer(version))
    # Not held by the outage: one failed connection, then the 5 s pause (portal.queueing).
    assert slowest_while_down < 3.0, slowest_while_down

    redis.start()  # back, empty
    queueing._paused_until = 0.0  # as 5 s later
    after = [_submit_through_the_pages(version) for _ in range(PER_PHASE)]  # queued on the new Redis
    dossiers = [d for d, _ in before + down + after]
    rows = Notification.objects.filter(dossier__in=dossiers)
    assert rows.count() == 3 * len(dossiers)  # in-app, e-mail, SMS each: the outbox has them all
    assert not rows.exclude(state=State.PENDING).exists()  # no worker yet

    with start_worker(app, queues=["notifications"], perform_ping_check=False, shutdown_timeout=30):
        latest = rows.order_by("-next_attempt_at").first().next_attempt_at
        later = latest + notification_services.SWEEP_GRACE * 2
        swept = notification_services.notifications_sweep(now=later)  # what beat runs every minute
        wait_for(lambda: not rows.exclude(state=State.SENT).exists(), timeout=120, what="every notification sent")
        assert notification_services.notifications_sweep(now=later) == 0
    # The sweep found at least the 2 × 8 dossiers' rows whose messages were lost or never sent
    # (and perhaps some of the last eight not yet taken by the worker: claimed once all the same).
    assert swept >= 3 * 2 * PER_PHASE

    # Exactly once at each sink: the e-mail outbox, the SMS file, the in-app list.
    emails = [m.extra_headers["X-Notification-Id"] for m in mail.outbox]
    texts = [t["reference"] for t in sms_lines(channels_to_memory)]
    expected_email = {str(n.public_id) for n in rows.filter(channel=Channel.EMAIL)}
    expected_sms = {str(n.public_id) for n in rows.filter(channel=Channel.SMS)}
    assert sorted(emails) == sorted(expected_email) and len(emails) == len(dossiers)
    assert sorted(texts) == sorted(expected_sms) and len(texts) == len(dossiers)
    assert set(rows.values_list("attempts", flat=True)) == {1}
    for dossier in dossiers:
        assert dossier.notifications.get(channel=Channel.IN_APP).state == State.SENT

    lost = len(dossiers) - Dossier.objects.filter(pk__in=[d.pk for d in dossiers], status=Status.SUBMITTED).count()
    undelivered = rows.exclude(state=State.SENT).count()
    print(
        f"\nRedis killed mid-run: {len(dossiers)} submissions through the pages ({PER_PHASE} with Redis down), "
        f"{rows.count()} notifications, {swept} re-queued by the sweeper, {len(emails)} e-mails and "
        f"{len(texts)} SMS (one each), slowest request while down {slowest_while_down:.2f} s; "
        f"lost: {lost} dossiers, {undelivered} notifications"
    )
    assert lost == 0 and undelivered == 0  # what was lost: nothing
