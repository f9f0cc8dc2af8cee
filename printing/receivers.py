"""Issue the standard form (biểu mẫu) an action calls for, when the dossier event says so.

``PRINTING_RENDER_ON_EVENTS`` (default True): set it False to only record the issued
form; its PDF is then rendered when someone first opens it.
"""

import logging

from django.conf import settings

from dossiers.events import dossier_status_changed

from . import services
from .models import FormKind

logger = logging.getLogger(__name__)


def issue_form(sender, *, form: str = "", dossier_id: int, change_id: int, **kwargs) -> None:
    """On ``dossier_status_changed`` with a form (Mẫu 01–05): record the issued form once
    per history row and render it in the background (queue "documents")."""
    if not form:
        return
    if form not in FormKind.values:
        logger.warning("unknown form %r for dossier %s", form, dossier_id)
        return
    issued = services.form_issue(dossier_id=dossier_id, kind=form, change_id=change_id)
    if issued.is_ready or not getattr(settings, "PRINTING_RENDER_ON_EVENTS", True):
        return
    from portal.queueing import enqueue

    from .tasks import render_form

    # Already after commit (the event is): queue now; if the broker is down the form is
    # rendered when it is first opened.
    enqueue(render_form, issued.pk)


def connect() -> None:
    dossier_status_changed.connect(issue_form, dispatch_uid="printing.issue_form")
