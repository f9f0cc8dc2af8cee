from celery import shared_task

from . import services


@shared_task(name="documents.render_document_pdf", acks_late=True)
def render_document_pdf(document_id: int) -> bool:
    """Combine a document's phone photos into one PDF (idempotent)."""
    return services.document_render_pdf(document_id=document_id)


@shared_task(name="documents.requeue_pending", acks_late=True)
def requeue_pending() -> int:
    """Every five minutes (beat): documents whose photos still wait to be combined."""
    return services.documents_requeue_pending()
