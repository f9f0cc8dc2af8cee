"""Turning a ``ValidationError`` into what a page shows at each field."""

from django.core.exceptions import ValidationError


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Messages by field; an error of no field (a TransitionError) under ``__all__``."""
    if hasattr(exc, "error_dict"):
        return {k: " ".join(v) for k, v in exc.message_dict.items()}
    return {"__all__": " ".join(exc.messages)}
