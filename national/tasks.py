from celery import shared_task

from . import services


@shared_task(name="national.push_dossier", acks_late=True)
def push_dossier_task(dossier_id: int) -> int:
    """Send one dossier's due pushes to the national portal, in order."""
    return services.push_dossier(dossier_id)


@shared_task(name="national.push_due", acks_late=True)
def push_due() -> int:
    """Every minute (beat): dossiers with a push due (new, or its retry time has come)."""
    return services.push_due()


@shared_task(name="national.catalog_pull", acks_late=True)
def catalog_pull() -> int:
    """Nightly (beat), when ``NATIONAL_CATALOG_URL`` is set: the national package into drafts."""
    from django.conf import settings

    if not settings.NATIONAL_CATALOG.get("URL"):
        return 0
    return services.catalog_pull().changed
