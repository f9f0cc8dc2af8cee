"""Bring the benchmark database to about ``--target`` current procedures.

Runs ``manage.py seed_demo`` (the demo province: agencies, fields, hand-written
procedures), then ``manage.py generate_catalog --count N`` with N the number still
missing, then ANALYZE. Running it again on a full catalog only re-runs seed_demo.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \
        .venv/bin/python -m benchmarks.ensure_catalog --target 2000
"""

import argparse
import os
import sys


def current_count() -> int:
    from procedures.models import ProcedureVersion

    return ProcedureVersion.objects.filter(is_current=True).count()


def main() -> int:
    parser = argparse.ArgumentParser(description="Seed the benchmark catalog up to --target current procedures.")
    parser.add_argument("--target", type=int, default=2000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("seed_demo")
    missing = args.target - current_count()
    if missing > 0:
        call_command("generate_catalog", count=missing)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics now, not whenever autovacuum gets to it
    total = current_count()
    print(f"benchmark catalog: {total} current procedures (target {args.target})")
    return 0 if total >= args.target * 0.95 else 1


if __name__ == "__main__":
    sys.exit(main())
