"""National sync: the delay from a dossier's status change (its commit) to its push being
accepted by the national endpoint, with a real Celery worker on Redis.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_province .venv/bin/python benchmarks/national_push_delay.py

The endpoint is the portal's own sandbox view (``national.views.sandbox``: it parses and
checks the message, writes a ``SandboxReceipt``) served by gunicorn (2 workers) on a free
loopback port; the worker is ``celery -A portal worker -Q default --concurrency 1``.
``--dossiers`` dossiers are filed and received through the real services, one every
``1/--rate`` seconds; each change's delay = its push's ``sent_at`` − the change's commit.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
os.environ["REDIS_URL"] = REDIS_URL
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_province")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"

from benchmarks.serving import free_port, stop, wait_until_up  # noqa: E402

PORT = free_port()
SYNC_ENV = {
    "NATIONAL_SYNC_ENABLED": "true",
    "NATIONAL_SYNC_SANDBOX": "true",
    "NATIONAL_SYNC_CREATE_URL": f"http://127.0.0.1:{PORT}/hop-cat/dvcqg/them-moi/",
    "NATIONAL_SYNC_UPDATE_URL": f"http://127.0.0.1:{PORT}/hop-cat/dvcqg/cap-nhat/",
    "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
}
os.environ.update(SYNC_ENV)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.stats import percentile  # noqa: E402
from national.constants import PushState  # noqa: E402
from national.models import Push  # noqa: E402


def file_one(version, agency, citizen, desk):
    """A dossier submitted and received with the real services; returns the two commits."""
    from dossiers import processing, services

    dossier = services.dossier_start(user=citizen, version=version, agency=agency)
    services.dossier_save_draft(dossier=dossier, actor=citizen, applicant={"applicant_address": "Thôn 3"}, answers={})
    from dossiers.models import Dossier

    Dossier.objects.filter(pk=dossier.pk).update(form_data={f.key: "x" for f in version.form_fields.all()})
    for doc in services.required_documents_for(dossier):
        if doc.required and not doc.presented_only:
            services.document_add_files(dossier=dossier, required_document=doc, files=[scan()], actor=citizen)
    commits = []
    with transaction.atomic():
        services.dossier_submit(dossier=dossier, actor=citizen)
    commits.append(timezone.now())
    with transaction.atomic():
        processing.dossier_act(dossier=dossier, action="receive", actor=desk)
    commits.append(timezone.now())
    return dossier.pk, commits


def scan():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (300, 400), "white").save(buf, "PDF")
    return SimpleUploadedFile("scan.pdf", buf.getvalue(), content_type="application/pdf")


def setting_up():
    """A level-3 procedure filed at an agency with a desk officer."""
    from accounts.constants import AccountKind, StaffRole
    from accounts.models import StaffAssignment, User
    from procedures.models import ProcedureVersion

    assignment = StaffAssignment.objects.filter(role=StaffRole.ONE_STOP_OFFICER, active=True).first()
    version = ProcedureVersion.objects.filter(
        is_current=True, max_service_level__gte=3, agency_roles__agency_id=assignment.agency_id
    ).first()
    if version is None:
        raise SystemExit("no level-3 procedure at a desk officer's agency: run benchmarks.ensure_catalog first")
    citizen, _ = User.objects.get_or_create(
        username="bench.sync.citizen",
        defaults={"kind": AccountKind.CITIZEN, "full_name": "Nguyễn Văn An", "national_id": "038090123456"},
    )
    citizen.phone = "0912000000"
    citizen.save(update_fields=["phone"])
    from dossiers.services import filing_agencies

    agency = next(a for a in filing_agencies(version) if a.pk == assignment.agency_id)
    return version, agency, citizen, assignment.user


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dossiers", type=int, default=200)
    parser.add_argument("--rate", type=float, default=5.0, help="dossiers a second (each makes two changes)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # this benchmark's own Redis database
    logs = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    env = {**os.environ, **SYNC_ENV}
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application", f"--bind=127.0.0.1:{PORT}",
         "--workers=2", "--log-level=warning"],
        cwd=BASE_DIR, env={**env, "DJANGO_SETTINGS_MODULE": "benchmarks.settings"},
        stdout=(logs / "web.log").open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", "default", "--concurrency", "1",
         "--without-gossip", "--without-mingle", "-l", "WARNING", "-n", f"bench-sync-{os.getpid()}@%h"],
        cwd=BASE_DIR, env=env, stdout=(logs / "worker.log").open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_until_up(PORT, logs / "web.log")
        version, agency, citizen, desk = setting_up()
        for _ in range(5):  # warm-up: imports in the worker, connections
            file_one(version, agency, citizen, desk)
        time.sleep(5)
        changes: list[tuple[int, int, object]] = []  # dossier, seq, commit time
        start = time.monotonic()
        for n in range(args.dossiers):
            pause = start + n / args.rate - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            pk, commits = file_one(version, agency, citizen, desk)
            changes += [(pk, seq, at) for seq, at in enumerate(commits, start=1)]
        ids = sorted({pk for pk, _, _ in changes})
        deadline = time.monotonic() + 300
        while Push.objects.filter(dossier_id__in=ids).exclude(state=PushState.SENT).exists():
            if time.monotonic() > deadline:
                raise SystemExit(f"pushes not sent within 300 s: {logs}")
            time.sleep(0.3)
        sent = {(p.dossier_id, p.seq): p.sent_at for p in Push.objects.filter(dossier_id__in=ids)}
        delays = [(sent[(pk, seq)] - at).total_seconds() * 1000 for pk, seq, at in changes]
        retried = Push.objects.filter(dossier_id__in=ids, attempts__gt=1).count()
        print(f"# load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"\n## Status change → push accepted, {args.dossiers} dossiers at {args.rate:g}/s (2 changes each)\n")
        print("| changes | p50 ms | p95 ms | max ms | pushes retried |")
        print("|---:|---:|---:|---:|---:|")
        print(
            f"| {len(delays)} | {percentile(delays, 50):.1f} | **{percentile(delays, 95):.1f}** | "
            f"{max(delays):.1f} | {retried} |"
        )
    finally:
        stop(worker, web)
        redis.Redis.from_url(REDIS_URL).flushdb()  # the other queues' messages (documents, notifications)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
