"""Notifications: how many one Celery worker delivers per second, and the delay from the
commit that writes a notification to its delivery under a steady load below that rate.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_province \\
        .venv/bin/python benchmarks/notifications_throughput.py

A real worker (``celery -A portal worker -Q notifications --concurrency 1``, prefork, one
child: one worker process) on the machine's Redis (database 10, purged first) and
PostgreSQL. Notifications are written as the outbox writes them (``services._write`` in a
transaction, delivery queued on commit), a third each on the in-app list, e-mail
(Django's dummy backend: the message is built, no SMTP socket) and SMS (the file backend),
rendered from the shipped templates.

1. Throughput: ``--burst`` notifications committed at once; delivered per second = count /
   (last ``sent_at`` − first commit).
2. Delay: ``--rate`` notifications a second (about half the measured throughput unless
   given) for ``--seconds``; each one's delay = ``sent_at`` − its commit; p50/p95/max.
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
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")
os.environ["REDIS_URL"] = REDIS_URL
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_province")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
SMS_FILE = Path(tempfile.mkdtemp(prefix="bench-sms-")) / "sms.log"
WORKER_ENV = {
    "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    "SMS_BACKEND": "notifications.sms.FileBackend",
    "SMS_FILE_PATH": str(SMS_FILE),
}
os.environ.update(WORKER_ENV)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks import notify_load  # noqa: E402
from benchmarks.serving import stop  # noqa: E402
from benchmarks.stats import percentile  # noqa: E402
from notifications.constants import State  # noqa: E402
from notifications.models import Notification  # noqa: E402
from portal.celery import app  # noqa: E402

PREFIX = "bench-notify"


def recipient():
    return notify_load.recipient("bench.notify.citizen")


def write_one(user, n: int, run: str) -> int:
    """One notification, committed, its delivery queued on commit; returns its pk."""
    return notify_load.write_one(user, n, f"{PREFIX}:{run}:{n}")


def clean() -> None:
    Notification.objects.filter(dedupe_key__startswith=PREFIX).delete()
    with app.connection() as conn:
        bound = app.amqp.queues["notifications"](conn.default_channel)
        bound.declare()
        bound.purge()


def wait_all_sent(ids: list[int], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = Notification.objects.filter(pk__in=ids).exclude(state=State.SENT).count()
        if not left:
            return
        time.sleep(0.2)
    raise SystemExit(f"{left} notifications not delivered within {timeout} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--burst", type=int, default=3000)
    parser.add_argument("--rate", type=float, default=0, help="per second for the delay run (default: half)")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--concurrency", type=int, default=1, help="worker child processes (default 1)")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    user = recipient()
    clean()
    log = Path(tempfile.mkdtemp(prefix="bench-worker-")) / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", "notifications",
         "--concurrency", str(args.concurrency), "--without-gossip", "--without-mingle", "-l", "WARNING",
         "-n", f"bench-notify-{os.getpid()}@%h"],
        cwd=BASE_DIR, env={**os.environ, **WORKER_ENV}, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        # Warm-up: the worker's child imports everything on its first task.
        wait_all_sent([write_one(user, n, "warm") for n in range(30)], timeout=120)

        # 1. Throughput: a burst committed as fast as the producer can.
        started = timezone.now()
        ids = [write_one(user, n, "burst") for n in range(args.burst)]
        committed = timezone.now()
        wait_all_sent(ids, timeout=900)
        last = max(Notification.objects.filter(pk__in=ids).values_list("sent_at", flat=True))
        span = (last - started).total_seconds()
        rate = args.burst / span
        attempts = set(Notification.objects.filter(pk__in=ids).values_list("attempts", flat=True))
        print(f"# load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"\n## Throughput of one worker (--concurrency {args.concurrency})\n")
        print("| notifications | written in | delivered in | per second | attempts |")
        print("|---:|---:|---:|---:|---|")
        print(
            f"| {args.burst} | {(committed - started).total_seconds():.1f} s | {span:.1f} s | **{rate:.0f}** | "
            f"{sorted(attempts)} |"
        )

        # 2. Delay under a steady load below that rate.
        offered = args.rate or max(1.0, round(rate / 2))
        ids, commits = [], {}
        start = time.monotonic()
        n = 0
        while time.monotonic() - start < args.seconds:
            due = start + n / offered
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            pk = write_one(user, n, "steady")
            commits[pk] = timezone.now()
            ids.append(pk)
            n += 1
        wait_all_sent(ids, timeout=300)
        sent = dict(Notification.objects.filter(pk__in=ids).values_list("pk", "sent_at"))
        delays = [(sent[pk] - commits[pk]).total_seconds() * 1000 for pk in ids]
        print(f"\n## Delay from commit to delivery at {offered:.0f} notifications/s for {args.seconds} s\n")
        print("| notifications | p50 ms | p95 ms | max ms |")
        print("|---:|---:|---:|---:|")
        print(f"| {len(ids)} | {percentile(delays, 50):.1f} | **{percentile(delays, 95):.1f}** | {max(delays):.1f} |")
        print(f"\n# load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        stop(worker)
        clean()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
