from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "national"
    verbose_name = "Đồng bộ Cổng Dịch vụ công quốc gia"

    def ready(self):
        from . import receivers

        receivers.connect()
