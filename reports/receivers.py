"""Mark a dossier's report figures for a refresh, inside the transaction of the change
(a status change, a payment, a rating, feedback about it, its first push to the national
portal), and ask for a refresh once it
commits. The beat runs the refresher every minute too, so a message lost with the broker
down only delays the figures: the marks are in the database."""

from django.db import transaction

from dossiers.events import dossier_status_recorded
from feedback.events import feedback_received, rating_recorded
from national.events import dossier_synced
from payments.events import payment_recorded
from portal import queueing

from . import services


def _mark(dossier_id: int) -> None:
    from .tasks import refresh

    services.mark_stale([dossier_id])
    transaction.on_commit(lambda: queueing.enqueue(refresh))


def on_status(sender, *, change, **kwargs) -> None:
    _mark(change.dossier_id)


def on_payment(sender, *, attempt, **kwargs) -> None:
    _mark(attempt.dossier_id)


def on_rating(sender, *, rating, **kwargs) -> None:
    _mark(rating.dossier_id)


def on_feedback(sender, *, feedback, **kwargs) -> None:
    if feedback.dossier_id:
        _mark(feedback.dossier_id)


def on_synced(sender, *, dossier_id, **kwargs) -> None:
    _mark(dossier_id)


def connect() -> None:
    dossier_status_recorded.connect(on_status, dispatch_uid="reports.on_status")
    payment_recorded.connect(on_payment, dispatch_uid="reports.on_payment")
    rating_recorded.connect(on_rating, dispatch_uid="reports.on_rating")
    feedback_received.connect(on_feedback, dispatch_uid="reports.on_feedback")
    dossier_synced.connect(on_synced, dispatch_uid="reports.on_synced")
