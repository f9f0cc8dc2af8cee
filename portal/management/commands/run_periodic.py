"""``manage.py run_periodic [NAME …] [--daily]``: run entries of the beat schedule once, now,
in this process (CELERY_BEAT_SCHEDULE in portal/settings/base.py names them).

``make demo`` runs the daily ones (``--daily``: the version switch, citizens' reminders,
officers' digests, the statement, the purge) when it starts, so what an officer would find
on a morning is there at once; Celery beat, started beside the server, then runs every entry
on its schedule: in-process without Redis, through the workers with it. In production, beat
alone runs them; this command is for a demo, a catch-up after an outage, or a check.
"""

from celery.schedules import crontab
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.celery import app


def daily_entries() -> list[str]:
    """Entries that run once a day or less often (a crontab with a fixed hour)."""
    return [
        name
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if isinstance(entry["schedule"], crontab) and len(entry["schedule"].hour) == 1
    ]


class Command(BaseCommand):
    help = "Chạy ngay một lần các việc định kỳ (lịch của Celery beat)."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="Tên việc định kỳ trong CELERY_BEAT_SCHEDULE.")
        parser.add_argument("--daily", action="store_true", help="Các việc chạy hằng ngày.")

    def handle(self, *args, names, daily, **options):
        schedule = settings.CELERY_BEAT_SCHEDULE
        unknown = [name for name in names if name not in schedule]
        if unknown:
            raise CommandError(
                f"Không có việc định kỳ tên {', '.join(unknown)}. Các việc có: {', '.join(sorted(schedule))}."
            )
        chosen = list(dict.fromkeys([*names, *(daily_entries() if daily else [])]))
        if not chosen:
            raise CommandError("Hãy nêu tên việc định kỳ hoặc dùng --daily.")
        app.loader.import_default_modules()
        for name in chosen:
            task = app.tasks[schedule[name]["task"]]
            entry = schedule[name]
            result = task.apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}), throw=False)
            if result.failed():
                self.stderr.write(f"{name}: lỗi {result.result!r}")
            else:
                self.stdout.write(f"{name}: {result.result!r}")
