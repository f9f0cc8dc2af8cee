import datetime

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="reports.rollup_recent", acks_late=True)
def rollup_recent() -> int:
    """Hourly (beat): today's and yesterday's rows again (late changes reach yesterday)."""
    today = timezone.localdate()
    return services.rollup_range(today - datetime.timedelta(days=1), today)
