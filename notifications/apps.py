from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Notifications (thông báo): the outbox written with each dossier change, delivery by
    e-mail, SMS and the in-app list through Celery, editable templates, officers' digests."""

    name = "notifications"
    verbose_name = "Thông báo"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
