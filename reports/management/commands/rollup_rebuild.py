"""``manage.py rollup_rebuild --from 2026-01-01 --to 2026-12-31``: rebuild the daily rollups."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from reports import services


class Command(BaseCommand):
    help = "Tính lại số liệu ngày theo cơ quan cho một khoảng ngày."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", required=True, help="ngày đầu, YYYY-MM-DD")
        parser.add_argument("--to", dest="last", required=True, help="ngày cuối, YYYY-MM-DD")

    def handle(self, *args, first, last, **options):
        try:
            start, end = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
        except ValueError as exc:
            raise CommandError("Ngày phải theo dạng YYYY-MM-DD.") from exc
        if end < start:
            raise CommandError("Ngày cuối phải sau ngày đầu.")
        rows = services.rollup_range(start, end)
        self.stdout.write(f"Đã tính lại {rows} dòng số liệu từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}.")
