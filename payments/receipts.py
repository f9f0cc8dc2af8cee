"""Receipts (biên lai thu phí, lệ phí) as PDF: number, payer, fee lines, amount in figures
and in Vietnamese words, method and the gateway's transaction number."""

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from .constants import AttemptState
from .models import PaymentAttempt, Receipt
from .words import amount_words


def receipt_number(attempt: PaymentAttempt) -> str:
    year = timezone.localtime(attempt.succeeded_at or timezone.now()).year
    return f"BL{year}-{attempt.pk:07d}"


def receipt_context(attempt: PaymentAttempt, number: str) -> dict:
    dossier = attempt.dossier
    return {
        "number": number,
        "attempt": attempt,
        "dossier": dossier,
        "agency": dossier.agency,
        "payer": dossier.applicant_name,
        "payer_id": dossier.applicant_id_number,
        "payer_address": dossier.applicant_address,
        "lines": attempt.lines,
        "amount": attempt.amount,
        "amount_words": amount_words(attempt.amount),
        "method": attempt.get_method_display(),
        "paid_at": timezone.localtime(attempt.succeeded_at) if attempt.succeeded_at else None,
    }


def receipt_for(attempt: PaymentAttempt) -> Receipt:
    """The attempt's receipt, rendered the first time it is needed (once: a second caller
    gets the first one's)."""
    if attempt.state not in (AttemptState.SUCCEEDED, AttemptState.REFUNDED):
        raise ValueError("only a succeeded payment has a receipt")
    existing = Receipt.objects.filter(attempt=attempt).first()
    if existing is not None:
        return existing
    from printing.services import pdf_render

    number = receipt_number(attempt)
    pdf = pdf_render(template="payments/receipt.html", context=receipt_context(attempt, number))
    try:
        with transaction.atomic():
            receipt = Receipt(attempt=attempt, number=number)
            receipt.file.save(f"{number}.pdf", ContentFile(pdf), save=False)
            receipt.save()
    except IntegrityError:
        return Receipt.objects.get(attempt=attempt)
    return receipt
