"""Queries of feedback: the public answers, the officers' queue."""

from django.db.models import QuerySet
from django.utils import timezone

from .constants import FeedbackState
from .models import Feedback

OPEN = (FeedbackState.RECEIVED, FeedbackState.PROCESSING, FeedbackState.ANSWERED)


def published() -> QuerySet[Feedback]:
    return Feedback.objects.filter(state=FeedbackState.PUBLISHED).select_related("agency").order_by("-published_at")


def visible(public_id, user) -> Feedback | None:
    """Published feedback for anyone; the rest for its signed sender only."""
    found = Feedback.objects.select_related("agency").filter(public_id=public_id).first()
    if found is None:
        return None
    if found.state == FeedbackState.PUBLISHED:
        return found
    if user is not None and user.is_authenticated and found.sender_id == user.pk:
        return found
    return None


def officer_queue(agency_ids: list[int], assignee=None, category: str = "") -> list[Feedback]:
    """Open feedback of the officer's agencies, the closest deadline first; only that
    given to ``assignee`` when set, only one category (766 5.1) when set."""
    qs = Feedback.objects.filter(agency_id__in=agency_ids, state__in=OPEN)
    if assignee is not None:
        qs = qs.filter(assignee=assignee)
    if category:
        qs = qs.filter(category=category)
    rows = list(qs.select_related("agency", "assignee").order_by("answer_due"))
    now = timezone.now()
    for row in rows:
        due = (
            row.accept_due
            if row.state == FeedbackState.RECEIVED
            else (row.publish_due if row.state == FeedbackState.ANSWERED else row.answer_due)
        )
        row.current_due, row.overdue = due, bool(due and due < now)
    return rows


def for_officer(public_id, agency_ids: list[int]) -> Feedback | None:
    return (
        Feedback.objects.select_related("agency", "dossier", "assignee")
        .filter(public_id=public_id, agency_id__in=agency_ids)
        .first()
    )
