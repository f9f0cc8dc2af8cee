"""Turning a ``ValidationError`` into what a page shows at each field."""

from django.core.exceptions import ValidationError


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Messages by field; an error of no field (a TransitionError) under ``__all__``."""
    if hasattr(exc, "error_dict"):
        return {k: " ".join(v) for k, v in exc.message_dict.items()}
    return {"__all__": " ".join(exc.messages)}


def add_to_form(form, exc: ValidationError) -> None:
    """Put a service's refusals on a Django form: each at its field when the form has it,
    the rest (``__all__``, a field the form does not show, no field) at the top."""
    items = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    for field, messages in items:
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
