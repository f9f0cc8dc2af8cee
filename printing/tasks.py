from celery import shared_task

from . import services


@shared_task(name="documents.render_form", acks_late=True, queue="documents")
def render_form(issued_form_id: int) -> bool:
    """Render an issued standard form (biểu mẫu) to PDF (idempotent)."""
    return services.form_render(issued_form_id=issued_form_id)
