"""Shared by the notifications tests: run the after-commit work, read SMS written to file."""

import json
from pathlib import Path

from notifications.constants import OFFICER_EVENTS, Channel, State
from notifications.models import Notification


def sms_lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def rows(dossier=None, *, officers: bool = False, **filters):
    """The dossier's notifications in order: the citizen's, or with ``officers`` the
    officers' (new online dossier, awaiting approval …)."""
    qs = (
        Notification.objects.filter(event__in=OFFICER_EVENTS)
        if officers
        else Notification.objects.exclude(event__in=OFFICER_EVENTS)
    )
    if dossier is not None:
        qs = qs.filter(dossier=dossier)
    return qs.filter(**filters).order_by("pk")


def in_app(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, channel=Channel.IN_APP, state=State.SENT).order_by("pk"))
