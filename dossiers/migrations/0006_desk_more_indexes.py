"""Two more indexes for the officers' pages (docs/BENCHMARKS.md, "Officers' pages").

``dossier_version_submitted`` — submitted dossiers of one procedure version by submission
time: "Tất cả hồ sơ" filtered by a procedure (and a month) reads the page's 26 rows in
order instead of every dossier of the procedure in that month (7,749 rows for the most
used procedure of the benchmark's agency, then joined and sorted: 21 ms → under 1 ms).
``desk.selectors.queue_dossiers`` filters on the procedure's version ids for it.

``dossier_department_queue`` — dossiers in processing by agency, department and the
queues' order: "Phòng tôi đang xử lý" is read in order, and its count (one of the scalar
subqueries of ``desk.selectors._count_each``) becomes an index-only scan of the
department's rows instead of every open dossier of the agency (3 ms → under 1 ms).

PostgreSQL only, as 0005; the model state is unchanged.
"""

from django.db import migrations

from portal.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0005_desk_indexes"),
    ]

    operations = [
        PostgresOnlySQL(
            sql=[
                "CREATE INDEX IF NOT EXISTS dossier_version_submitted "
                "ON dossiers_dossier (procedure_version_id, submitted_at, id) WHERE status > 0",
                "CREATE INDEX IF NOT EXISTS dossier_department_queue "
                "ON dossiers_dossier (agency_id, department, due_at, submitted_at, id) WHERE status = 4",
            ],
            reverse_sql=[
                "DROP INDEX IF EXISTS dossier_department_queue",
                "DROP INDEX IF EXISTS dossier_version_submitted",
            ],
        ),
    ]
