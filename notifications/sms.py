"""SMS backends (tin nhắn SMS), chosen by ``SMS_BACKEND``:

* ``notifications.sms.ConsoleBackend`` (the default) logs each message;
* ``notifications.sms.FileBackend`` appends one JSON line per message to ``SMS_FILE_PATH``;
* ``notifications.sms.HttpBackend`` posts to an SMS gateway (``SMS_GATEWAY_URL``) with the
  body built from ``SMS_GATEWAY_BODY``, a JSON template whose ``{to}``, ``{text}`` and
  ``{reference}`` are replaced (JSON-escaped), an ``Authorization`` header from
  ``SMS_GATEWAY_AUTHORIZATION`` and an ``Idempotency-Key`` header with the notification's
  id, so a gateway that honours it drops a repeat of a message it already took.

A backend returns the gateway's reference, raises ``SmsRetryableError`` when trying again
later may work (timeouts, connection errors, 5xx, 429) and ``SmsRejectedError`` when it
cannot (any other 4xx).
"""

import json
import logging
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

DEFAULT_BODY = '{"to": "{to}", "text": "{text}", "reference": "{reference}"}'


class SmsError(Exception):
    pass


class SmsRetryableError(SmsError):
    pass


class SmsRejectedError(SmsError):
    pass


class ConsoleBackend:
    def send(self, *, to: str, text: str, reference: str) -> str:
        logger.warning("SMS to %s [%s]: %s", to, reference, text)
        return f"console:{reference}"


class FileBackend:
    def send(self, *, to: str, text: str, reference: str) -> str:
        path = Path(getattr(settings, "SMS_FILE_PATH", settings.VAR_DIR / "sms.log"))
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"at": timezone.now().isoformat(), "to": to, "text": text, "reference": reference})
        with path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
        return f"file:{reference}"


def _json_escaped(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)[1:-1]


class HttpBackend:
    def send(self, *, to: str, text: str, reference: str) -> str:
        url = getattr(settings, "SMS_GATEWAY_URL", "")
        if not url:
            raise SmsRejectedError("SMS_GATEWAY_URL chưa được cấu hình.")
        template = getattr(settings, "SMS_GATEWAY_BODY", "") or DEFAULT_BODY
        body = (
            template.replace("{to}", _json_escaped(to))
            .replace("{text}", _json_escaped(text))
            .replace("{reference}", _json_escaped(reference))
        )
        headers = {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": reference}
        if getattr(settings, "SMS_GATEWAY_AUTHORIZATION", ""):
            headers["Authorization"] = settings.SMS_GATEWAY_AUTHORIZATION
        request = urllib.request.Request(url, data=body.encode("utf-8"), headers=headers, method="POST")
        timeout = float(getattr(settings, "SMS_GATEWAY_TIMEOUT", 10))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # nosec B310 # the SMS gateway's URL from settings, never from a request
                answer = response.read(2000).decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            if exc.code >= 500 or exc.code == 429:
                raise SmsRetryableError(f"cổng SMS trả lời HTTP {exc.code}") from exc
            raise SmsRejectedError(f"cổng SMS từ chối (HTTP {exc.code})") from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            raise SmsRetryableError(f"không kết nối được cổng SMS: {exc}") from exc
        return answer.strip()[:200] or reference


def backend():
    return import_string(getattr(settings, "SMS_BACKEND", "notifications.sms.ConsoleBackend"))()
