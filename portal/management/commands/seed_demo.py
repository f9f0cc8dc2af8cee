"""``manage.py seed_demo``: load the demo province (Tỉnh Thanh Hóa); safe to run again."""

import logging
import time

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from portal.demo.loader import load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu của tỉnh Thanh Hóa (cơ quan, lĩnh vực, thủ tục, tài khoản); chạy lại không tạo trùng."

    def handle(self, *args, **options):
        started = time.monotonic()
        # The demo's dossiers go through the real workflow, so they notify their citizens and
        # officers: keep those messages in memory and in var/sms.log instead of printing them.
        # Their tasks run in-process here: keep the tasks' and WeasyPrint's progress lines quiet.
        quiet = [logging.getLogger(name) for name in ("celery.app.trace", "weasyprint", "kombu.connection")]
        levels = [logger.level for logger in quiet]
        for logger in quiet:
            logger.setLevel(logging.ERROR)
        try:
            with override_settings(
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                SMS_BACKEND="notifications.sms.FileBackend",
            ):
                counts = load_demo(stdout=self.stdout)
        finally:
            for logger, level in zip(quiet, levels, strict=True):
                logger.setLevel(level)
        elapsed = time.monotonic() - started
        added = sum(counts.values())
        message = f"Dữ liệu mẫu đã sẵn sàng ({added} bản ghi mới, {elapsed:.1f} giây)."
        self.stdout.write(self.style.SUCCESS(message))
