from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "procedures"
    verbose_name = "Danh mục thủ tục hành chính"

    def ready(self):
        from . import signals  # noqa: F401
