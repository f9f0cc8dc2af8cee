"""Domain events of feedback, sent inside the transaction that writes the row:

- ``feedback_answered`` (``feedback``) when an answer is published: the notifications
  outbox tells a signed sender;
- ``rating_recorded`` (``rating``) when a dossier is rated online or from a paper slip, and
  ``feedback_received`` (``feedback``) when citizen feedback arrives: the reports mark the
  dossier's figures for a refresh (satisfaction, complaints)."""

from django.dispatch import Signal

feedback_answered = Signal()
rating_recorded = Signal()
feedback_received = Signal()
