"""Queries of the in-app list (thông báo trên Cổng)."""

from django.db.models import QuerySet

from .constants import Channel, State
from .models import Notification


def inbox(user) -> QuerySet[Notification]:
    """The user's delivered in-app notifications, newest first."""
    return (
        Notification.objects.filter(recipient=user, channel=Channel.IN_APP, state=State.SENT)
        .select_related("dossier")
        .only(
            "pk", "event", "subject", "body", "created_at", "sent_at", "read_at", "dossier__code", "dossier__public_id"
        )
        .order_by("-created_at", "-pk")
    )


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(
        recipient=user, channel=Channel.IN_APP, state=State.SENT, read_at__isnull=True
    ).count()
