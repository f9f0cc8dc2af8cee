from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reports and KPIs (báo cáo, chỉ số QĐ 766): a fact row per dossier and daily/monthly
    rollups kept by Celery, so that figures over months and years never scan the dossiers."""

    name = "reports"
    verbose_name = "Báo cáo, thống kê"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
