"""Reconciliation of a 100,000-line statement against the ledger: target ≤ 20 s.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_province .venv/bin/python benchmarks/statement_reconcile.py

Writes 100,000 succeeded online attempts paid on one day (bulk, not timed), builds that
day's statement from them with 50 lines changed (10 different amounts, 10 duplicates,
10 strangers' references, 20 left out so the ledger has successes the statement lacks),
and times ``payments.reconciliation.statement_reconcile`` over the parsed lines; the
CSV parsing is timed apart. Everything it wrote is deleted at the end.
"""

import datetime
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_province")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django  # noqa: E402

from benchmarks.targets import target  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from dossiers.models import Dossier  # noqa: E402
from payments import reconciliation  # noqa: E402
from payments.constants import AttemptState, Method  # noqa: E402
from payments.models import Discrepancy, PaymentAttempt  # noqa: E402

N = int(os.environ.get("BENCH_STATEMENT_LINES", "100000"))
PREFIX = "TTBENCH"


def main() -> int:
    call_command("migrate", verbosity=0)
    dossier = Dossier.objects.exclude(status=0).order_by("pk").first()
    day = datetime.date(2026, 11, 30)
    paid_at = timezone.make_aware(datetime.datetime(2026, 11, 30, 10, 0))
    PaymentAttempt.objects.filter(txn_ref__startswith=PREFIX).delete()
    started = time.perf_counter()
    PaymentAttempt.objects.bulk_create(
        [
            PaymentAttempt(
                txn_ref=f"{PREFIX}{n:08d}",
                dossier=dossier,
                method=Method.VNPAY,
                amount=50_000 + (n % 7) * 1_000,
                state=AttemptState.SUCCEEDED,
                succeeded_at=paid_at,
                gateway_transaction_no=str(10_000_000 + n),
            )
            for n in range(N)
        ],
        batch_size=5000,
    )
    written = time.perf_counter() - started
    buf = io.StringIO()
    buf.write("txn_ref,transaction_no,amount,status,pay_date\n")
    for n in range(N):
        if n % 5000 == 1 and n < 20 * 5000:
            continue  # 20 left out of the statement
        amount = 50_000 + (n % 7) * 1_000 + (1 if n % 10000 == 3 else 0)  # 10 different amounts
        buf.write(f"{PREFIX}{n:08d},{10_000_000 + n},{amount},00,20261130100000\n")
        if n % 10000 == 7:
            buf.write(f"{PREFIX}{n:08d},{10_000_000 + n},{amount},00,20261130100000\n")  # 10 duplicates
    for n in range(10):
        buf.write(f"TTSTRANGER{n:04d},{90_000_000 + n},10000,00,20261130100000\n")
    text = buf.getvalue()
    try:
        t0 = time.perf_counter()
        lines = reconciliation.parse_statement(text)
        parsed = time.perf_counter() - t0
        t1 = time.perf_counter()
        result = reconciliation.statement_reconcile(day=day, lines=lines)
        matched = time.perf_counter() - t1
    finally:
        Discrepancy.objects.filter(txn_ref__startswith=PREFIX).delete()
        Discrepancy.objects.filter(txn_ref__startswith="TTSTRANGER").delete()
        PaymentAttempt.objects.filter(txn_ref__startswith=PREFIX).delete()
    print(f"# load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; ledger written in {written:.1f} s")
    print("\n| statement lines | parse s | reconcile s | matched | discrepancies |\n|---:|---:|---:|---:|---|")
    print(
        f"| {result.lines:,} | {parsed:.2f} | **{matched:.2f}** | {result.matched:,} | "
        f"{', '.join(f'{k} {v}' for k, v in sorted(result.discrepancies.items()))} |"
    )
    print()
    target("reconcile a 100,000-line statement", round(parsed + matched, 2), 20, "s",
           limit="parsing the file and matching in batches against the ledger")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
