"""``Idempotency-Key`` on creating requests: the first answer is kept for 24 hours and sent
again for the same key and the same request (``Idempotent-Replayed: true``); the same key
with a different request answers 409, as does a key whose first request is still running."""

from __future__ import annotations

import functools
import hashlib
import json
import re

from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from . import services
from .constants import IDEMPOTENCY_HEADER, IDEMPOTENCY_KEY_MAX, KEY_PATTERN
from .models import ApiClient

KEY_RE = re.compile(KEY_PATTERN)
KEPT_HEADERS = ("Location",)


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def owner_of(request) -> str:
    if isinstance(request.auth, ApiClient):
        return f"c:{request.auth.pk}"
    return f"u:{request.user.pk}" if request.user.is_authenticated else ""


def fingerprint(request) -> str:
    """What makes two requests the same: method, path, the fields and each file's bytes."""
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    files = getattr(request, "FILES", {})
    data = request.data
    fields = {k: v for k, v in data.lists() if k not in files} if hasattr(data, "lists") else data
    digest.update(json.dumps(fields, sort_keys=True, default=str).encode())
    for name in sorted(files.keys()):
        for upload in files.getlist(name):
            digest.update(f"\n{name}:{upload.name}:".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def idempotent(handler):
    """Wrap a view method that creates something."""

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(IDEMPOTENCY_HEADER)
        owner = owner_of(request)
        if key is None or not owner:
            return handler(view, request, *args, **kwargs)
        if not KEY_RE.match(key):
            raise ValidationError(
                {
                    IDEMPOTENCY_HEADER: [
                        f"Khóa gồm 1–{IDEMPOTENCY_KEY_MAX} chữ cái không dấu, chữ số hoặc các dấu - _ . :"
                    ]
                }
            )
        sent = fingerprint(request)
        record, first = services.idempotency_claim(owner=owner, key=key, fingerprint=sent)
        if not first:
            if record.fingerprint != sent:
                raise Conflict("Khóa Idempotency-Key này đã dùng cho một yêu cầu khác; hãy dùng khóa mới.")
            if record.status_code is None:
                raise Conflict("Yêu cầu với khóa Idempotency-Key này đang được xử lý; hãy thử lại sau giây lát.")
            return Response(
                record.body, status=record.status_code, headers={**record.headers, "Idempotent-Replayed": "true"}
            )
        try:
            response = handler(view, request, *args, **kwargs)
        except BaseException:
            services.idempotency_release(record=record)
            raise
        if response.status_code >= 500:
            services.idempotency_release(record=record)
        else:
            headers = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
            services.idempotency_store(
                record=record, status_code=response.status_code, body=response.data, headers=headers
            )
        return response

    wrapper.idempotent = True
    return wrapper
