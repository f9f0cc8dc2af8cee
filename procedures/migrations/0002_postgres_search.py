"""Diacritics-insensitive, typo-tolerant catalog search on PostgreSQL.

``search_text`` already holds the folded text (portal.text.fold, equal to
``lower(unaccent(...))`` for Vietnamese); a pg_trgm GIN index serves both the
substring match (LIKE '%term%') and word similarity for typos. ``unaccent`` and an
IMMUTABLE wrapper ``f_unaccent`` are installed for database-side use and for the
test that checks fold() against PostgreSQL (research §5.4).
"""

from django.db import migrations

from portal.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]

    operations = [
        PostgresOnlySQL(
            sql=[
                "CREATE EXTENSION IF NOT EXISTS unaccent",
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text "
                "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
                "AS $$ SELECT public.unaccent('public.unaccent', $1) $$",
                "CREATE INDEX IF NOT EXISTS procedureversion_search_trgm "
                "ON procedures_procedureversion USING gin (search_text gin_trgm_ops)",
                "CREATE INDEX IF NOT EXISTS agency_search_trgm "
                "ON procedures_agency USING gin (search_text gin_trgm_ops)",
            ],
            reverse_sql=[
                "DROP INDEX IF EXISTS agency_search_trgm",
                "DROP INDEX IF EXISTS procedureversion_search_trgm",
            ],
        ),
    ]
