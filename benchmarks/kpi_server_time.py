"""The province-year KPI page (``/bao-cao/?ky=<year>``) and the year's Excel export, with the
report tables of a province of 2,000,000 dossiers (issue 7).

    .venv/bin/python benchmarks/kpi_server_time.py [--dossiers 2000000] [--rounds 40]

``DATABASE_URL`` defaults to ``postgres://postgres@127.0.0.1:5432/portal_bench_kpi``; the
database is created and migrated if missing. The data (made once, kept for later runs):

* 110 agencies (20 provincial departments, 90 communes) and 2,000 published procedures
  (1,500 provincial, each at one department; 500 communal, each at every commune), 40 %
  with a fee, levels 2–4;
* ``--dossiers`` report facts (``DossierFact``, one per dossier) over the last five years,
  generated in SQL: 60 % at the communes, counter/online/post with an online share growing
  from 10 % to 50 %, 5 % drafts never submitted, ~15 % late, 2 % still open, withdrawn,
  stopped and waiting-for-supplement ends, fees, online payments, digitised and reused
  documents, ratings. The dossier rows themselves are not generated here (issue 9's
  ``generate_province`` does): the KPI page and the export read only the rollups, the
  catalog and the feedback table, never the dossiers or the facts — the query list printed
  below shows it. Foreign keys from the facts to the dossiers are not checked while
  loading (``session_replication_role = replica``).
* the rollups built from those facts by the real set-based ``reports.services.rebuild_rollups``
  (its time is reported too).

Measured in-process through ``django.test.Client`` as the other server-time benchmarks
do: ``time.perf_counter`` around ``client.get``, warm-up rounds first. Two scenarios: the
page as it is served (the catalog figures cached for ten minutes) and with the cache
cleared before each request (untimed clear), so the catalog part is inside the time.
"""

import argparse
import datetime
import os
import platform
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks.stats import summary  # noqa: E402
from benchmarks.targets import target  # noqa: E402

P95_TARGET_MS = 300.0
DB_NAME = "portal_bench_kpi"


def ensure_database(url: str) -> None:
    import psycopg2

    name = url.rsplit("/", 1)[1]
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def ensure_catalog() -> None:
    from django.utils import timezone

    from procedures.constants import AgencyRole, Tier, VersionStatus
    from procedures.models import Agency, Fee, Procedure, ProcedureAgency, ProcedureVersion

    if Agency.objects.filter(code__startswith="900.").count() >= 110:
        return
    agencies = [
        Agency(code=f"900.00.{i:02d}.H99", name=f"Sở Đo kiểm {i}", slug=f"so-do-kiem-{i}", tier=Tier.PROVINCE)
        for i in range(20)
    ] + [
        Agency(
            code=f"900.{i // 100:02d}.{i % 100:02d}.H98",
            name=f"UBND xã Đo kiểm {i}",
            slug=f"xa-do-kiem-{i}",
            tier=Tier.COMMUNE,
        )
        for i in range(90)
    ]
    Agency.objects.bulk_create(agencies)
    agencies = list(Agency.objects.filter(code__startswith="900.").order_by("pk"))
    provincial, communes = agencies[:20], agencies[20:]
    now = timezone.now()
    procedures = Procedure.objects.bulk_create([Procedure(national_code=f"9.{900000 + i:06d}") for i in range(2000)])
    versions = ProcedureVersion.objects.bulk_create(
        [
            ProcedureVersion(
                procedure=p,
                number=1,
                status=VersionStatus.PUBLISHED,
                is_current=True,
                effective_from=datetime.date(2021, 1, 1),
                published_at=now,
                name=f"Thủ tục đo kiểm {i}",
                service_level=2 + i % 3,
                max_service_level=2 + i % 3,
                at_province=i < 1500,
                at_commune=i >= 1500,
                steps="Nộp hồ sơ\nTiếp nhận\nTrả kết quả",
                applicants="Công dân",
                results="Giấy xác nhận",
                time_limit=5,
                channel_online=i % 3 != 0,
            )
            for i, p in enumerate(procedures)
        ],
        batch_size=1000,
    )
    roles = []
    for i, v in enumerate(versions):
        targets = [provincial[i % 20]] if i < 1500 else communes
        roles += [ProcedureAgency(version=v, agency=a, role=AgencyRole.IMPLEMENTING) for a in targets]
    ProcedureAgency.objects.bulk_create(roles, batch_size=5000)
    Fee.objects.bulk_create(
        [Fee(version=v, kind="le_phi", name="Lệ phí", amount=50000) for i, v in enumerate(versions) if i % 5 < 2]
    )


FACTS_SQL = """
SET session_replication_role = replica;
CREATE TEMP TABLE bench_agencies AS
    SELECT array_agg(id ORDER BY id) AS agency_ids FROM procedures_agency WHERE code LIKE '900.%%';
CREATE TEMP TABLE bench_agency_procs AS
    SELECT pa.agency_id, (array_agg(v.procedure_id ORDER BY v.procedure_id))[1:150] AS procs,
           least(count(*), 150) AS n
    FROM procedures_procedureagency pa JOIN procedures_procedureversion v ON v.id = pa.version_id
    JOIN procedures_agency ag ON ag.id = pa.agency_id AND ag.code LIKE '900.%%'
    GROUP BY pa.agency_id;
INSERT INTO reports_dossierfact (
    dossier_id, agency_id, procedure_id, channel, status, created_on, submitted_on, received_on,
    ended_at, ended_on, end_kind, timeliness, due_at, late_from_on, supplements, processing_minutes,
    fee_due, paid_online, digitised, reused, e_result, returned, complained, rated_on, rating, refreshed_at)
SELECT
    g.id, g.agency_id, g.procedure_id, g.channel,
    CASE WHEN g.draft THEN 0 WHEN g.ended IS NULL THEN 4 WHEN g.kind = 'resolved' THEN 10
         WHEN g.kind = 'stopped' THEN 8 WHEN g.kind = 'withdrawn' THEN 7 ELSE 5 END,
    g.created, CASE WHEN g.draft THEN NULL ELSE g.created END, CASE WHEN g.draft THEN NULL ELSE g.received END,
    CASE WHEN g.draft OR g.ended IS NULL THEN NULL ELSE g.ended::timestamp + interval '10 hours' END,
    CASE WHEN g.draft THEN NULL ELSE g.ended END,
    CASE WHEN g.draft OR g.ended IS NULL THEN '' ELSE g.kind END,
    CASE WHEN g.draft OR g.ended IS NULL THEN '' WHEN g.ended > g.due THEN 'late'
         WHEN g.ended = g.due THEN 'on_time' ELSE 'early' END,
    CASE WHEN g.draft THEN NULL ELSE g.due::timestamp + interval '17 hours' END,
    CASE WHEN g.draft THEN NULL ELSE g.due END,
    CASE WHEN g.r1 < 0.08 THEN 1 ELSE 0 END,
    CASE WHEN g.kind = 'resolved' AND NOT g.draft AND g.ended IS NOT NULL THEN (g.ended - g.received) * 480 END,
    g.fee, g.fee AND g.channel = 2 AND g.r2 < 0.6, g.r3 < 0.7, g.r3 < 0.15,
    g.kind = 'resolved' AND g.r2 < 0.8, g.kind = 'resolved' AND g.ended IS NOT NULL,
    g.r4 < 0.02,
    CASE WHEN g.kind = 'resolved' AND g.ended IS NOT NULL AND g.r4 < 0.3 THEN g.ended + 1 END,
    CASE WHEN g.kind = 'resolved' AND g.ended IS NOT NULL AND g.r4 < 0.3 THEN
         (ARRAY['very_satisfied','satisfied','satisfied','dissatisfied'])[1 + floor(g.r4 * 13)::int %% 4] ELSE '' END,
    now()
FROM (
    SELECT s.id, s.agency_id, s.procedure_id, s.created, s.received, s.due, s.r1, s.r2, s.r3, s.r4,
           s.channel, s.draft, s.kind, s.fee,
           CASE WHEN s.received + s.took >= current_date - 5 AND s.r1 > 0.5 THEN NULL
                ELSE s.received + s.took END AS ended
    FROM (
        SELECT b.*,
               b.created + (b.r2 < 0.5)::int AS received,
               b.created + (b.r2 < 0.5)::int + 14 AS due,
               CASE WHEN b.r1 < 0.15 THEN 15 + floor(b.r3 * 10)::int ELSE floor(b.r3 * 14)::int END AS took,
               CASE WHEN b.r4 < 0.90 THEN 'resolved' WHEN b.r4 < 0.93 THEN 'stopped'
                    WHEN b.r4 < 0.96 THEN 'withdrawn' ELSE 'supplement' END AS kind,
               (b.procedure_id %% 5) < 2 AS fee
        FROM (
            SELECT a.id, a.r1, a.r2, a.r3, a.r4,
                   ap.agency_id,
                   ap.procs[1 + floor(a.r4 * ap.n)::int] AS procedure_id,
                   (current_date - 1826 + floor(a.id::float8 / %(n)s * 1826)::int) AS created,
                   CASE WHEN a.r2 < 0.05 THEN 3
                        WHEN a.r1 < 0.10 + 0.40 * a.id::float8 / %(n)s THEN 2 ELSE 1 END AS channel,
                   a.r3 > 0.95 AS draft
            FROM (SELECT i AS id, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5
                  FROM generate_series(1, %(n)s) i) a
            CROSS JOIN bench_agencies x
            JOIN bench_agency_procs ap
              ON ap.agency_id = x.agency_ids[1 + CASE WHEN a.r5 < 0.4 THEN floor(a.r5 / 0.4 * 20)::int
                                                   ELSE 20 + floor((a.r5 - 0.4) / 0.6 * 90)::int END]
        ) b
    ) s
) g;
SET session_replication_role = DEFAULT;
"""


def ensure_facts(n: int) -> float:
    from django.db import connection

    from reports.models import DossierFact

    have = DossierFact.objects.count()
    if have >= n:
        return 0.0
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("TRUNCATE reports_dossierfact")
        cur.execute(FACTS_SQL, {"n": n})
        cur.execute("ANALYZE")
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dossiers", type=int, default=2_000_000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the rollups even if they exist")
    parser.add_argument(
        "--province",
        action="store_true",
        help="use the database as it is (generate_province + rollup_rebuild --all): real dossiers' facts",
    )
    args = parser.parse_args()

    url = os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB_NAME}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    ensure_database(url)
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.constants import AccountKind, StaffRole
    from accounts.models import StaffAssignment, User
    from reports import services
    from reports.models import DailyAgencyStats, DossierFact, MonthlyProcedureStats

    call_command("migrate", verbosity=0)
    generated = 0.0
    if not args.province:
        ensure_catalog()
        generated = ensure_facts(args.dossiers)
    facts = DossierFact.objects.count()
    first = DossierFact.objects.order_by("created_on").values_list("created_on", flat=True).first()
    rebuild_s = None
    if args.rebuild or generated or not DailyAgencyStats.objects.exists():
        started = time.perf_counter()
        services.rebuild_rollups(first, timezone.localdate())
        rebuild_s = time.perf_counter() - started
        with connection.cursor() as cur:
            cur.execute("ANALYZE")

    admin, _ = User.objects.get_or_create(
        username="bench.kpi.admin", defaults={"kind": AccountKind.OFFICER, "is_staff": True}
    )
    from procedures.models import Agency

    StaffAssignment.objects.get_or_create(
        user=admin,
        agency=Agency.objects.filter(code__startswith="900.").first() or Agency.objects.order_by("pk").first(),
        role=StaffRole.PROVINCIAL_ADMIN,
    )
    client = Client()
    client.force_login(admin)
    year = timezone.localdate().year
    url_page = f"/bao-cao/?ky={year}"

    def timed(url: str, clear: bool) -> float:
        if clear:
            cache.clear()
        close_old_connections()
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        return elapsed

    for _ in range(args.warmup):
        timed(url_page, True)
        timed(url_page, False)
    served, cold = [], []
    for _ in range(args.rounds):
        served.append(timed(url_page, False))
        cold.append(timed(url_page, True))
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        client.get(url_page)
    queries = list(ctx.captured_queries)
    tables = sorted({t for q in queries for t in _tables(q["sql"])})
    exports = []
    for _ in range(3):
        started = time.perf_counter()
        response = client.get(f"/bao-cao/xuat.xlsx?ky={year}")
        exports.append(time.perf_counter() - started)
        assert response.status_code == 200
    size = len(response.content)

    pg = connection.cursor().connection.server_version
    print(
        f"# KPI page, province-year — {facts:,} dossiers (facts) over {Agency.objects.count()} agencies, "
        f"{DailyAgencyStats.objects.count():,} daily rows, {MonthlyProcedureStats.objects.count():,} monthly rows. "
        f"PostgreSQL {pg // 10000}, Python {platform.python_version()}, Django {django.get_version()}, "
        f"{os.cpu_count()} cores"
    )
    if generated:
        print(f"facts generated in {generated:.1f} s")
    if rebuild_s is not None:
        print(f"rollups rebuilt from the facts (rebuild_rollups, 5 years) in {rebuild_s:.1f} s")
    s1, s2 = summary(served), summary(cold)
    print(
        f"/bao-cao/?ky={year} as served (catalog cached): p50 {s1['p50_ms']} ms, p95 {s1['p95_ms']} ms, "
        f"max {s1['max_ms']} ms (n={s1['n']})"
    )
    print(
        f"/bao-cao/?ky={year} cache cleared first:        p50 {s2['p50_ms']} ms, p95 {s2['p95_ms']} ms, "
        f"max {s2['max_ms']} ms (n={s2['n']})"
    )
    print(f"queries with the cache cleared: {len(queries)}; tables read: {', '.join(tables)}")
    print(f"year export to xlsx: {min(exports):.2f} s best of 3, {max(exports):.2f} s worst ({size:,} bytes)")
    print()
    target("province-year KPI page p95 (as served)", s1["p95_ms"], P95_TARGET_MS,
           limit="the year's rollups read and the indices computed in Python")  # fmt: skip
    target("province-year KPI page p95, cache cleared first", s2["p95_ms"], P95_TARGET_MS,
           limit="the catalog figures (766 group 3: levels and online pairs per agency) are computed "
           "from the catalog and the year's online dossiers when the cache is empty")  # fmt: skip
    return 0


def _tables(sql: str) -> set[str]:
    import re

    return set(re.findall(r'(?:FROM|JOIN) "([a-z_]+)"', sql))


if __name__ == "__main__":
    raise SystemExit(main())
