"""Celery tasks of the payments queue: thin wrappers around ``payments.reconciliation``."""

import datetime

from celery import shared_task
from django.utils import timezone

from . import reconciliation


@shared_task(name="payments.reconcile_pending", acks_late=True)
def reconcile_pending() -> dict:
    """Every five minutes (beat): ask the gateway about attempts whose IPN has not come."""
    return reconciliation.pending_reconcile()


@shared_task(name="payments.reconcile_statement", acks_late=True)
def reconcile_statement(day: str | None = None) -> dict:
    """Daily at 02:00 (beat): yesterday's statement against the ledger."""
    when = datetime.date.fromisoformat(day) if day else timezone.localdate() - datetime.timedelta(days=1)
    result = reconciliation.statement_fetch_and_reconcile(day=when)
    return {"lines": result.lines, "matched": result.matched, "credited": result.credited, **result.discrepancies}
