"""The officers' name search within their agency (``applicant_name__icontains`` under the
queue's agency condition) from one index: trigrams of ``UPPER(applicant_name)`` together
with ``agency_id`` (``btree_gin``), so PostgreSQL intersects the two inside the index.

Found by ``make bench`` on the generated province: with the trigram index alone, a common
full name ("Nguyễn Thị Mai") matched thousands of dossiers across the province's 2.2 million
before the agency was checked (120 ms of SQL). ``btree_gin`` is a trusted extension on
PostgreSQL 13+ (the database owner may create it). On a large live database, create the
index beforehand with ``CREATE INDEX CONCURRENTLY IF NOT EXISTS …`` (the same statement):
the migration then finds it and does not lock the table. PostgreSQL only.
"""

from django.db import migrations

from portal.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0007_history_at_of_the_transition")]

    operations = [
        PostgresOnlySQL(
            sql=[
                "CREATE EXTENSION IF NOT EXISTS btree_gin",
                "CREATE INDEX IF NOT EXISTS dossier_agency_name_trgm "
                "ON dossiers_dossier USING gin (agency_id, UPPER(applicant_name) gin_trgm_ops)",
            ],
            reverse_sql=["DROP INDEX IF EXISTS dossier_agency_name_trgm"],
        )
    ]
