"""Celery tasks of the notifications queue: thin wrappers around ``services``."""

from celery import shared_task

from . import services


@shared_task(name="notifications.deliver", acks_late=True, time_limit=60, soft_time_limit=50)
def deliver(notification_id: int) -> str:
    """Deliver one notification (idempotent: a row already sent or being sent is skipped);
    a failed attempt that may work later queues the next one after its back-off."""
    outcome = services.notification_deliver(notification_id=notification_id)
    if outcome.retry_in is not None:
        from portal.queueing import enqueue

        enqueue(deliver, notification_id, countdown=outcome.retry_in)
    return outcome.state


@shared_task(name="notifications.sweep", acks_late=True)
def sweep() -> int:
    """Every minute (beat): queue notifications whose message was lost."""
    return services.notifications_sweep()


@shared_task(name="notifications.officer_deadlines", acks_late=True)
def officer_deadlines() -> int:
    """Working days at 07:30 (beat): dossiers due soon or overdue, to their handler and head."""
    return services.officer_deadline_alerts()


@shared_task(name="notifications.officer_digests", acks_late=True)
def officer_digests() -> int:
    """Working days at 17:15 (beat): each officer who chose it gets the day's work e-mails in one."""
    return services.officer_email_digests()


@shared_task(name="notifications.citizen_reminders", acks_late=True)
def citizen_reminders() -> int:
    """Daily at 08:00 (beat): supplements due today or tomorrow, not yet answered."""
    return services.citizen_reminders()
