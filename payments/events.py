"""Domain events of payments.

``payment_recorded`` is sent inside the transaction that records a payment (an attempt
becoming succeeded) when no dossier transition tells of it already (a fee paid before
receipt, or part of a fee); receivers only write rows (the notifications outbox)."""

from django.dispatch import Signal

# Sent with: attempt (the PaymentAttempt, succeeded).
payment_recorded = Signal()
