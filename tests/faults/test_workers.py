"""A Celery worker process killed with SIGKILL in the middle of a task: payments
reconciliation (querydr against the VNPay sandbox, answering slowly) and the combining of a
document's photos into one PDF. A new worker and the task's own recovery (beat's next
``payments.reconcile_pending``, ``documents.requeue_pending``) finish the work: no payment
credited twice or lost, the document there once, a valid PDF.

Already covered beside this file: ``tests/notifications/test_worker.py`` kills a worker in
the middle of an SMS send (sent again with the same key, kept once by the gateway).
"""

import datetime
import time
import urllib.request

import psycopg2
import pypdf
import pytest
from django.db import connection
from django.utils import timezone

from dossiers import processing
from dossiers import services as dossier_services
from dossiers.constants import Status
from dossiers.models import DossierDocument, StatusChange, StoredFile
from payments import selectors as payment_selectors
from payments import services as payment_services
from payments.constants import AttemptState
from payments.models import AttemptChange, PaymentAttempt
from payments.tasks import reconcile_pending
from portal.queueing import enqueue
from procedures.models import ProcedureVersion
from tests.dossiers import files
from tests.dossiers.staff import agency_staff, dossier_at, version_for
from tests.factories import CitizenFactory
from tests.notifications.workers import broker_at, kill, wait_for, worker_process
from tests.payments.test_sandbox import choose
from tests.payments.test_views import FEES

pytestmark = [pytest.mark.slow, pytest.mark.faults]


def paid_with_the_ipn_lost(staff, version, gateway):
    """A dossier waiting for its fee (status 6) whose citizen paid at the gateway 20 minutes
    ago; the IPN never came, so the ledger still says pending."""
    dossier = dossier_at(staff, "specialist", version=version)
    processing.dossier_act(dossier=dossier, action="request_payment", actor=staff.specialist)
    due = payment_selectors.payment_due(dossier)
    attempt, url = payment_services.payment_start(
        dossier=dossier, due=due, payer=dossier.owner, ip_address="127.0.0.1", return_url="http://127.0.0.1:9/"
    )
    urllib.request.urlopen(url, timeout=10).read()  # the citizen on the gateway's page
    choose(gateway, attempt, "lost_ipn")  # paid; the IPN lost
    PaymentAttempt.objects.filter(pk=attempt.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=20))
    return dossier, attempt


def test_a_worker_killed_during_reconciliation_credits_each_payment_once(
    transactional_db, needs_postgres_and_redis, not_eager, private_redis, slow_sandbox, worker_env, settings, tmp_path
):
    began = time.monotonic()
    staff = agency_staff()
    version = version_for(staff.agency, level=4, fees=FEES)
    ProcedureVersion.objects.filter(pk=version.pk).update(fee_collection="after")
    version = ProcedureVersion.objects.get(pk=version.pk)
    paid = [paid_with_the_ipn_lost(staff, version, slow_sandbox) for _ in range(4)]
    attempts = [a for _, a in paid]
    assert all(a.state == AttemptState.PENDING for a in PaymentAttempt.objects.filter(pk__in=[a.pk for a in attempts]))

    env = worker_env(
        private_redis.url,
        VNPAY_API_URL=settings.VNPAY_API_URL,
        VNPAY_PAYMENT_URL=settings.VNPAY_PAYMENT_URL,
        VNPAY_API_TIMEOUT="30",
    )
    slow_sandbox.delay = 3.0
    first = worker_process(env=env, queues="payments", log=tmp_path / "worker-1.log")
    second = None
    try:
        with broker_at(private_redis.url):
            assert enqueue(reconcile_pending)  # what beat sends every five minutes
            open_attempts = PaymentAttempt.objects.filter(pk__in=[a.pk for a in attempts], state=AttemptState.PENDING)
            wait_for(lambda: open_attempts.count() == 3, timeout=90, what="the first worker to credit one payment")
            wait_for(lambda: len(slow_sandbox.queried) >= 2, timeout=30, what="the second query to be asked")
            kill(first)  # SIGKILL while it waits for the gateway's answer about the second payment
            credited_before_the_kill = 4 - open_attempts.count()
            assert credited_before_the_kill == 1

            slow_sandbox.delay = 0.0
            second = worker_process(env=env, queues="payments", log=tmp_path / "worker-2.log")
            assert enqueue(reconcile_pending)  # beat's next run
            wait_for(lambda: not open_attempts.exists(), timeout=90, what="the second worker to credit the rest")
            # The dead worker's message comes back after the visibility timeout: run it again now.
            assert enqueue(reconcile_pending)
            log = tmp_path / "worker-2.log"
            wait_for(
                lambda: log.read_text(errors="replace").count("payments.reconcile_pending") >= 4,
                timeout=60,
                what="the repeated run to end (two received, two succeeded)",
            )  # it finds nothing open: no query
    finally:
        kill(first)
        if second is not None:
            kill(second)

    credits, double = 0, 0
    for dossier, attempt in paid:
        successes = AttemptChange.objects.filter(attempt=attempt, to_state=AttemptState.SUCCEEDED).count()
        confirmations = StatusChange.objects.filter(dossier=dossier, action="payment_confirmed").count()
        dossier.refresh_from_db()
        assert PaymentAttempt.objects.get(pk=attempt.pk).state == AttemptState.SUCCEEDED
        assert (successes, confirmations) == (1, 1)
        assert dossier.status == Status.PROCESSING
        assert payment_selectors.paid_amount(dossier) == attempt.amount  # the ledger counts the money once
        assert payment_selectors.payment_due(dossier) is None
        assert slow_sandbox.transactions[attempt.txn_ref].refunded == 0
        credits += successes
        double += successes - 1
    lost = sum(1 for _, a in paid if PaymentAttempt.objects.get(pk=a.pk).state != AttemptState.SUCCEEDED)
    print(
        f"\nWorker killed during reconciliation: 4 payments with their IPN lost, worker 1 killed after crediting "
        f"{credited_before_the_kill} and while asking about the second, {len(slow_sandbox.queried)} queries in all "
        f"(three runs), {credits} credits; credited twice: {double}, lost: {lost}; "
        f"{time.monotonic() - began:.0f} s"
    )
    assert double == 0 and lost == 0  # what was lost: nothing, and nothing counted twice


def test_a_worker_killed_while_combining_photos_leaves_one_valid_pdf(
    transactional_db, needs_postgres_and_redis, not_eager, private_redis, worker_env, settings, tmp_path
):
    began = time.monotonic()
    staff = agency_staff()
    version = version_for(staff.agency)
    owner = CitizenFactory()
    citizen_dossier = dossier_services.dossier_start(user=owner, version=version, agency=staff.agency)
    dossier_services.dossier_save_draft(
        dossier=citizen_dossier,
        actor=owner,
        applicant={"applicant_address": "Thôn 3, xã Hoằng Tiến"},
        answers={"noi_dung": "Cấp bản sao trích lục"},
    )
    photos = [files.photo(f"{n}.jpg", size=(1600, 1200)) for n in range(3)]
    required = [d for d in dossier_services.required_documents_for(citizen_dossier) if d.required]
    dossier_services.document_add_files(
        dossier=citizen_dossier, required_document=required[0], files=photos, actor=owner
    )
    for doc in required[1:]:
        dossier_services.document_add_files(
            dossier=citizen_dossier, required_document=doc, files=[files.pdf()], actor=owner
        )
    document = DossierDocument.objects.get(dossier=citizen_dossier, required_document=required[0])
    wallet = settings.PRIVATE_MEDIA_ROOT / "wallet" / str(owner.pk)
    uploaded = set(wallet.glob("*.pdf"))  # the other documents' PDFs, sent as they are

    def combined() -> list:
        return sorted(set(wallet.glob("*.pdf")) - uploaded)

    blocker = psycopg2.connect("postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict))
    env = worker_env(private_redis.url)
    first = second = None
    try:
        with broker_at(private_redis.url):
            dossier_services.dossier_submit(dossier=citizen_dossier, actor=owner)  # queues the combining on commit
            # Another session locks the wallet table against writes (reads go on), so the
            # worker's INSERT of the wallet item waits: the PDF is on disk, its row not
            # committed, when the worker dies.
            with blocker.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {StoredFile._meta.db_table} IN SHARE MODE")
            first = worker_process(env=env, queues="documents", log=tmp_path / "worker-1.log")
            wait_for(combined, timeout=90, what="the first worker to write the combined PDF")
            time.sleep(0.5)  # blocked on the row: the file written, nothing committed
            kill(first)
            blocker.rollback()
            document.refresh_from_db()
            assert document.render_state == DossierDocument.RenderState.PENDING and document.stored_file_id is None
            left_behind = len(combined())
            assert left_behind == 1

            second = worker_process(env=env, queues="documents", log=tmp_path / "worker-2.log")
            later = timezone.now() + datetime.timedelta(minutes=10)
            assert dossier_services.documents_requeue_pending(now=later) == 1  # beat's documents sweeper
            wait_for(
                lambda: DossierDocument.objects.get(pk=document.pk).render_state == DossierDocument.RenderState.READY,
                timeout=90,
                what="the second worker to combine the photos",
            )
            assert dossier_services.documents_requeue_pending(now=later) == 0
    finally:
        blocker.close()
        for worker in (first, second):
            if worker is not None:
                kill(worker)

    document.refresh_from_db()
    items = StoredFile.objects.filter(source_dossier=citizen_dossier, owner=owner, content_type="application/pdf")
    on_disk = combined()
    assert items.count() == 1 and len(on_disk) == 1  # once in the wallet, once on disk
    assert document.stored_file == items.get()
    with document.stored_file.file.open("rb") as fh:
        pdf = pypdf.PdfReader(fh)
        pages = len(pdf.pages)
    assert pages == 3  # one page per photo, nothing missing
    missing = 3 - pages
    print(
        f"\nWorker killed while combining photos: 1 document of 3 photos, worker 1 killed with the PDF written and "
        f"not committed ({left_behind} file left), re-queued by the sweeper, worker 2 combined it: "
        f"{items.count()} wallet item, {len(on_disk)} file, {pages} pages; missing pages: {missing}, "
        f"extra copies: {len(on_disk) - 1}; {time.monotonic() - began:.0f} s"
    )
    assert missing == 0 and len(on_disk) == 1  # what was lost: nothing, and nothing left twice
