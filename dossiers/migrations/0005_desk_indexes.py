"""Indexes for the officers' pages on PostgreSQL (docs/BENCHMARKS.md, "Officers' pages").

Measured with 200,000 dossiers in one agency (``benchmarks/desk_server_time.py``); each
turns a read of thousands of rows, or of the agency's whole history, into a read of the
page's 26 rows (or of the open dossiers only):

* ``dossier_open_due`` — the open dossiers only (statuses 1, 2, 4, 5, 6, 9), by agency and
  due date, carrying every column the queue counts look at: the counts of every queue
  (``desk.selectors.queues_for``, on every queue page) become an index-only scan of the
  open dossiers instead of a heap scan, and "Quá hạn" / "Sắp đến hạn" are read in due-date
  order instead of sorting every overdue dossier.
* ``dossier_open_queue`` — open dossiers by agency, status and the queues' order (due date,
  submission, id): "Chờ tiếp nhận", "Mới tiếp nhận", "Chờ bổ sung", "Chờ trả kết quả".
* ``dossier_step_queue`` — dossiers in processing by agency, internal step and that order:
  the leaders' "Chờ tôi duyệt" and "Chờ ban hành kết quả".
* ``dossier_handler_queue`` — a specialist's dossiers (statuses 4, 5, 6) in that order:
  "Tôi đang xử lý".
* ``dossier_submitted`` — submitted dossiers by submission time: "Tất cả hồ sơ" (newest
  first) reads the newest rows instead of sorting the agency's whole history, and the
  submission-date filter is a range on it.
* ``dossier_applicant_name_trgm`` — trigrams of ``UPPER(applicant_name)``: the name search
  (``applicant_name__icontains``, i.e. ``UPPER(applicant_name) LIKE UPPER('%…%')``) no
  longer reads every dossier of the agency.
* ``dossier_code_trgm`` — trigrams of the code: the ID-number search also matches
  ``code LIKE '%<digits>'`` (``code__endswith``), which no b-tree can serve.

PostgreSQL only (``pg_trgm`` comes with procedures.0002); nothing on the embedded SQLite.
The model state is unchanged (RunSQL), as for the catalog's trigram indexes.
"""

from django.db import migrations

from portal.migration_ops import PostgresOnlySQL

OPEN = "status IN (1, 2, 4, 5, 6, 9)"  # submitted, received, processing, supplement, payment, resolved


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0004_supplement_change"),
        ("procedures", "0002_postgres_search"),  # CREATE EXTENSION pg_trgm
    ]

    operations = [
        PostgresOnlySQL(
            sql=[
                "CREATE INDEX IF NOT EXISTS dossier_open_due ON dossiers_dossier (agency_id, due_at) "
                f"INCLUDE (status, step, handler_id, department, transfer_agency_id, id) WHERE {OPEN}",
                "CREATE INDEX IF NOT EXISTS dossier_open_queue "
                f"ON dossiers_dossier (agency_id, status, due_at, submitted_at, id) WHERE {OPEN}",
                "CREATE INDEX IF NOT EXISTS dossier_step_queue "
                "ON dossiers_dossier (agency_id, step, due_at, submitted_at, id) WHERE status = 4",
                "CREATE INDEX IF NOT EXISTS dossier_handler_queue "
                "ON dossiers_dossier (handler_id, due_at, submitted_at, id) WHERE status IN (4, 5, 6)",
                "CREATE INDEX IF NOT EXISTS dossier_submitted ON dossiers_dossier (submitted_at, id) WHERE status > 0",
                "CREATE INDEX IF NOT EXISTS dossier_applicant_name_trgm "
                "ON dossiers_dossier USING gin (UPPER(applicant_name) gin_trgm_ops)",
                "CREATE INDEX IF NOT EXISTS dossier_code_trgm ON dossiers_dossier USING gin (code gin_trgm_ops)",
                # Statistics of the new expression (UPPER(applicant_name)) now, for the planner.
                "ANALYZE dossiers_dossier",
            ],
            reverse_sql=[
                "DROP INDEX IF EXISTS dossier_code_trgm",
                "DROP INDEX IF EXISTS dossier_applicant_name_trgm",
                "DROP INDEX IF EXISTS dossier_submitted",
                "DROP INDEX IF EXISTS dossier_handler_queue",
                "DROP INDEX IF EXISTS dossier_step_queue",
                "DROP INDEX IF EXISTS dossier_open_queue",
                "DROP INDEX IF EXISTS dossier_open_due",
            ],
        ),
    ]
