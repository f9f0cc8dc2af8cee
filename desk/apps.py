from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The officers' side (bộ phận một cửa and the specialists and leaders behind it):
    queues, the officer's dossier page, actions, counter and post intake."""

    name = "desk"
    verbose_name = "Xử lý hồ sơ"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
