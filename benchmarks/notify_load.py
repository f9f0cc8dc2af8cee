"""Notifications written as the outbox writes them, for the worker benchmarks
(``notifications_throughput.py``, ``worker_memory.py``). Import after ``django.setup()``."""

from django.db import transaction

from accounts.constants import AccountKind
from accounts.models import User
from notifications import rendering, services
from notifications.constants import Channel, Event


def recipient(username: str):
    """A citizen with an e-mail address and a phone, so every channel has somewhere to go."""
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={"kind": AccountKind.CITIZEN, "full_name": "Nguyễn Văn An", "email": "an@example.vn"},
    )
    user.phone = "0912000000"
    user.email = "an@example.vn"
    user.save(update_fields=["phone", "email"])
    return user


def write_one(user, n: int, key: str) -> int:
    """One notification (in-app, e-mail or SMS in turn), committed, its delivery queued on
    commit; returns its pk."""
    channel = (Channel.IN_APP, Channel.EMAIL, Channel.SMS)[n % 3]
    who = services.Recipient(user, user.email, user.phone, (channel,))
    with transaction.atomic():
        (row,) = services._write(event=Event.SUBMITTED, recipient=who, data=dict(rendering.SAMPLE), key=key)
        services._queue_after_commit([row])
    return row.pk
