"""``manage.py generate_catalog --count 2000 [--seed 1]``: a large synthetic catalog for benchmarks."""

import time

from django.core.management.base import BaseCommand, CommandError

from portal.demo.generator import generate_catalog


class Command(BaseCommand):
    help = "Sinh thêm N thủ tục hành chính đã công bố (mã 3.xxxxxx) để đo hiệu năng; bỏ qua mã đã có."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=2000, help="Số thủ tục cần sinh (mặc định 2000).")
        parser.add_argument("--seed", type=int, default=1, help="Hạt giống ngẫu nhiên, để kết quả lặp lại được.")
        parser.add_argument("--start", type=int, default=1, help="Số thứ tự của mã đầu tiên (3.000001 nếu là 1).")

    def handle(self, *args, **options):
        count, start = options["count"], options["start"]
        if count < 1 or start < 1 or start + count - 1 > 999_999:
            raise CommandError("--count và --start phải dương, mã cuối không vượt quá 3.999999.")
        started = time.monotonic()
        result = generate_catalog(count=count, seed=options["seed"], start=start)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo {result['created']} thủ tục, bỏ qua {result['skipped']} mã đã có ({elapsed:.1f} giây)."
            )
        )
