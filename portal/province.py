"""A province at full size for measuring (``manage.py generate_province``, issue 9).

PostgreSQL only. The catalog is the demo province's (``seed_demo``) plus generated
procedures up to ``procedures`` (``generate_catalog``), with communes added up to
``agencies`` and every commune implementing every communal procedure, as in life. Then,
in the database itself (``INSERT … SELECT`` over ``generate_series``, no row travels
through Python):

* ``citizens`` accounts (valid 12-digit ID numbers ``038…``, unusable passwords);
* ``dossiers`` dossiers over the last ``years`` years, more each year, 60 % at the
  communes; counter / online / post, the procedures online at levels 3–4 filed online more each year
  (15 % of them five years ago, 65 % now);
  older ones finished (returned, refused, withdrawn, stopped; ~15 % late), the last weeks'
  open in every status; codes ``<agency>-YYMMDD-5NNN`` numbered per agency and day from
  5001 (clear of the codes the portal issues itself) with the daily counters brought up to
  date;
* each dossier's history as the state machine writes it (2–7 rows, in time order, from
  the status path of its final status), one attached document (stored-file metadata, no
  file on disk), a payment for the fee-bearing ones (online through VNPay for online
  level-4 dossiers, cash otherwise), a rating for a third of those returned online.

Foreign-key triggers are off while loading (``session_replication_role = replica``);
the rows are consistent by construction and the tests check it on a small province.
Sequences are moved past the new ids and everything is ANALYZEd. Report facts are not
computed here (``manage.py rollup_rebuild --all`` does, from the dossiers).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import connection, transaction

GENERATED_COMMUNE_PREFIX = "800."
USERNAME_PREFIX = "dan."


@dataclass(frozen=True)
class Sizes:
    agencies: int = 110
    procedures: int = 2000
    citizens: int = 500_000
    dossiers: int = 2_000_000
    years: int = 5
    seed: int = 20261201


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def generate_province(sizes: Sizes, *, stdout=None) -> dict[str, float]:
    """Fill the database; returns the seconds each step took."""
    if connection.vendor != "postgresql":
        raise RuntimeError("generate_province cần PostgreSQL (DATABASE_URL=postgres://…).")
    timings: dict[str, float] = {}

    def step(name: str, fn, *args) -> None:
        started = time.monotonic()
        result = fn(*args)
        timings[name] = time.monotonic() - started
        _say(stdout, f"  {name}: {result} ({timings[name]:.1f} s)")

    step("catalog", _catalog, sizes)
    step("officers", _officers)
    step("citizens", _citizens, sizes)
    step("dossiers", _dossiers, sizes)
    step("history", _history)
    step("documents", _documents)
    step("payments and ratings", _payments_and_ratings)
    step("counters, sequences, analyze", _finish)
    return timings


# --- the catalog and the staff ------------------------------------------------------------------


def _catalog(sizes: Sizes) -> str:
    from django.core.management import call_command

    from portal.demo.generator import generate_catalog
    from procedures.constants import AgencyRole, Tier, VersionStatus
    from procedures.models import Agency, ProcedureAgency, ProcedureVersion

    call_command("seed_demo", verbosity=0)
    current = ProcedureVersion.objects.filter(is_current=True, status=VersionStatus.PUBLISHED).count()
    if current < sizes.procedures:
        generate_catalog(count=sizes.procedures - current, seed=sizes.seed)
    missing = sizes.agencies - Agency.objects.filter(effective_to__isnull=True).count()
    existing = Agency.objects.filter(code__startswith=GENERATED_COMMUNE_PREFIX).count()
    for n in range(existing, existing + max(missing, 0)):
        Agency.objects.create(
            code=f"{GENERATED_COMMUNE_PREFIX}{n // 100:02d}.{n % 100:02d}.H56",
            name=f"Ủy ban nhân dân xã Sinh Thử {n + 1}",
            slug=f"xa-sinh-thu-{n + 1}",
            tier=Tier.COMMUNE,
        )
    communes = list(Agency.objects.filter(tier=Tier.COMMUNE, effective_to__isnull=True).values_list("pk", flat=True))
    communal = list(ProcedureVersion.objects.filter(is_current=True, at_commune=True).values_list("pk", flat=True))
    have = set(
        ProcedureAgency.objects.filter(version_id__in=communal, agency_id__in=communes).values_list(
            "version_id", "agency_id"
        )
    )
    rows = [
        ProcedureAgency(version_id=v, agency_id=a, role=AgencyRole.IMPLEMENTING)
        for v in communal
        for a in communes
        if (v, a) not in have
    ]
    ProcedureAgency.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    agencies = Agency.objects.filter(effective_to__isnull=True).count()
    return f"{agencies} agencies, {max(current, sizes.procedures)} procedures, {len(rows)} commune roles added"


def _officers() -> str:
    """A one-stop officer, a specialist and a leader in every agency without staff."""
    from accounts.constants import AccountKind, StaffRole
    from accounts.models import StaffAssignment, User
    from procedures.models import Agency

    staffed = set(StaffAssignment.objects.values_list("agency_id", flat=True))
    made = 0
    for agency in Agency.objects.filter(effective_to__isnull=True).exclude(pk__in=staffed):
        for role, title in (
            (StaffRole.ONE_STOP_OFFICER, "motcua"),
            (StaffRole.SPECIALIST, "chuyenvien"),
            (StaffRole.AGENCY_LEADER, "lanhdao"),
        ):
            user = User.objects.create(
                username=f"{title}.{agency.pk}", kind=AccountKind.OFFICER, full_name=f"Cán bộ {title} {agency.pk}"
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
            StaffAssignment.objects.create(
                user=user,
                agency=agency,
                role=role,
                department="" if role != StaffRole.SPECIALIST else "Phòng chuyên môn",
            )
            made += 1
    return f"{made} officers added"


# --- citizens ------------------------------------------------------------------------------------

CITIZENS_SQL = """
INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active,
    date_joined, kind, full_name, national_id, date_of_birth, phone, tax_code, organisation_name, address,
    representative_id)
SELECT '!', false, %(prefix)s || g, '', '', '', false, true,
    now() - (g %% 1800) * interval '1 day', 'citizen',
    (ARRAY['Nguyễn','Trần','Lê','Phạm','Hoàng','Vũ','Đặng','Bùi','Đỗ','Hồ'])[1 + g %% 10] || ' ' ||
    (ARRAY['Văn','Thị','Minh','Thu','Đức','Ngọc'])[1 + (g / 10) %% 6] || ' ' ||
    (ARRAY['An','Bình','Hoa','Lan','Tuấn','Hà','Dũng','Mai','Sơn','Hương'])[1 + (g / 60) %% 10],
    '038' || (g %% 2)::text || lpad((50 + g %% 50)::text, 2, '0') || lpad(g::text, 6, '0'),
    make_date(1950 + g %% 50, 1 + g %% 12, 1 + g %% 28),
    '09' || lpad((g %% 100000000)::text, 8, '0'), '', '', 'Tỉnh Thanh Hóa', ''
FROM generate_series(%(first)s, %(last)s) AS g
"""


def _citizens(sizes: Sizes) -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM accounts_user WHERE username LIKE %s", [USERNAME_PREFIX + "%"])
        have = cur.fetchone()[0]
        if have:
            # The dossiers pick their citizens by offset from the first generated id, so the
            # generated accounts stay one block: an existing province keeps its citizens.
            return f"already generated ({have} citizens)"
        with transaction.atomic():
            cur.execute(CITIZENS_SQL, {"prefix": USERNAME_PREFIX, "first": 1, "last": sizes.citizens})
    return f"{sizes.citizens} citizens added"


# --- dossiers ------------------------------------------------------------------------------------

# Final statuses of finished dossiers and their share; the recent ones are open instead.
DOSSIERS_SQL = """
SET LOCAL session_replication_role = replica;
SELECT setseed(%(seed)s);
CREATE TEMP TABLE gen_choice ON COMMIT DROP AS
    SELECT row_number() OVER (ORDER BY pa.agency_id, v.id) AS n, pa.agency_id, a.code AS agency_code,
           a.tier, v.id AS version_id, v.max_service_level AS level,
           coalesce(v.time_limit, 5)::int AS days,
           EXISTS (SELECT 1 FROM procedures_fee f WHERE f.version_id = v.id AND f.amount > 0) AS has_fee,
           (SELECT f.amount FROM procedures_fee f WHERE f.version_id = v.id ORDER BY f.id LIMIT 1) AS fee
    FROM procedures_procedureagency pa
    JOIN procedures_procedureversion v ON v.id = pa.version_id AND v.is_current
    JOIN procedures_agency a ON a.id = pa.agency_id AND a.effective_to IS NULL
    WHERE pa.role = 'implementing';
CREATE TEMP TABLE gen_tier ON COMMIT DROP AS
    SELECT tier = 'commune' AS communal, min(n) AS first_n, count(*) AS cnt FROM gen_choice GROUP BY 1;
CREATE TEMP TABLE gen_citizen ON COMMIT DROP AS
    SELECT min(id) AS first_id, count(*) AS cnt FROM accounts_user WHERE username LIKE %(prefix)s;
CREATE TEMP TABLE gen_base ON COMMIT DROP AS
SELECT g AS i,
       -- more dossiers each year: the age is skewed towards now
       now() - interval '1 day' - (power(random(), 1.35) * %(years)s * 365 * 86400) * interval '1 second'
           AS created,
       random() < 0.6 AS communal, random() AS r_pick, random() AS r_channel, random() AS r_status,
       random() AS r_late, random() AS r_time, random() AS r_owner
FROM generate_series(1, %(count)s) AS g;
CREATE TEMP TABLE gen_dossier ON COMMIT DROP AS
SELECT b.i, b.created, c.agency_id, c.agency_code, c.version_id, c.level, c.days, c.has_fee, c.fee,
       CASE WHEN c.level >= 3 AND b.r_channel < 0.15 + 0.50 * (1 - extract(epoch FROM now() - b.created)
                / (%(years)s * 365 * 86400.0)) THEN 2
            WHEN b.r_channel > 0.95 THEN 3 ELSE 1 END AS channel,
       CASE WHEN b.created > now() - interval '45 days' THEN
                (ARRAY[0, 1, 2, 4, 4, 4, 5, 6, 9, 10, 10, 3])[1 + floor(b.r_status * 12)::int]
            ELSE (ARRAY[10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3, 7, 8, 9])[
                1 + floor(b.r_status * 20)::int] END AS status,
       b.r_late < 0.15 AS late, b.r_time, b.r_owner,
       gc.first_id + floor(b.r_owner * gc.cnt)::bigint AS citizen_id
FROM gen_base b
JOIN gen_tier t ON t.communal = b.communal
JOIN gen_choice c ON c.n = t.first_n + floor(b.r_pick * t.cnt)::bigint
CROSS JOIN gen_citizen gc;
"""

INSERT_DOSSIERS_SQL = """
SET LOCAL session_replication_role = replica;
CREATE TEMP TABLE gen_final ON COMMIT DROP AS
SELECT d.*,
       CASE WHEN d.status = 0 THEN NULL ELSE d.created + interval '5 minutes' END AS submitted,
       CASE WHEN d.status IN (0, 1, 3, 7) THEN NULL ELSE d.created + interval '2 hours' END AS received,
       CASE WHEN d.status IN (0, 1, 3, 7) THEN NULL
            ELSE d.created + interval '2 hours' + (d.days * 1.4) * interval '1 day' END AS due
FROM gen_dossier d;
CREATE TEMP TABLE gen_timed ON COMMIT DROP AS
SELECT f.*,
       CASE WHEN f.status IN (3, 7, 8, 9, 10) THEN least(now() - interval '1 minute',
            CASE WHEN f.status = 3 THEN f.created + interval '20 hours'
                 WHEN f.received IS NULL THEN f.created + interval '3 hours'
                 WHEN f.late THEN f.due + (1 + f.r_time * 10) * interval '1 day'
                 ELSE f.received + (f.due - f.received) * (0.3 + 0.7 * f.r_time) END)
       END AS finished,
       row_number() OVER (PARTITION BY f.agency_code, (f.created AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                          ORDER BY f.created, f.i) AS day_no
FROM gen_final f;
INSERT INTO dossiers_dossier (id, public_id, code, owner_type, channel, status, applicant_name,
    applicant_id_number, applicant_phone, applicant_email, applicant_address, form_data, created_at, updated_at,
    submitted_at, received_at, due_at, finished_at, withdraw_reason, agency_id, case_id, owner_id,
    procedure_version_id, counter_officer_id, delivery_address, department, handler_id, result_delivery, step,
    step_due_at, transfer_agency_id)
SELECT %(first_id)s + t.i, md5(%(seed)s::text || t.i)::uuid,
       CASE WHEN t.status = 0 THEN NULL ELSE t.agency_code || '-' ||
            to_char(t.created AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD') || '-' || (5000 + t.day_no)::text END,
       1, CASE WHEN t.status = 0 THEN 2 ELSE t.channel END, t.status,
       u.full_name, u.national_id, u.phone, '', 'Tỉnh Thanh Hóa', '{}'::jsonb,
       t.created, coalesce(t.finished, t.created + interval '2 hours'),
       t.submitted, t.received, t.due, t.finished,
       CASE WHEN t.status = 7 THEN 'Công dân đề nghị rút hồ sơ' ELSE '' END,
       t.agency_id, NULL,
       CASE WHEN t.channel = 2 OR t.status = 0 OR t.r_owner < 0.7 THEN t.citizen_id END,
       t.version_id, NULL, '', CASE WHEN t.status IN (4, 5, 6) THEN 'Phòng chuyên môn' ELSE '' END,
       CASE WHEN t.status IN (4, 5, 6) THEN (SELECT min(sa.user_id) FROM accounts_staffassignment sa
            WHERE sa.agency_id = t.agency_id AND sa.role = 'specialist') END,
       CASE WHEN t.channel = 2 THEN 'online' WHEN t.channel = 3 THEN 'post' ELSE 'counter' END,
       CASE WHEN t.status = 4 THEN 'specialist' ELSE '' END, NULL, NULL
FROM gen_timed t JOIN accounts_user u ON u.id = t.citizen_id;
"""


def _dossiers(sizes: Sizes) -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM dossiers_dossier WHERE id > %s", [ID_BASE])
        if cur.fetchone()[0]:
            return "already generated (dossiers with generated ids exist)"
        seed = ((sizes.seed % 1000) / 1000.0) - 0.5
        with transaction.atomic():
            cur.execute(
                DOSSIERS_SQL,
                {"seed": seed, "years": sizes.years, "count": sizes.dossiers, "prefix": USERNAME_PREFIX + "%"},
            )
            cur.execute(INSERT_DOSSIERS_SQL, {"first_id": ID_BASE, "seed": sizes.seed})
            cur.execute("SELECT count(*) FROM dossiers_dossier WHERE id > %s", [ID_BASE])
            return f"{cur.fetchone()[0]} dossiers"


# Generated rows take ids from here, clear of anything the demo or the tests created.
ID_BASE = 100_000_000

# The history each final status leaves: (from, to, action, step) rows, in order.
PATHS = {
    1: [(0, 1, "submit", "")],
    2: [(0, 1, "submit", ""), (1, 2, "receive", "")],
    3: [(0, 1, "submit", ""), (1, 3, "refuse", "")],
    4: [(0, 1, "submit", ""), (1, 2, "receive", ""), (2, 4, "assign", "specialist")],
    5: [(0, 1, "submit", ""), (1, 2, "receive", ""), (2, 4, "assign", "specialist"),
        (4, 5, "request_supplement", "")],
    6: [(0, 1, "submit", ""), (1, 2, "receive", ""), (2, 4, "assign", "specialist"), (4, 6, "request_payment", "")],
    7: [(0, 1, "submit", ""), (1, 7, "withdraw", "")],
    8: [(0, 1, "submit", ""), (1, 2, "receive", ""), (2, 4, "assign", "specialist"), (4, 8, "stop", "")],
    9: [(0, 1, "submit", ""), (1, 2, "receive", ""), (2, 4, "assign", "specialist"), (4, 4, "propose", "approval"),
        (4, 4, "approve", "issuing"), (4, 9, "record_result", "")],
    10: [(0, 1, "submit", ""), (1, 2, "receive", ""), (2, 4, "assign", "specialist"),
         (4, 4, "propose", "approval"), (4, 4, "approve", "issuing"), (4, 9, "record_result", ""),
         (9, 10, "return_result", "")],
}  # fmt: skip

HISTORY_SQL = """
SET LOCAL session_replication_role = replica;
CREATE TEMP TABLE gen_path (final smallint, k int, n int, from_status smallint, to_status smallint,
                            action text, step text) ON COMMIT DROP;
INSERT INTO gen_path VALUES {paths};
CREATE TEMP TABLE gen_staff ON COMMIT DROP AS
    SELECT agency_id,
           min(user_id) FILTER (WHERE role = 'one_stop_officer') AS desk,
           min(user_id) FILTER (WHERE role = 'specialist') AS specialist,
           min(user_id) FILTER (WHERE role IN ('agency_leader', 'department_leader')) AS leader
    FROM accounts_staffassignment WHERE active GROUP BY agency_id;
INSERT INTO dossiers_statuschange (from_status, to_status, action, at, note, step_deadline, actor_id, dossier_id,
    agency_id, department, handler_id, to_step)
SELECT CASE WHEN p.k = 1 THEN NULL ELSE p.from_status END, p.to_status, p.action,
       CASE WHEN p.k = 1 THEN d.submitted_at
            WHEN p.k = 2 AND d.received_at IS NOT NULL THEN d.received_at
            WHEN p.k = p.n AND d.finished_at IS NOT NULL THEN d.finished_at
            ELSE coalesce(d.received_at, d.submitted_at)
                 + (coalesce(d.finished_at, least(d.due_at, now())) - coalesce(d.received_at, d.submitted_at))
                 * ((p.k - 1)::float / p.n) END,
       '', NULL,
       CASE WHEN p.action IN ('submit', 'withdraw') AND d.channel = 2 THEN d.owner_id
            WHEN p.action IN ('propose', 'request_supplement', 'request_payment') THEN coalesce(s.specialist, s.desk)
            WHEN p.action IN ('approve', 'stop') THEN coalesce(s.leader, s.desk)
            ELSE s.desk END,
       d.id, d.agency_id, CASE WHEN p.step = 'specialist' THEN 'Phòng chuyên môn' ELSE '' END,
       CASE WHEN p.step = 'specialist' THEN s.specialist END, p.step
FROM dossiers_dossier d JOIN gen_path p ON p.final = d.status LEFT JOIN gen_staff s ON s.agency_id = d.agency_id
WHERE d.id > %(base)s AND d.status > 0;
INSERT INTO dossiers_supplementrequest (dossier_id, items, reason, respond_by, from_status, requested_by_id,
    requested_at, answered_at, answer_note, change_id)
SELECT d.id, 'Bản sao giấy tờ tùy thân rõ nét', 'Bản chụp mờ', (c.at + interval '10 days')::date, 4,
       (SELECT min(sa.user_id) FROM accounts_staffassignment sa WHERE sa.agency_id = d.agency_id),
       c.at, NULL, '', c.id
FROM dossiers_dossier d
JOIN dossiers_statuschange c ON c.dossier_id = d.id AND c.action = 'request_supplement'
WHERE d.id > %(base)s AND d.status = 5;
"""


def _history() -> str:
    values = ", ".join(
        f"({final}, {k}, {len(rows)}, {f}, {t}, '{action}', '{step}')"
        for final, rows in PATHS.items()
        for k, (f, t, action, step) in enumerate(rows, start=1)
    )
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM dossiers_statuschange WHERE dossier_id > %s", [ID_BASE])
        if cur.fetchone()[0]:
            return "already generated"
        with transaction.atomic():
            cur.execute(HISTORY_SQL.format(paths=values), {"base": ID_BASE})
            cur.execute("SELECT count(*) FROM dossiers_statuschange WHERE dossier_id > %s", [ID_BASE])
            rows = cur.fetchone()[0]
            cur.execute("SELECT count(*) FROM dossiers_supplementrequest WHERE dossier_id > %s", [ID_BASE])
            return f"{rows} history rows, {cur.fetchone()[0]} supplement requests"


DOCUMENTS_SQL = """
SET LOCAL session_replication_role = replica;
INSERT INTO dossiers_storedfile (id, public_id, kind, title, file, content_type, size, sha256, page_count,
    created_at, owner_id, source_dossier_id)
SELECT d.id, md5('f' || d.id)::uuid, 'upload', 'Giấy tờ đính kèm', 'sinh-thu/' || d.id || '.pdf',
       'application/pdf', 180000 + (d.id %% 900000), md5(d.id::text) || md5(d.id::text), 1 + (d.id %% 4)::smallint,
       d.created_at, d.owner_id, d.id
FROM dossiers_dossier d WHERE d.id > %(base)s AND d.owner_id IS NOT NULL;
INSERT INTO dossiers_dossierdocument (render_state, render_key, updated_at, dossier_id, required_document_id,
    stored_file_id, original_seen)
SELECT 'ready', '', d.created_at, d.id, rd.id, CASE WHEN d.owner_id IS NOT NULL THEN d.id END, d.channel <> 2
FROM dossiers_dossier d
JOIN LATERAL (SELECT r.id FROM procedures_requireddocument r WHERE r.version_id = d.procedure_version_id
              ORDER BY r.required DESC, r."order", r.id LIMIT 1) rd ON true
WHERE d.id > %(base)s;
"""


def _documents() -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM dossiers_dossierdocument WHERE dossier_id > %s", [ID_BASE])
        if cur.fetchone()[0]:
            return "already generated"
        with transaction.atomic():
            cur.execute(DOCUMENTS_SQL, {"base": ID_BASE})
            cur.execute("SELECT count(*) FROM dossiers_dossierdocument WHERE dossier_id > %s", [ID_BASE])
            return f"{cur.fetchone()[0]} documents"


PAYMENTS_SQL = """
SET LOCAL session_replication_role = replica;
INSERT INTO payments_paymentattempt (txn_ref, method, amount, lines, state, created_at, expires_at, updated_at,
    succeeded_at, gateway_transaction_no, bank_code, response_code, transaction_status, dossier_id, payer_id,
    recorded_by_id, counter_receipt_number)
SELECT 'G' || d.id, CASE WHEN d.channel = 2 AND v.service_level = 4 THEN 'vnpay' ELSE 'cash' END,
       f.amount, '[]'::jsonb, 'succeeded', d.received_at, NULL, d.received_at, d.received_at,
       CASE WHEN d.channel = 2 AND v.service_level = 4 THEN (10000000 + d.id)::text ELSE '' END,
       CASE WHEN d.channel = 2 AND v.service_level = 4 THEN 'NCB' ELSE '' END,
       '00', '00', d.id, d.owner_id, NULL,
       CASE WHEN d.channel = 2 AND v.service_level = 4 THEN '' ELSE 'BL-' || d.id END
FROM dossiers_dossier d
JOIN procedures_procedureversion v ON v.id = d.procedure_version_id
JOIN LATERAL (SELECT fee.amount FROM procedures_fee fee WHERE fee.version_id = v.id AND fee.amount > 0
              ORDER BY fee.id LIMIT 1) f ON true
WHERE d.id > %(base)s AND d.received_at IS NOT NULL;
INSERT INTO feedback_rating (source, overall, criteria, comment, created_at, dossier_id, rated_by_id,
    recorded_by_id)
SELECT 'online',
       (ARRAY['very_satisfied', 'very_satisfied', 'satisfied', 'satisfied', 'satisfied', 'dissatisfied'])[
           1 + (d.id %% 6)::int],
       '{}'::jsonb, '', d.finished_at + interval '1 day', d.id, d.owner_id, NULL
FROM dossiers_dossier d
WHERE d.id > %(base)s AND d.status = 10 AND d.channel = 2 AND d.id %% 3 = 0;
"""


def _payments_and_ratings() -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM payments_paymentattempt WHERE dossier_id > %s", [ID_BASE])
        if cur.fetchone()[0]:
            return "already generated"
        with transaction.atomic():
            cur.execute(PAYMENTS_SQL, {"base": ID_BASE})
            cur.execute("SELECT count(*) FROM payments_paymentattempt WHERE dossier_id > %s", [ID_BASE])
            payments = cur.fetchone()[0]
            cur.execute("SELECT count(*) FROM feedback_rating WHERE dossier_id > %s", [ID_BASE])
            return f"{payments} payments, {cur.fetchone()[0]} ratings"


FINISH_SQL = """
INSERT INTO dossiers_dossiercodecounter (agency_code, day, last)
SELECT split_part(code, '-', 1), to_date(split_part(code, '-', 2), 'YYMMDD'), max(split_part(code, '-', 3)::int)
FROM dossiers_dossier WHERE id > %(base)s AND code IS NOT NULL GROUP BY 1, 2
ON CONFLICT (agency_code, day) DO UPDATE SET last = greatest(dossiers_dossiercodecounter.last, EXCLUDED.last);
"""


def _finish() -> str:
    from django.core.management.color import no_style

    from accounts.models import User
    from dossiers.models import Dossier, StatusChange, StoredFile
    from feedback.models import Rating
    from payments.models import PaymentAttempt

    with connection.cursor() as cur:
        with transaction.atomic():
            cur.execute(FINISH_SQL, {"base": ID_BASE})
        for sql in connection.ops.sequence_reset_sql(
            no_style(), [User, Dossier, StatusChange, StoredFile, PaymentAttempt, Rating]
        ):
            cur.execute(sql)
        cur.execute("ANALYZE")
    return "done"
