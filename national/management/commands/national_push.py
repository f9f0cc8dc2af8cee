"""``manage.py national_push``: send every dossier's waiting pushes to the national portal
now, in order, in this process (after an outage, or for the demo once its server is up)."""

from django.core.management.base import BaseCommand

from national import services
from national.models import Push


class Command(BaseCommand):
    help = "Gửi ngay các gói tin đồng bộ đang chờ lên Cổng Dịch vụ công quốc gia."

    def handle(self, *args, **options):
        ids = sorted(set(Push.objects.filter(state__in=services.OPEN).values_list("dossier_id", flat=True)))
        Push.objects.filter(dossier_id__in=ids, state__in=services.OPEN).update(next_attempt_at=None)
        sent = sum(services.push_dossier(pk) for pk in ids)
        waiting = Push.objects.filter(state__in=services.OPEN).count()
        self.stdout.write(f"Đồng bộ Cổng DVCQG: {sent} gói tin đã gửi, {waiting} còn chờ ({len(ids)} hồ sơ).")
