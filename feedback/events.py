"""``feedback_answered`` is sent (inside the transaction) when an answer is published, with
``feedback``: the notifications outbox tells a signed sender."""

from django.dispatch import Signal

feedback_answered = Signal()
