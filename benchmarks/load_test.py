"""Load test: ``--users`` simulated users (70 % browsing and tracking, 20 % citizens filing
through the API, 10 % officers working queues; ``benchmarks/locustfile.py``) for
``--minutes`` against gunicorn with a Celery worker running, on the generated province.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_province \\
        .venv/bin/python benchmarks/load_test.py [--users 300] [--minutes 5] [--web-workers 5]

Loopback only, bounded in time. Redis database 12 (flushed before and after) is the cache
and the broker. Per-address limits are off (every user comes from 127.0.0.1); API keys get
a rate the run cannot reach. Prints per request p50/p95, failures, requests per second, the
user count at which p95 first passes 300 ms (from locust's per-second history), and the
web workers' resident memory after the run.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
os.environ["REDIS_URL"] = REDIS_URL
os.environ["REDIS_CACHE_URL"] = REDIS_URL
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_province")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
os.environ["BENCH_LOADTEST"] = "1"
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
for name in ("API_RATE_ANON", "API_RATE_USER", "API_RATE_TRACKING"):
    os.environ[name] = "100000000/min"

import django  # noqa: E402

from benchmarks.serving import free_port, stop, wait_until_up  # noqa: E402
from benchmarks.targets import target  # noqa: E402

django.setup()


def prepare(path: Path, citizens: int, officers: int) -> dict:
    """Codes to browse, tracking pairs, citizens with keys and where they may file, officers' keys."""
    from accounts.constants import StaffRole
    from accounts.models import StaffAssignment, User
    from api import services as api_services
    from api.models import ApiClient
    from dossiers.models import Dossier
    from procedures.models import FormField, ProcedureAgency

    codes = list(
        Dossier.objects.filter(pk__gt=100_000_000)
        .values_list("procedure_version__procedure__national_code", flat=True)
        .distinct()[:300]
    )
    tracking = [
        (code, number[-4:])
        for code, number in Dossier.objects.filter(pk__gt=100_000_000, code__isnull=False)
        .order_by("-pk")
        .values_list("code", "applicant_id_number")[:500]
    ]
    filing = list(
        ProcedureAgency.objects.filter(
            version__is_current=True, version__max_service_level__gte=3, version__channel_online=True
        )
        .order_by("pk")
        .values_list("version__procedure__national_code", "agency_id", "version_id")[:40]
    )
    ApiClient.objects.filter(name="load test").delete()
    people = []
    for user in User.objects.filter(username__startswith="dan.").order_by("pk")[:citizens]:
        _, key = api_services.client_create(
            user=user, name="load test", scopes=["dossiers:read", "dossiers:write"], rate="100000000/min"
        )
        people.append((key, [(code, agency) for code, agency, _ in filing]))
    desks = []
    agencies = {agency for _, agency, _ in filing}
    for assignment in StaffAssignment.objects.filter(
        role=StaffRole.ONE_STOP_OFFICER, agency_id__in=agencies, active=True
    ).select_related("user")[:officers]:
        _, key = api_services.client_create(
            user=assignment.user, name="load test", scopes=["desk:read", "desk:act"], rate="100000000/min"
        )
        desks.append(key)
    keys = sorted(set(FormField.objects.filter(version_id__in=[v for _, _, v in filing]).values_list("key", flat=True)))
    data = {"codes": codes, "tracking": tracking, "citizens": people, "officers": desks, "form_keys": keys}
    path.write_text(json.dumps(data, ensure_ascii=False))
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--web-workers", type=int, default=5, help="2 × cores + 1, as docs/OPERATIONS.md advises")
    args = parser.parse_args()
    import psutil
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    prepare(work / "data.json", citizens=max(60, args.users // 4), officers=30)
    port = free_port()
    env = {**os.environ, "LOADTEST_DATA": str(work / "data.json")}
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application", f"--bind=127.0.0.1:{port}",
         f"--workers={args.web_workers}", "--log-level=warning", "--timeout=60"],
        cwd=BASE_DIR, env=env, stdout=(work / "web.log").open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", "default,notifications,documents,payments",
         "--concurrency", "1", "--without-gossip", "--without-mingle", "-l", "WARNING"],
        cwd=BASE_DIR, env=env, stdout=(work / "worker.log").open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_until_up(port, work / "web.log")
        seconds = int(args.minutes * 60)
        before = cpu_by_group(web.pid, worker.pid)
        import resource

        locust_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(BASE_DIR / "benchmarks" / "locustfile.py"), "--headless",
             "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{seconds}s", "--host",
             f"http://127.0.0.1:{port}", "--csv", str(work / "run"), "--csv-full-history", "--only-summary",
             "--stop-timeout", "10", "--loglevel", "WARNING"],
            cwd=BASE_DIR, env=env, check=False, stdout=(work / "locust.log").open("wb"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        after = cpu_by_group(web.pid, worker.pid)
        locust_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = {name: after.get(name, 0) - before.get(name, 0) for name in after}
        cpu["locust (load generator)"] = (locust_after.ru_utime + locust_after.ru_stime) - (
            locust_before.ru_utime + locust_before.ru_stime
        )
        children = psutil.Process(web.pid).children()
        rss = sorted(round(c.memory_info().rss / 2**20) for c in children)
        figures = report(work, args, rss)
        total = sum(cpu.values())
        print(f"\nCPU seconds during the run ({seconds} s × {os.cpu_count()} cores = {seconds * os.cpu_count()} s):")
        for name, used in sorted(cpu.items(), key=lambda item: -item[1]):
            print(f"- {name}: {used:.0f} s ({100 * used / total:.0f} %)")
        web_ms = 1000 * cpu["gunicorn (web)"] / max(figures["requests"], 1)
        capacity = 1000 * os.cpu_count() / web_ms
        print(
            f"\nweb CPU per request: {web_ms:.1f} ms on average, so {os.cpu_count()} cores serve at most "
            f"~{capacity:.0f} req/s if the web workers had them to themselves; the run asked "
            f"{figures['rps']:.0f} req/s on average."
        )
        limit = (
            f"CPU: the web workers spend {web_ms:.1f} ms of CPU per request, and locust, PostgreSQL, Redis and the "
            f"worker share the same {os.cpu_count()} cores ({100 * cpu['gunicorn (web)'] / total:.0f} % of the CPU "
            f"used went to the web); the {args.users} users asked {figures['rps']:.0f} req/s against a ceiling "
            f"of ~{capacity:.0f}, so requests queue"
        )
        print()
        target("load test failures", figures["failures"], 0, "requests", limit="see the failures above")
        target(f"load test p95, {args.users} users", figures["p95"], 300, limit=limit)

    finally:
        stop(worker, web)
        redis.Redis.from_url(REDIS_URL).flushdb()
    return 0


def cpu_by_group(web_pid: int, worker_pid: int) -> dict[str, float]:
    """CPU seconds (user + system) so far of gunicorn, the Celery worker, PostgreSQL, Redis."""
    import psutil

    def tree(pid: int) -> float:
        try:
            root = psutil.Process(pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0.0
        total = 0.0
        for proc in procs:
            try:
                times = proc.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        return total

    out = {"gunicorn (web)": tree(web_pid), "Celery worker": tree(worker_pid), "PostgreSQL": 0.0, "Redis": 0.0}
    for proc in psutil.process_iter(["name", "cpu_times"]):
        name = proc.info["name"] or ""
        times = proc.info["cpu_times"]
        if times is None:
            continue
        if name.startswith("postgres"):
            out["PostgreSQL"] += times.user + times.system
        elif name.startswith("redis"):
            out["Redis"] += times.user + times.system
    return out


def report(work: Path, args, rss: list[int]) -> dict:
    with (work / "run_stats.csv").open() as f:
        rows = list(csv.DictReader(f))
    print(f"# load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; files in {work}")
    print(f"\n## {args.users} users for {args.minutes:g} min, gunicorn {args.web_workers} workers, 1 Celery worker\n")
    print("| request | requests | failures | p50 ms | p95 ms | max ms | req/s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
        print(
            f"| {row['Type']} {name} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} | "
            f"{row['95%']} | {round(float(row['Max Response Time']))} | {float(row['Requests/s']):.1f} |"
        )
    with (work / "run_stats_history.csv").open() as f:
        history = [r for r in csv.DictReader(f) if r["Name"] == "Aggregated" and r["95%"] not in ("N/A", "")]
    # Seconds with a real sample only (the first seconds of the ramp have a handful of requests).
    steady = [r for r in history if float(r["Requests/s"]) >= 1 and int(r["User Count"]) >= args.users // 10]
    # Where it degrades: the first second from which p95 stays above 300 ms for 10 seconds in
    # a row (a single slow second while the workers warm up is not the knee).
    degraded = next(
        (
            r
            for i, r in enumerate(steady)
            if len(steady[i : i + 10]) == 10 and all(float(x["95%"]) > 300 for x in steady[i : i + 10])
        ),
        None,
    )
    if degraded:
        print(
            f"\np95 passed 300 ms for good (10 seconds in a row) at {degraded['User Count']} users, "
            f"{float(degraded['Requests/s']):.1f} req/s at that second."
        )
    else:
        print("\np95 never stayed above 300 ms for 10 seconds in a row.")
    peak = max((float(r["Requests/s"]) for r in history), default=0)
    print(f"Peak throughput: {peak:.1f} req/s. Web workers' RSS after the run (MB): {rss}.")
    failures = work / "run_failures.csv"
    if failures.exists() and failures.read_text().count("\n") > 1:
        print("\nFailures:\n```\n" + failures.read_text()[:3000] + "\n```")
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "p95": float(total["95%"]),
        "rps": float(total["Requests/s"]),
    }


if __name__ == "__main__":
    raise SystemExit(main())
