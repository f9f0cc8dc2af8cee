from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Giao diện lập trình (API)"

    def ready(self):
        from . import schema  # noqa: F401  (registers the OpenAPI extension of the key authentication)
