"""Server time of the officers' pages: the queue page ``/can-bo/``, the officer's dossier
page ``/can-bo/ho-so/<code>/`` and two transitions, in the busiest agency (a ward with over
200,000 dossiers, ``benchmarks.ensure_dossiers`` on top of the generated province); the
queries of each page compared with a smaller agency (equal counts: nothing grows with the
agency); and the queue page's server time against the raw SQL of its own queries.

    .venv/bin/python -m benchmarks.ensure_dossiers          # once: the dataset
    .venv/bin/python benchmarks/desk_server_time.py [--rounds 100] [--transitions 100]

``DATABASE_URL`` defaults to ``postgres://postgres@127.0.0.1:5432/portal_province``.

Pages are measured as ``catalog_server_time.py`` does: in-process through
``django.test.Client`` (URL resolution, every middleware, session and user, the queries,
the template), ``time.perf_counter`` around ``client.get``, ``close_old_connections()``
between requests as after a real one; warm-up rounds, then interleaved rounds (one
round = every queue scenario once + a few dossier pages of each kind) so that drift on
the machine affects every scenario alike. Each officer has their own logged-in client.

Transitions: fresh dossiers are created in the big agency for them (status 1, a code from
the real daily counter, the submit history row), then each is received and then assigned
(department + specialist) once, by the one-stop officer, through
``dossiers.processing.dossier_act`` — committed, so the after-commit work (the issued
form Mẫu 01 and its render task queued, not run: Celery is not eager, as in production)
is inside the time, as it is inside the request. The same two actions are also timed
through the dossier page (POST ``/can-bo/ho-so/<code>/thao-tac/<action>/``, up to the
redirect). The dossiers made for it are deleted at the end (and at the start, if an
earlier run was interrupted), so the dataset stays as ``ensure_dossiers`` left it.

The queue counts are kept in the cache until a dossier of the agency changes
(``desk.selectors.queue_counts``): the scenario "just after a change in the agency"
gives the agency a new generation before each of its requests (untimed), as another
officer's committed action would, so that the counts are computed in every one of them.
Without ``REDIS_URL`` the cache is the process's memory; with it, Redis, as in production.

Query counts come from an untimed pass with ``CaptureQueriesContext``, for the same
scenario in the big agency (UBND phường Hạc Thành, 200,000 dossiers) and in a smaller
one (Sở Tư pháp): they must be equal.
"""

import argparse
import datetime
import json
import os
import platform
import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks.stats import percentile, summary  # noqa: E402
from benchmarks.targets import target  # noqa: E402

QUEUE_P95_TARGET_MS = 50.0
DOSSIER_P95_TARGET_MS = 30.0
BIG_CODE = "000.01.40.H56"  # UBND phường Hạc Thành, --target dossiers
SMALL_CODE = "000.00.03.H56"  # Sở Tư pháp, 300 dossiers
AGENCY_KEYS = {BIG_CODE: "hacthanh", SMALL_CODE: "stp"}
TRANSITION_OWNER = "bench.transition.citizen"
ROW_RE = re.compile(r'<a class="code" href=')


@dataclass
class Scenario:
    key: str
    label: str
    role: str  # username suffix: motcua1, chuyenvien11, truongphong1, lanhdao
    urls: dict  # agency code → URL (a list for dossier pages)
    # Before each request (untimed), a change in the agency as another officer's committed
    # action makes it (a new queue-count generation): the counts are computed, not cached.
    after_change: bool = False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=100, help="timed rounds (default 100)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed rounds first (default 5)")
    parser.add_argument("--dossiers", type=int, default=30, help="dossier pages sampled per kind (default 30)")
    parser.add_argument("--pages-per-round", type=int, default=3, help="dossier pages of each kind per round")
    parser.add_argument("--transitions", type=int, default=100, help="dossiers received then assigned (default 100)")
    parser.add_argument("--page-transitions", type=int, default=40, help="the same through the page POST")
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--only", choices=["pages", "transitions"], help="run one part only")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed or counts differ")
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_province")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"  # as in production: render tasks are queued
    os.environ.setdefault("PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-desk-private-"))
    import django

    django.setup()

    from django.db import close_old_connections, connection
    from django.test import Client

    from accounts.models import User
    from dossiers.models import Dossier
    from procedures.models import Agency

    agencies = {a.code: a for a in Agency.objects.filter(code__in=[BIG_CODE, SMALL_CODE])}
    big, small = agencies[BIG_CODE], agencies[SMALL_CODE]
    sizes = {code: Dossier.objects.filter(agency=a).exclude(status=0).count() for code, a in agencies.items()}
    if sizes[BIG_CODE] < 1000:
        raise SystemExit("the dataset is missing: run .venv/bin/python -m benchmarks.ensure_dossiers first")
    rng = random.Random(args.seed)
    cleanup_transition_dossiers()

    clients: dict[tuple[str, str], Client] = {}

    def client_for(code: str, role: str) -> Client:
        if (code, role) not in clients:
            user = User.objects.get(username=f"bench.{AGENCY_KEYS[code]}.{role}")
            c = Client()
            c.force_login(user)
            clients[(code, role)] = c
        return clients[(code, role)]

    results: dict = {"dossiers": sizes}
    pg_version = connection.cursor().connection.server_version
    header = (
        f"# Officers' pages — {sizes[BIG_CODE]:,} dossiers in {big.name} ({BIG_CODE}), "
        f"{Dossier.objects.exclude(status=0).count():,} in all; smaller agency {small.name}: {sizes[SMALL_CODE]:,}. "
        f"PostgreSQL {pg_version // 10000}, Python {platform.python_version()}, Django {django.get_version()}, "
        f"{os.cpu_count()} cores"
    )
    print(header)
    print(f"# load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    ok = True

    if args.only != "transitions":
        queues = queue_scenarios(agencies)
        dossier_pages = dossier_scenarios(agencies, args.dossiers, rng)
        ok &= run_pages(args, queues, dossier_pages, client_for, results)
    if args.only != "pages":
        ok &= run_transitions(args, agencies, client_for, results)
    print()
    print(f"# load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str))
    close_old_connections()
    return 1 if args.check and not ok else 0


# --- Scenarios ----------------------------------------------------------------------------------


def queue_scenarios(agencies) -> list[Scenario]:
    """The queue pages, with search words and filters taken from each agency's own data."""
    from django.db.models import Count
    from django.utils import timezone

    from dossiers.models import Dossier

    by_agency: dict[str, dict] = {}
    for code, agency in agencies.items():
        mine = Dossier.objects.filter(agency=agency).exclude(status=0)
        names = mine.values("applicant_name").annotate(n=Count("pk"))
        common = names.order_by("-n", "applicant_name").first()["applicant_name"]
        rare = names.order_by("n", "applicant_name").first()["applicant_name"]  # the rarest name
        sample = mine.filter(status=10).order_by("pk").values("code", "applicant_id_number")[50]
        popular = (
            mine.values("procedure_version__procedure_id")
            .annotate(n=Count("pk"))
            .order_by("-n", "procedure_version__procedure_id")
            .first()["procedure_version__procedure_id"]
        )
        today = timezone.localdate()
        month_end = today.replace(day=1) - datetime.timedelta(days=1)  # last month, whole
        month_start = month_end.replace(day=1)
        by_agency[code] = {
            "common": common,
            "rare": rare,
            "code": sample["code"],
            "id_number": sample["applicant_id_number"],
            "procedure": popular,
            "from": month_start.strftime("%d/%m/%Y"),
            "to": month_end.strftime("%d/%m/%Y"),
        }

    def url(**params) -> str:
        return "/can-bo/" + ("?" + urlencode(params) if params else "")

    def each(build) -> dict:
        return {code: build(p) for code, p in by_agency.items()}

    return [
        Scenario("desk-default", "one-stop officer, default queue (Chờ tiếp nhận)", "motcua1", each(lambda p: url())),
        Scenario(
            "desk-after-change",
            "the same, just after a change in the agency (counts computed)",
            "motcua1",
            each(lambda p: url()),
            after_change=True,
        ),
        Scenario("specialist", "specialist: Tôi đang xử lý", "chuyenvien11", each(lambda p: url(hang="cua-toi"))),
        Scenario(
            "dept-leader", "department leader: Chờ tôi duyệt", "truongphong1", each(lambda p: url(hang="cho-duyet"))
        ),
        Scenario("leader", "agency leader: Chờ tôi duyệt", "lanhdao", each(lambda p: url(hang="cho-duyet"))),
        Scenario("overdue", "one-stop officer: Quá hạn", "motcua1", each(lambda p: url(hang="qua-han"))),
        Scenario("all", "Tất cả hồ sơ, page 1", "motcua1", each(lambda p: url(hang="tat-ca"))),
        Scenario("all-p20", "Tất cả hồ sơ, page 20", "motcua1", each(lambda p: url(hang="tat-ca", trang=20))),
        Scenario("name", "search a full name (common)", "motcua1", each(lambda p: url(hang="tat-ca", q=p["common"]))),
        Scenario(
            "rare-name", "search a full name (the rarest)", "motcua1", each(lambda p: url(hang="tat-ca", q=p["rare"]))
        ),
        Scenario("code", "search a dossier code", "motcua1", each(lambda p: url(hang="tat-ca", q=p["code"]))),
        Scenario(
            "id-number",
            "search an ID number (12 digits)",
            "motcua1",
            each(lambda p: url(hang="tat-ca", q=p["id_number"])),
        ),
        Scenario(
            "filtered",
            "filter: procedure + last month",
            "motcua1",
            each(lambda p: url(hang="tat-ca", **{"thu-tuc": p["procedure"], "tu": p["from"], "den": p["to"]})),
        ),
    ]


def dossier_scenarios(agencies, count: int, rng: random.Random) -> list[Scenario]:
    """Officer dossier pages: dossiers in a given state, sampled with a fixed seed.

    All with a due date (a procedure with a legal time limit), at least two documents, and
    not filed by post: the page's queries depend on the dossier's shape (no due date: no
    calendar look-up and no apology check; by post: the postal intake record is read), so
    dossiers of one shape are compared across the two agencies."""
    from django.db import connection

    def codes(agency, status: int, step: str, history: int | None, limit: int) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT d.code FROM dossiers_dossier d
                WHERE d.agency_id = %s AND d.status = %s AND d.step = %s AND d.transfer_agency_id IS NULL
                  AND d.due_at IS NOT NULL AND d.channel <> 3
                  AND (%s IS NULL OR (SELECT COUNT(*) FROM dossiers_statuschange h WHERE h.dossier_id = d.id) = %s)
                  AND (SELECT COUNT(*) FROM dossiers_dossierdocument x WHERE x.dossier_id = d.id) >= 2
                ORDER BY d.id LIMIT 3000
                """,
                [agency.pk, status, step, history, history],
            )
            found = [row[0] for row in cursor.fetchall()]
        if not found:
            raise SystemExit(f"no dossier in status {status} {step!r} at {agency.code}")
        return sorted(rng.sample(found, min(limit, len(found))))

    def each(status, step, history) -> dict:
        return {code: codes(a, status, step, history, count) for code, a in agencies.items()}

    def pages(code_lists: dict) -> dict:
        return {k: [f"/can-bo/ho-so/{c}/" for c in v] for k, v in code_lists.items()}

    return [
        Scenario(
            "returned-8",
            "returned dossier, 8 history rows, documents, result (one-stop officer)",
            "motcua1",
            pages(each(10, "", 8)),
        ),
        Scenario(
            "received",
            "received, to assign: departments + specialists listed (one-stop officer)",
            "motcua1",
            pages(each(2, "", None)),
        ),
        Scenario(
            "approval", "awaiting approval, actions shown (agency leader)", "lanhdao", pages(each(4, "approval", None))
        ),
    ]


# --- Pages --------------------------------------------------------------------------------------


def run_pages(args, queues, dossier_pages, client_for, results) -> bool:
    from django.db import close_old_connections, connection
    from django.test.utils import CaptureQueriesContext

    from desk.services import queue_counts_forget
    from dossiers.models import Dossier

    # One dossier of each agency whose change stands for "another officer just acted here".
    changed = {
        code: Dossier.objects.filter(agency__code=code).exclude(status=0).values_list("pk", flat=True).first()
        for code in (BIG_CODE, SMALL_CODE)
    }

    def get(client, url: str, after_change: str = "") -> tuple[float, object]:
        if after_change:
            queue_counts_forget(dossier_id=changed[after_change])
        close_old_connections()  # what request_finished does after a real request
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        return elapsed, response

    queue_samples: dict[str, list[float]] = {s.key: [] for s in queues}
    page_samples: dict[str, list[float]] = {s.key: [] for s in dossier_pages}
    cursor_pos = 0
    for round_no in range(args.warmup + args.rounds):
        timed = round_no >= args.warmup
        for s in queues:
            elapsed, _ = get(client_for(BIG_CODE, s.role), s.urls[BIG_CODE], BIG_CODE if s.after_change else "")
            if timed:
                queue_samples[s.key].append(elapsed)
        for _ in range(args.pages_per_round):
            for s in dossier_pages:
                urls = s.urls[BIG_CODE]
                elapsed, _ = get(client_for(BIG_CODE, s.role), urls[cursor_pos % len(urls)])
                if timed:
                    page_samples[s.key].append(elapsed)
            cursor_pos += 1

    # --- Untimed pass: queries (busiest and smaller agency), SQL time, rows shown. ---------------------------
    sql_time = [0.0]

    def timed_sql(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_time[0] += time.perf_counter() - start

    def measure(code: str, role: str, url: str, after_change: bool = False) -> dict:
        client = client_for(code, role)
        client.get(url)  # warm (the smaller agency's pages were not requested yet)
        if after_change:
            queue_counts_forget(dossier_id=changed[code])
        close_old_connections()
        sql_time[0] = 0.0
        with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(timed_sql):
            response = client.get(url)
        html = response.content.decode()
        return {
            "queries": len(ctx.captured_queries),
            "sql_ms": round(sql_time[0] * 1000, 2),
            "rows": len(ROW_RE.findall(html)),
            "bytes": len(response.content),
            "sql": [q["sql"] for q in ctx.captured_queries],
        }

    info: dict[str, dict] = {}
    for s in queues:
        info[s.key] = {code: measure(code, s.role, url, s.after_change) for code, url in s.urls.items()}
    for s in dossier_pages:
        per = {}
        for code, urls in s.urls.items():
            found = [measure(code, s.role, u) for u in urls[:10]]
            per[code] = {
                "queries": sorted({f["queries"] for f in found}),
                "sql_ms": round(percentile([f["sql_ms"] for f in found], 50), 2),
                "bytes": round(percentile([f["bytes"] for f in found], 50)),
            }
        info[s.key] = per

    def fmt_q(value) -> str:
        if isinstance(value, list):
            return "–".join(str(v) for v in (value[0], value[-1])) if len(value) > 1 else str(value[0])
        return str(value)

    ok = True
    print()
    print("## Queue page /can-bo/ — target p95 ≤ 50 ms")
    print()
    print("| Scenario | URL | Rows | Queries (busiest) | Queries (smaller) | SQL ms | n | p50 ms | p95 ms | max ms |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    all_queue = []
    for s in queues:
        st = summary(queue_samples[s.key])
        all_queue += queue_samples[s.key]
        big_i, small_i = info[s.key][BIG_CODE], info[s.key][SMALL_CODE]
        same = big_i["queries"] == small_i["queries"]
        ok &= same
        print(
            f"| {s.label} | `{s.urls[BIG_CODE]}` | {big_i['rows']} | {big_i['queries']} | "
            f"{small_i['queries']}{'' if same else ' **differs**'} | {big_i['sql_ms']} | {st['n']} | "
            f"{st['p50_ms']} | {st['p95_ms']} | {st['max_ms']} |"
        )
    queue_all = summary(all_queue)
    print(
        f"| **queue page, all** | | | | | | {queue_all['n']} | **{queue_all['p50_ms']}** | "
        f"**{queue_all['p95_ms']}** | {queue_all['max_ms']} |"
    )
    print()
    print("## Officer dossier page /can-bo/ho-so/<code>/ — target p95 ≤ 30 ms")
    print()
    print("| Scenario | Dossiers | Queries (busiest) | Queries (smaller) | SQL ms | n | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    all_pages = []
    for s in dossier_pages:
        st = summary(page_samples[s.key])
        all_pages += page_samples[s.key]
        big_i, small_i = info[s.key][BIG_CODE], info[s.key][SMALL_CODE]
        same = big_i["queries"] == small_i["queries"]
        ok &= same
        print(
            f"| {s.label} | {len(s.urls[BIG_CODE])} | {fmt_q(big_i['queries'])} | "
            f"{fmt_q(small_i['queries'])}{'' if same else ' **differs**'} | {big_i['sql_ms']} | {st['n']} | "
            f"{st['p50_ms']} | {st['p95_ms']} | {st['max_ms']} |"
        )
    page_all = summary(all_pages)
    print(
        f"| **dossier page, all** | | | | | {page_all['n']} | **{page_all['p50_ms']}** | "
        f"**{page_all['p95_ms']}** | {page_all['max_ms']} |"
    )
    print()
    worst = max(queues, key=lambda s: summary(queue_samples[s.key])["p95_ms"])
    worst_p95 = summary(queue_samples[worst.key])["p95_ms"]
    queue_ok = target(
        "officer queue p95",
        queue_all["p95_ms"],
        QUEUE_P95_TARGET_MS,
        limit=f"the slowest scenario, {worst.label}, p95 {worst_p95} ms with "
        f"{info[worst.key][BIG_CODE]['sql_ms']} ms of SQL",
    )
    page_ok = target(
        "officer dossier page p95",
        page_all["p95_ms"],
        DOSSIER_P95_TARGET_MS,
        limit=(
            f"Python, not SQL: {fmt_q(info[dossier_pages[0].key][BIG_CODE]['queries'])} queries with "
            f"{info[dossier_pages[0].key][BIG_CODE]['sql_ms']} ms of SQL in a page of {page_all['p50_ms']} ms at the "
            "median; the rest is the ORM building each query, the session and user, the allowed actions and "
            "the template"
        ),
    )
    print(f"query counts busiest vs smaller agency: {'the same for every page' if ok else 'DIFFERENT (see above)'}")
    print(
        "(SQL ms: time in cursor.execute for the page's queries in one untimed pass; median over 10 pages "
        "for the dossier rows. Rows: dossiers listed.)"
    )
    results["queue"] = {
        s.key: summary(queue_samples[s.key]) | {"url": s.urls[BIG_CODE], "info": info[s.key]} for s in queues
    }
    results["queue_all"] = queue_all
    results["dossier"] = {s.key: summary(page_samples[s.key]) | {"info": info[s.key]} for s in dossier_pages}
    results["dossier_all"] = page_all
    ratio_ok = run_raw_sql_ratio(args, queues, info, get, client_for, results)
    return ok and queue_ok and page_ok and ratio_ok


def run_raw_sql_ratio(args, queues, info, get, client_for, results) -> bool:
    """The queue page's server time against the raw SQL of its own queries, in one run.

    The statements each queue scenario ran in the untimed pass (bound parameters as
    PostgreSQL received them: session, user, assignments, counts when computed, the page of
    dossiers) are executed again on the raw psycopg2 connection, fetching every row;
    rounds alternate the page and its SQL so the machine's drift touches both alike.
    The ratio is total page time over total SQL time (means), overall and per scenario."""
    from django.db import connection

    rounds = max(10, args.rounds // 2)
    page_times: dict[str, list[float]] = {s.key: [] for s in queues}
    sql_times: dict[str, list[float]] = {s.key: [] for s in queues}
    statements = {s.key: info[s.key][BIG_CODE]["sql"] for s in queues}
    writes = {k: any(not q.lstrip().upper().startswith(("SELECT", "WITH")) for q in v) for k, v in statements.items()}
    for round_no in range(rounds + 3):
        for s in queues:
            elapsed, _ = get(client_for(BIG_CODE, s.role), s.urls[BIG_CODE], BIG_CODE if s.after_change else "")
            connection.ensure_connection()
            raw = connection.connection
            start = time.perf_counter()
            with raw.cursor() as cur:
                for sql in statements[s.key]:
                    cur.execute(sql)
                    if cur.description is not None:
                        cur.fetchall()
            if writes[s.key] or not raw.autocommit:
                raw.rollback()
            sql_elapsed = time.perf_counter() - start
            if round_no >= 3:
                page_times[s.key].append(elapsed)
                sql_times[s.key].append(sql_elapsed)
    print()
    print("## Queue page against the raw SQL of its own queries (same run, alternating)")
    print()
    print("| Scenario | Statements | page mean ms | raw SQL mean ms | ratio |")
    print("|---|---:|---:|---:|---:|")
    for s in queues:
        page_mean = 1000 * sum(page_times[s.key]) / len(page_times[s.key])
        sql_mean = 1000 * sum(sql_times[s.key]) / len(sql_times[s.key])
        print(
            f"| {s.label} | {len(statements[s.key])} | {page_mean:.2f} | {sql_mean:.2f} | {page_mean / sql_mean:.1f}× |"
        )
    page_total = sum(sum(v) for v in page_times.values())
    sql_total = sum(sum(v) for v in sql_times.values())
    ratio = round(page_total / sql_total, 2)
    n = sum(len(v) for v in page_times.values())
    print(f"| **all** ({n} pairs) | | {1000 * page_total / n:.2f} | {1000 * sql_total / n:.2f} | **{ratio}×** |")
    print()
    results["raw_sql_ratio"] = ratio
    return target(
        "officer queue server time / raw SQL of its queries",
        ratio,
        3.0,
        "×",
        limit="Python around the queries: session and user, the filter form, building the rows and the template",
    )


# --- Transitions ----------------------------------------------------------------------------------


def transition_owner():
    from accounts.constants import AccountKind
    from accounts.models import User

    user, _ = User.objects.get_or_create(
        username=TRANSITION_OWNER,
        defaults={"kind": AccountKind.CITIZEN, "full_name": "Người Đo Chuyển Bước", "phone": "0912999002"},
    )
    return user


def cleanup_transition_dossiers() -> None:
    from dossiers.models import Dossier

    Dossier.objects.filter(owner__username=TRANSITION_OWNER).delete()


def fresh_dossiers(agency, count: int) -> list:
    """``count`` dossiers just submitted online to ``agency`` (status 1, real codes, history row)."""
    from django.utils import timezone

    from dossiers.codes import dossier_code_issue
    from dossiers.models import Dossier, StatusChange
    from procedures.models import ProcedureVersion

    owner = transition_owner()
    version = (
        ProcedureVersion.objects.filter(
            is_current=True, agency_roles__agency=agency, time_limit__isnull=False, time_limit_unit="working_days"
        )
        .order_by("procedure__national_code")
        .first()
    )
    now = timezone.now()
    made = Dossier.objects.bulk_create(
        [
            Dossier(
                procedure_version=version,
                agency=agency,
                owner=owner,
                channel=2,
                status=1,
                code=dossier_code_issue(agency_code=agency.code),
                applicant_name=owner.full_name,
                applicant_id_number="038099999002",
                applicant_phone=owner.phone,
                submitted_at=now,
            )
            for _ in range(count)
        ]
    )
    StatusChange.objects.bulk_create(
        [StatusChange(dossier=d, from_status=0, to_status=1, action="submit", actor=owner) for d in made]
    )
    return made


def run_transitions(args, agencies, client_for, results) -> bool:
    from django.db import close_old_connections, connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from dossiers import processing
    from dossiers.models import Dossier

    big = agencies[BIG_CODE]
    warm = 5

    def department_and_specialist(code: str) -> dict:
        user = User.objects.get(username=f"bench.{AGENCY_KEYS[code]}.chuyenvien11")
        department = user.assignments.get(agency=agencies[code], role="specialist").department
        return {"department": department, "handler": str(user.pk)}

    officers = {code: User.objects.get(username=f"bench.{AGENCY_KEYS[code]}.motcua1") for code in agencies}
    assign_data = {code: department_and_specialist(code) for code in agencies}

    def act(dossier, action: str, code: str) -> float:
        data = assign_data[code] if action == "assign" else {}
        close_old_connections()
        start = time.perf_counter()
        processing.dossier_act(dossier=dossier, action=action, actor=officers[code], data=data)
        return time.perf_counter() - start

    timings: dict[str, list[float]] = {"receive": [], "assign": [], "receive-page": [], "assign-page": []}
    try:
        made = fresh_dossiers(big, args.transitions + warm)
        for action in ("receive", "assign"):
            for n, d in enumerate(made):
                dossier = Dossier.objects.get(pk=d.pk)  # as the page has it (loaded before acting)
                elapsed = act(dossier, action, BIG_CODE)
                if n >= warm:
                    timings[action].append(elapsed)
        # The same through the page: POST, the action, the redirect (not followed).
        made = fresh_dossiers(big, args.page_transitions + warm)
        client = client_for(BIG_CODE, "motcua1")
        for action in ("receive", "assign"):
            for n, d in enumerate(made):
                close_old_connections()
                start = time.perf_counter()
                response = client.post(
                    f"/can-bo/ho-so/{d.code}/thao-tac/{action}/", assign_data[BIG_CODE] if action == "assign" else {}
                )
                elapsed = time.perf_counter() - start
                if response.status_code != 302:
                    raise SystemExit(f"{action} on {d.code}: HTTP {response.status_code}")
                if n >= warm:
                    timings[f"{action}-page"].append(elapsed)
        # Queries of one transition, busiest vs smaller agency (fresh dossiers, untimed).
        counts: dict[str, dict[str, int]] = {}
        for code, agency in agencies.items():
            (d,) = fresh_dossiers(agency, 1)
            for action in ("receive", "assign"):
                dossier = Dossier.objects.get(pk=d.pk)
                with CaptureQueriesContext(connection) as ctx:
                    processing.dossier_act(
                        dossier=dossier,
                        action=action,
                        actor=officers[code],
                        data=assign_data[code] if action == "assign" else {},
                    )
                counts.setdefault(action, {})[code] = len(ctx.captured_queries)
            (d,) = fresh_dossiers(agency, 1)
            client = client_for(code, "motcua1")
            for action in ("receive", "assign"):
                with CaptureQueriesContext(connection) as ctx:
                    response = client.post(
                        f"/can-bo/ho-so/{d.code}/thao-tac/{action}/", assign_data[code] if action == "assign" else {}
                    )
                assert response.status_code == 302, response.status_code
                counts.setdefault(f"{action}-page", {})[code] = len(ctx.captured_queries)
    finally:
        cleanup_transition_dossiers()

    labels = {
        "receive": "receive (tiếp nhận), `dossier_act`",
        "assign": "assign to department + specialist, `dossier_act`",
        "receive-page": "receive through the page (POST + redirect)",
        "assign-page": "assign through the page (POST + redirect)",
    }
    print()
    print("## Transitions (each on a different dossier, committed)")
    print()
    print("| Transition | Queries (busiest) | Queries (smaller) | n | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    ok = True
    results["transitions"] = {}
    for key, label in labels.items():
        st = summary(timings[key])
        same = counts[key][BIG_CODE] == counts[key][SMALL_CODE]
        ok &= same
        print(
            f"| {label} | {counts[key][BIG_CODE]} | {counts[key][SMALL_CODE]}{'' if same else ' **differs**'} | "
            f"{st['n']} | {st['p50_ms']} | {st['p95_ms']} | {st['max_ms']} |"
        )
        results["transitions"][key] = st | {"queries": counts[key]}
    return ok


if __name__ == "__main__":
    sys.exit(main())
