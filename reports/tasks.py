from celery import shared_task

from . import services


@shared_task(name="reports.refresh", acks_late=True)
def refresh() -> int:
    """Every minute (beat): the facts of the dossiers that changed, and their rollup rows."""
    return services.refresh()
