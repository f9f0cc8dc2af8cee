"""Write the outbox rows of each dossier change, inside the change's transaction."""

from dossiers.events import dossier_status_recorded

from . import services


def write_outbox(sender, *, change, **kwargs) -> None:
    """On ``dossier_status_recorded`` (inside the transaction of the change)."""
    services.notifications_for_change(change)


def write_payment_outbox(sender, *, attempt, **kwargs) -> None:
    """On ``payments.events.payment_recorded`` (inside the payment's transaction)."""
    services.notifications_for_payment(attempt)


def write_feedback_outbox(sender, *, feedback, **kwargs) -> None:
    """On ``feedback.events.feedback_answered`` (inside the transaction of the publication)."""
    services.notifications_for_feedback(feedback)


def connect() -> None:
    from feedback.events import feedback_answered
    from payments.events import payment_recorded

    feedback_answered.connect(write_feedback_outbox, dispatch_uid="notifications.write_feedback_outbox")
    dossier_status_recorded.connect(write_outbox, dispatch_uid="notifications.write_outbox")
    payment_recorded.connect(write_payment_outbox, dispatch_uid="notifications.write_payment_outbox")
