from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reports and KPIs (báo cáo, chỉ số): daily rollups per agency kept by Celery, so that
    figures over months and years never scan the dossier table."""

    name = "reports"
    verbose_name = "Báo cáo, thống kê"
