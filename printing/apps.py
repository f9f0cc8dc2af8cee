from django.apps import AppConfig


class PrintingConfig(AppConfig):
    """Standard forms (biểu mẫu) of TT 03/2025/TT-VPCP as PDF, and the tracking book."""

    name = "printing"
    verbose_name = "Biểu mẫu"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
