"""``manage.py backup DIR``: the database, the private files and the public media into DIR
(portal/backup.py; docs/OPERATIONS.md "Backups")."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from portal.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu PostgreSQL, tệp riêng tư và tệp công khai vào một thư mục mới."

    def add_arguments(self, parser):
        parser.add_argument("target", type=Path, help="thư mục mới (hoặc trống) để ghi bản sao lưu")
        parser.add_argument("--database", default="default", help="bí danh cơ sở dữ liệu trong settings")

    def handle(self, *args, target: Path, database: str, **options):
        settings_dict = connections[database].settings_dict
        if not settings_dict["ENGINE"].endswith("postgresql"):
            raise CommandError("Sao lưu cần PostgreSQL (DATABASE_URL=postgres://…).")
        try:
            manifest = backup_create(
                target=target,
                database=settings_dict,
                private_root=Path(settings.PRIVATE_MEDIA_ROOT),
                media_root=Path(settings.MEDIA_ROOT),
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(t["rows"] for t in manifest["tables"].values())
        size = manifest["dump"]["size"] + manifest["archive"]["size"]
        self.stdout.write(
            f"Đã sao lưu vào {target}: {len(manifest['tables'])} bảng, {rows} dòng, "
            f"{len(manifest['files'])} tệp, {size / 1_048_576:.1f} MB trong {manifest['seconds']:.1f} s."
        )
