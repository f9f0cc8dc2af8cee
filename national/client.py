"""Sending one message to the national portal: JSON over HTTPS to the endpoint of its kind,
with the province's credentials (settings ``NATIONAL_SYNC``). The answer ``{error_code,
message}`` with ``error_code`` 0 is a success; anything else (an error code, an HTTP
error, no answer) is a failure to retry."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

from .constants import PushKind


@dataclass(frozen=True)
class Outcome:
    ok: bool
    response: dict | None
    error: str


def endpoint(kind: str) -> str:
    conf = settings.NATIONAL_SYNC
    return conf["CREATE_URL"] if kind == PushKind.CREATE else conf["UPDATE_URL"]


def send(kind: str, payload: dict) -> Outcome:
    conf = settings.NATIONAL_SYNC
    url = endpoint(kind)
    headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
    if conf.get("TOKEN"):
        headers["Authorization"] = f"Bearer {conf['TOKEN']}"
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=float(conf.get("TIMEOUT", 10))) as answer:  # noqa: S310  # nosec B310 # the national portal's URL from settings, never from a request
            text = answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return Outcome(False, None, f"HTTP {exc.code} từ {url}")
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        return Outcome(False, None, f"Không kết nối được {url}: {getattr(exc, 'reason', exc)}")
    try:
        data = json.loads(text)
    except ValueError:
        return Outcome(False, None, f"Trả lời không phải JSON: {text[:200]}")
    if not isinstance(data, dict):
        return Outcome(False, None, f"Trả lời không đúng dạng: {text[:200]}")
    if str(data.get("error_code", "")) not in ("0", ""):
        return Outcome(False, data, f"Cổng quốc gia báo lỗi {data.get('error_code')}: {data.get('message', '')}")
    if "error_code" not in data:
        return Outcome(False, data, "Trả lời thiếu error_code")
    return Outcome(True, data, "")
