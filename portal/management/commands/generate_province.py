"""``manage.py generate_province [--dossiers 2000000] [--citizens 500000] [--procedures 2000]
[--agencies 110] [--years 5] [--seed N]``: a province at full size (portal/province.py)."""

import time

from django.core.management.base import BaseCommand, CommandError

from portal.province import Sizes, generate_province


class Command(BaseCommand):
    help = "Sinh dữ liệu một tỉnh ở quy mô thật (PostgreSQL) để đo hiệu năng."

    def add_arguments(self, parser):
        defaults = Sizes()
        for name in ("agencies", "procedures", "citizens", "dossiers", "years", "seed"):
            parser.add_argument(f"--{name}", type=int, default=getattr(defaults, name))

    def handle(self, *args, **options):
        sizes = Sizes(**{k: options[k] for k in ("agencies", "procedures", "citizens", "dossiers", "years", "seed")})
        if min(sizes.agencies, sizes.procedures, sizes.citizens, sizes.dossiers, sizes.years) < 1:
            raise CommandError("Các kích thước phải là số dương.")
        started = time.monotonic()
        try:
            generate_province(sizes, stdout=self.stdout)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Đã sinh dữ liệu tỉnh trong {time.monotonic() - started:.0f} giây."))
