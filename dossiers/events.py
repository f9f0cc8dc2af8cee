"""Domain events of dossiers, emitted in one place (``workflow.dossier_transition``).

Receivers (printing, the officers' queue counts, national-portal sync, reports) connect
to ``dossier_status_changed``; it is sent only after the transaction that made the
change commits, so a receiver never sees a change that was rolled back. The
notifications outbox connects to ``dossier_status_recorded``, sent inside that
transaction, so that its rows commit or roll back with the change.
"""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# Sent with: dossier_id, change_id, action, from_status, to_status, form.
dossier_status_changed = Signal()

# Sent inside the transaction that makes the change, with ``change`` (the new history row,
# its ``dossier`` the locked, updated dossier) and ``form``: for receivers that must write
# in that same transaction (the notifications outbox). A receiver's error rolls the whole
# change back, so such receivers only write rows; anything that talks to the outside
# waits for ``dossier_status_changed``.
dossier_status_recorded = Signal()


def emit_status_changed(change, *, form: str = "") -> None:
    """``form`` is the standard form (Mẫu) the action issues, if any (``printing`` renders it)."""
    dossier_status_recorded.send(sender=change.__class__, change=change, form=form)
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
