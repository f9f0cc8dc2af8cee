"""The Celery application: autodiscovers ``tasks.py`` in every app.

Queues: ``default``, ``notifications``, ``payments``, ``documents``; routes and
reliability settings (acks late, prefetch 1, time limits, visibility timeout) are
in ``portal/settings/base.py`` under ``CELERY_*``. Run exactly one beat.
"""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue(name) for name in ("default", "notifications", "payments", "documents")]
app.autodiscover_tasks()
