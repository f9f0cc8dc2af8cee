from celery import shared_task

from . import services


@shared_task(name="api.purge_idempotency", acks_late=True)
def purge_idempotency() -> int:
    """Hourly (beat): forget Idempotency-Key answers older than 24 hours."""
    return services.idempotency_purge()
