from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Personal data protection (bảo vệ dữ liệu cá nhân, ND 13/2023/NĐ-CP): the log of
    officers' access to citizens' data, and the retention schedule (abandoned drafts,
    orphan files, old log rows)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"
    verbose_name = "Bảo vệ dữ liệu cá nhân"
