"""A Celery worker's memory over 10,000 tasks: the resident set of its one child process,
sampled every 1,000 tasks, with the child never recycled (``--max-tasks-per-child`` far
above the run), so growth, if any, shows; production recycles a child after 5,000 tasks
or 400 MB anyway (docs/ARCHITECTURE.md, Celery).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_province \
        .venv/bin/python benchmarks/worker_memory.py [--tasks 10000]

The tasks are notification deliveries as the outbox queues them (in-app, e-mail through
Django's dummy backend, SMS to a file, a third each, rendered from the shipped templates)
and one report refresh every 50; Redis database 13, flushed before and after.
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
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
os.environ["REDIS_URL"] = REDIS_URL
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_province")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
SMS_FILE = Path(tempfile.mkdtemp(prefix="bench-mem-")) / "sms.log"
WORKER_ENV = {
    "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    "SMS_BACKEND": "notifications.sms.FileBackend",
    "SMS_FILE_PATH": str(SMS_FILE),
}
os.environ.update(WORKER_ENV)

import django  # noqa: E402

from benchmarks.serving import stop  # noqa: E402
from benchmarks.targets import target  # noqa: E402

django.setup()

from benchmarks import notify_load  # noqa: E402
from notifications.constants import State  # noqa: E402
from notifications.models import Notification  # noqa: E402

PREFIX = "bench-mem"


def write(user, n: int) -> int:
    pk = notify_load.write_one(user, n, f"{PREFIX}:{n}")
    if n % 50 == 0:
        from reports.tasks import refresh

        refresh.delay()
    return pk


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=10_000)
    args = parser.parse_args()
    import psutil
    import redis
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    redis.Redis.from_url(REDIS_URL).flushdb()
    Notification.objects.filter(dedupe_key__startswith=PREFIX).delete()
    user = notify_load.recipient("bench.mem.citizen")
    log = SMS_FILE.parent / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", "notifications,default", "--concurrency", "1",
         "--max-tasks-per-child", "1000000", "--without-gossip", "--without-mingle", "-l", "WARNING"],
        cwd=BASE_DIR, env={**os.environ, **WORKER_ENV}, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    samples = []
    try:
        ids = [write(user, n) for n in range(200)]  # warm-up: the child imports everything
        deadline = time.monotonic() + 120
        while Notification.objects.filter(pk__in=ids).exclude(state=State.SENT).exists():
            if time.monotonic() > deadline:
                raise SystemExit(f"warm-up not delivered: {log}")
            time.sleep(0.2)
        child = psutil.Process(worker.pid).children()[0]
        samples.append((0, child.memory_info().rss))
        done = 0
        for n in range(200, 200 + args.tasks):
            ids.append(write(user, n))
            if (n - 199) % 1000 == 0:
                while Notification.objects.filter(pk__in=ids[-1000:]).exclude(state=State.SENT).exists():
                    time.sleep(0.2)
                done = n - 199
                samples.append((done, child.memory_info().rss))
        print(f"# load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"\n## Celery worker child RSS over {args.tasks:,} tasks (pid {child.pid}, never recycled)\n")
        print("| tasks done | RSS MB |")
        print("|---:|---:|")
        for count, rss in samples:
            print(f"| {count:,} | {rss / 2**20:.1f} |")
        first, last = samples[1][1], samples[-1][1]
        print(f"\ngrowth from 1,000 to {samples[-1][0]:,} tasks: {(last - first) / 2**20:+.1f} MB")
        print()
        target(f"Celery worker RSS growth from 1,000 to {samples[-1][0]:,} tasks", round((last - first) / 2**20, 1),
               2.0, "MB", limit="memory kept between tasks (a leak)")  # fmt: skip
    finally:
        stop(worker)
        Notification.objects.filter(dedupe_key__startswith=PREFIX).delete()
        redis.Redis.from_url(REDIS_URL).flushdb()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
