"""``manage.py import_national_catalog PATH [--publish] [--effective-date dd/mm/yyyy]``.

Imports a JSON package exported from the national procedure database (CSDL quốc gia
về TTHC) into the catalog's drafts; all or nothing (procedures.national_import).
"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from procedures.national_import import (
    NationalImportError,
    NationalPackageError,
    national_package_import,
    national_package_load,
)


def _parse_date(value: str) -> datetime.date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise CommandError(f"Ngày hiệu lực “{value}” không hợp lệ; hãy ghi dạng dd/mm/yyyy, ví dụ 01/07/2025.")


class Command(BaseCommand):
    help = "Nhập gói tin JSON từ CSDL quốc gia về thủ tục hành chính vào bản nháp của danh mục thủ tục."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Đường dẫn tệp JSON gói tin thủ tục.")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Công bố ngay các bản nháp vừa nhập (mặc định: chỉ lưu bản nháp).",
        )
        parser.add_argument(
            "--effective-date",
            dest="effective_date",
            help="Ngày hiệu lực khi công bố, dạng dd/mm/yyyy (mặc định: hôm nay). Chỉ dùng cùng --publish.",
        )

    def handle(self, *args, path: str, publish: bool, effective_date: str | None, **options):
        if effective_date and not publish:
            raise CommandError("Tùy chọn --effective-date chỉ dùng cùng --publish.")
        effective_from = _parse_date(effective_date) if effective_date else None
        file_path = Path(path)
        if file_path.is_dir():
            raise CommandError(f"“{path}” là một thư mục, không phải tệp gói tin JSON.")
        try:
            records = national_package_load(file_path)
        except NationalPackageError as exc:
            raise CommandError(str(exc)) from None

        try:
            report = national_package_import(records=records, publish=publish, effective_from=effective_from)
        except NationalImportError as exc:
            for warning in exc.warnings:
                self.stderr.write(f"Cảnh báo – {warning}")
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from None

        verbosity = options.get("verbosity", 1)
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"Cảnh báo – {warning}"))
        if verbosity >= 2:
            for label, codes in (
                ("Tạo mới", report.created_codes),
                ("Cập nhật", report.updated_codes),
                ("Không thay đổi", report.unchanged_codes),
                ("Đã công bố", report.published_codes),
            ):
                if codes:
                    self.stdout.write(f"{label}: {', '.join(codes)}")
        self.stdout.write(self.style.SUCCESS(report.summary()))
        if not publish and (report.created or report.updated):
            self.stdout.write("Các thay đổi nằm trong bản nháp; hãy kiểm tra và công bố trong trang quản trị.")
