from celery import shared_task

from . import services


@shared_task(name="procedures.activate_due_versions")
def activate_due_versions() -> int:
    """Daily: versions published with a future effective date take over on that date."""
    return services.catalog_refresh_current()
