from celery import shared_task

from . import retention


@shared_task(name="privacy.purge", acks_late=True)
def purge() -> dict:
    """Daily (beat, 03:20): the retention schedule (``privacy.retention.retention_run``).
    When the time budget runs out with work left (a first run on a province with 100,000
    old drafts), another run is queued and continues."""
    report = retention.retention_run()
    if report.more:
        from portal.queueing import enqueue

        enqueue(purge, countdown=5)
    return report.as_dict()
