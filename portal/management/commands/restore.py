"""``manage.py restore DIR``: a backup of ``manage.py backup`` into an empty database and empty
file folders, then verified against its manifest (portal/backup.py; docs/OPERATIONS.md)."""

from pathlib import Path

import environ
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from portal.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Phục hồi một bản sao lưu vào cơ sở dữ liệu trống và thư mục tệp trống, rồi kiểm tra lại."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="thư mục bản sao lưu")
        parser.add_argument(
            "--database-url", help="cơ sở dữ liệu đích (postgres://…); mặc định là DATABASE_URL của cổng"
        )
        parser.add_argument("--private-root", type=Path, help="thư mục tệp riêng tư đích (mặc định PRIVATE_MEDIA_ROOT)")
        parser.add_argument("--media-root", type=Path, help="thư mục tệp công khai đích (mặc định MEDIA_ROOT)")
        parser.add_argument(
            "--allow-non-empty",
            action="store_true",
            help="ghi đè lên cơ sở dữ liệu và thư mục đã có dữ liệu (mặc định: từ chối)",
        )

    def handle(self, *args, source: Path, database_url, private_root, media_root, allow_non_empty, **options):
        database = environ.Env.db_url_config(database_url) if database_url else connections["default"].settings_dict
        if not database["ENGINE"].endswith("postgresql"):
            raise CommandError("Phục hồi cần PostgreSQL (postgres://…).")
        try:
            report = backup_restore(
                source=source,
                database=database,
                private_root=private_root or Path(settings.PRIVATE_MEDIA_ROOT),
                media_root=media_root or Path(settings.MEDIA_ROOT),
                allow_non_empty=allow_non_empty,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        summary = f"{report.tables} bảng, {report.rows} dòng, {report.files} tệp ({report.bytes / 1_048_576:.1f} MB)"
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"- {problem}")
            raise CommandError(f"Phục hồi xong nhưng KHÔNG khớp bản sao lưu ({len(report.problems)} lỗi): {summary}.")
        self.stdout.write(f"Đã phục hồi và kiểm tra: {summary}, khớp bản sao lưu.")
