"""Errors of the services answered as DRF answers: a Django ``ValidationError`` is a 400
with its messages by field (``non_field_errors`` for the whole request), in Vietnamese."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler


def as_drf(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        detail = {("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
    else:
        detail = {"non_field_errors": exc.messages}
    return exceptions.ValidationError(detail)


class StateConflict(exceptions.APIException):
    """The action does not apply to the dossier as it stands now (someone acted first)."""

    status_code = 409
    default_code = "conflict"


UNREADABLE = (
    "Không đọc được dữ liệu gửi lên: dữ liệu không đúng định dạng, hoặc tên tệp đính kèm quá dài "
    "(hãy đặt tên tệp ngắn hơn)."
)


def handler(exc, context):
    from dossiers.workflow import TransitionError

    if isinstance(exc, exceptions.ParseError):  # DRF's parsers say it in English
        exc = exceptions.ParseError(UNREADABLE)
    elif isinstance(exc, TransitionError):
        exc = StateConflict(" ".join(exc.messages))
    elif isinstance(exc, DjangoValidationError):
        exc = as_drf(exc)
    return exception_handler(exc, context)
