from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_templates(sender, using="default", **kwargs) -> None:
    from .defaults import ensure_templates

    ensure_templates(using=using)


class NotificationsConfig(AppConfig):
    """Notifications (thông báo): the outbox written with each dossier change, delivery by
    e-mail, SMS and the in-app list through Celery, editable templates, officers' digests."""

    name = "notifications"
    verbose_name = "Thông báo"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
        # The shipped templates after migrate and after flush (which empties the table).
        post_migrate.connect(_ensure_templates, sender=self, dispatch_uid="notifications.ensure_templates")
