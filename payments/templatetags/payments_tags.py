from django import template

from dossiers.constants import Status

register = template.Library()


def _paid(dossier) -> list:
    from payments.constants import AttemptState
    from payments.selectors import attempts_of

    return [a for a in attempts_of(dossier) if a.state in (AttemptState.SUCCEEDED, AttemptState.REFUNDED)]


@register.simple_tag
def dossier_payment(dossier) -> dict:
    """For other apps' pages (the citizen's dossier page): what is still due online and
    what was paid, ``{% dossier_payment d as payment %}``."""
    from payments.fees import RECEIPT, paid_before
    from payments.selectors import payment_due

    due = payment_due(dossier)
    waits = due is not None and dossier.status == Status.SUBMITTED and paid_before(dossier, RECEIPT)
    return {"due": due, "paid": _paid(dossier), "receipt_waits": waits}


@register.simple_tag
def counter_payment(dossier) -> dict:
    """For the officer's dossier page: what can still be taken at the counter, and what
    was paid (online or in cash): ``{% counter_payment d as fee %}``."""
    from payments.fees import collection_text
    from payments.selectors import counter_due

    due = counter_due(dossier)
    return {"due": due, "paid": _paid(dossier), "collection": collection_text(due.fees, dossier) if due else ""}
