"""Mark a dossier's report figures for a refresh, inside the transaction of the change
(a status change, a payment, a rating, feedback about it): the refresher
(``reports.services.refresh``) picks the marks up, so nothing is missed even when the
broker is down."""

from dossiers.events import dossier_status_recorded
from feedback.events import feedback_received, rating_recorded
from payments.events import payment_recorded

from . import services


def on_status(sender, *, change, **kwargs) -> None:
    services.mark_stale([change.dossier_id])


def on_payment(sender, *, attempt, **kwargs) -> None:
    services.mark_stale([attempt.dossier_id])


def on_rating(sender, *, rating, **kwargs) -> None:
    services.mark_stale([rating.dossier_id])


def on_feedback(sender, *, feedback, **kwargs) -> None:
    if feedback.dossier_id:
        services.mark_stale([feedback.dossier_id])


def connect() -> None:
    dossier_status_recorded.connect(on_status, dispatch_uid="reports.on_status")
    payment_recorded.connect(on_payment, dispatch_uid="reports.on_payment")
    rating_recorded.connect(on_rating, dispatch_uid="reports.on_rating")
    feedback_received.connect(on_feedback, dispatch_uid="reports.on_feedback")
