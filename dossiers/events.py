"""Domain events of dossiers, emitted in one place (``workflow.dossier_transition``).

Receivers (notifications, national-portal sync, reports) connect to
``dossier_status_changed``; it is sent only after the transaction that made the
change commits, so a receiver never sees a change that was rolled back.
"""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# Sent with: dossier_id, change_id, action, from_status, to_status, form.
dossier_status_changed = Signal()


def emit_status_changed(change, *, form: str = "") -> None:
    """``form`` is the standard form (Mẫu) the action issues, if any (``printing`` renders it)."""
    payload = {
        "form": form,
        "dossier_id": change.dossier_id,
        "change_id": change.pk,
        "action": change.action,
        "from_status": change.from_status,
        "to_status": change.to_status,
    }

    def send() -> None:
        for receiver, result in dossier_status_changed.send_robust(sender=change.__class__, **payload):
            if isinstance(result, Exception):
                logger.error("dossier event receiver %r failed: %s", receiver, result, exc_info=result)

    transaction.on_commit(send)
