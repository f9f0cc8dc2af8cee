"""``manage.py rollup_rebuild --from 2026-01-01 --to 2026-12-31 [--rollups-only]`` or
``manage.py rollup_rebuild --all [--workers 2]``: compute the report facts of the dossiers of those days
again, then every daily and monthly rollup row of those days."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from reports import services


class Command(BaseCommand):
    help = "Tính lại dữ liệu báo cáo (theo hồ sơ, theo ngày, theo tháng) cho một khoảng ngày hoặc toàn bộ."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", help="ngày đầu, YYYY-MM-DD")
        parser.add_argument("--to", dest="last", help="ngày cuối, YYYY-MM-DD")
        parser.add_argument("--all", action="store_true", help="toàn bộ, từ hồ sơ đầu tiên đến hôm nay")
        parser.add_argument(
            "--rollups-only", action="store_true", help="chỉ tính lại bảng tổng hợp từ dữ liệu hồ sơ đã có"
        )
        parser.add_argument(
            "--workers", type=int, default=1, help="số tiến trình tính dữ liệu hồ sơ song song (PostgreSQL)"
        )

    def handle(self, *args, first=None, last=None, all=False, rollups_only=False, workers=1, **options):
        if workers < 1:
            raise CommandError("--workers phải từ 1 trở lên.")
        if all:
            rows = services.rebuild_all(workers=workers)
            self.stdout.write(f"Đã tính lại toàn bộ: {rows} dòng số liệu ngày.")
            return
        if not first or not last:
            raise CommandError("Hãy cho --from và --to (YYYY-MM-DD), hoặc --all.")
        try:
            start, end = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
        except ValueError as exc:
            raise CommandError("Ngày phải theo dạng YYYY-MM-DD.") from exc
        if end < start:
            raise CommandError("Ngày cuối phải sau ngày đầu.")
        rows = services.rebuild(start, end, facts_too=not rollups_only, workers=workers)
        self.stdout.write(f"Đã tính lại {rows} dòng số liệu từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}.")
