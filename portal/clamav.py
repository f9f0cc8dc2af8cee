"""Virus scanning of uploads with ClamAV's daemon (clamd), when ``CLAMAV_ENABLED``.

Every upload is streamed to clamd (``INSTREAM``, through ``clamav-client``) before it is
accepted. The scan **fails closed**: only clamd's exact clean answer
(``{'stream': ('OK', None)}``) lets a file through. A virus is refused as such; clamd
unreachable, too slow (``CLAMAV_TIMEOUT`` seconds per socket operation), over its
``StreamMaxLength`` or answering anything else refuses the file with "could not be
checked, try again later", and is logged at ERROR for the operators.

Beware reading the answer as a truthy dict: a virus is ``{'stream': ('FOUND', name)}``,
which is not empty.
"""

import io
import logging

from clamav_client.clamd import BufferTooLongError, ClamdError, ClamdNetworkSocket, ClamdUnixSocket
from django.conf import settings
from django.core.exceptions import ValidationError

log = logging.getLogger(__name__)

CLEAN = {"stream": ("OK", None)}


def scanner() -> ClamdNetworkSocket:
    """A client for the configured clamd: ``CLAMAV_SOCKET`` (a Unix socket path) if set,
    else ``CLAMAV_HOST``:``CLAMAV_PORT``."""
    timeout = settings.CLAMAV_TIMEOUT
    if settings.CLAMAV_SOCKET:
        return ClamdUnixSocket(settings.CLAMAV_SOCKET, timeout=timeout)
    return ClamdNetworkSocket(settings.CLAMAV_HOST, settings.CLAMAV_PORT, timeout=timeout)


def _unavailable(name: str) -> ValidationError:
    return ValidationError(
        f"Chưa kiểm tra virus được tệp “{name}” (hệ thống kiểm tra đang gián đoạn) nên chưa nhận tệp. "
        "Hãy thử lại sau ít phút.",
        code="scan_unavailable",
    )


def check(content: bytes, *, name: str, use: str = "") -> None:
    """Raise ``ValidationError`` unless clamd says the bytes are clean."""
    try:
        answer = scanner().instream(io.BytesIO(content))
    except BufferTooLongError:
        log.error("clamd refused %s bytes of %r (%s): raise its StreamMaxLength", len(content), name, use)
        raise _unavailable(name) from None
    except (ClamdError, OSError, UnicodeDecodeError, ValueError) as exc:  # OSError: timeouts, refused
        log.error("clamd could not scan %r (%s): %s: %s", name, use, type(exc).__name__, exc)
        raise _unavailable(name) from None
    if answer == CLEAN:
        return
    status = answer.get("stream") if isinstance(answer, dict) else None
    if isinstance(status, tuple) and status and status[0] == "FOUND":
        log.warning("clamd found %s in %r (%s)", status[1], name, use)
        raise ValidationError(
            f"Tệp “{name}” có mã độc (virus) nên không được nhận. Hãy quét virus thiết bị của bạn và gửi tệp khác.",
            code="virus",
        )
    log.error("clamd gave an unexpected answer for %r (%s): %r", name, use, answer)
    raise _unavailable(name)


def ping() -> bool:
    """True if clamd answers PONG (for health checks)."""
    try:
        return scanner().ping() == "PONG"
    except (ClamdError, OSError, UnicodeDecodeError):
        return False
