"""The shipped notification templates are in every database: after migrate, and after a
flush (a transactional test's end, ``manage.py flush``), whatever ran before."""

import pytest
from django.core.management import call_command

from notifications.constants import Channel, Event
from notifications.defaults import ensure_templates
from notifications.models import NotificationTemplate

EVERY = len(Event.values) * len(Channel.values)


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_the_shipped_templates():
    assert NotificationTemplate.objects.count() == EVERY
    call_command("flush", interactive=False, verbosity=0)
    assert NotificationTemplate.objects.count() == EVERY


@pytest.mark.django_db
def test_ensure_templates_writes_only_the_missing_and_keeps_edits():
    edited = NotificationTemplate.objects.get(event=Event.SUBMITTED, channel=Channel.SMS)
    edited.body = "DVC: da nhan ho so {{ code }}"
    edited.save()
    NotificationTemplate.objects.filter(event=Event.RECEIVED).delete()

    assert ensure_templates() == len(Channel.values)
    assert NotificationTemplate.objects.count() == EVERY
    edited.refresh_from_db()
    assert edited.body == "DVC: da nhan ho so {{ code }}"
    assert ensure_templates() == 0
