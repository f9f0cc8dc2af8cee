"""API keys (khóa API) and idempotency records: the actions that change them."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .constants import IDEMPOTENCY_TTL_HOURS, KEY_PREFIX_LENGTH, SCOPES
from .models import ApiClient, IdempotencyRecord


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def client_create(
    *, user, name: str, scopes: list[str], rate: str = "", expires_at: datetime.datetime | None = None
) -> tuple[ApiClient, str]:
    """A new key for ``user``; returns the client and the key, shown this once only."""
    errors: dict[str, str] = {}
    name = " ".join(str(name or "").split())
    if not name:
        errors["name"] = "Hãy đặt tên cho hệ thống, ứng dụng dùng khóa."
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        errors["scopes"] = "Phạm vi quyền không hợp lệ: " + (", ".join(unknown) or "hãy chọn ít nhất một")
    if rate:
        from rest_framework.throttling import SimpleRateThrottle

        try:
            SimpleRateThrottle.parse_rate(None, rate)
        except (ValueError, KeyError, IndexError):
            errors["rate"] = "Giới hạn tần suất dạng số/đơn vị, ví dụ 600/min."
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(KEY_PREFIX_LENGTH // 2)
    secret = secrets.token_urlsafe(32)
    client = ApiClient.objects.create(
        name=name,
        user=user,
        prefix=prefix,
        key_hash=_hash(secret),
        scopes=sorted(set(scopes)),
        rate=rate,
        expires_at=expires_at,
    )
    return client, f"dvc_{prefix}_{secret}"


def client_for_key(key: str) -> ApiClient | None:
    """The active, unexpired client of ``key``, or None (compared in constant time)."""
    parts = str(key or "").split("_", 2)
    if len(parts) != 3 or parts[0] != "dvc" or len(parts[1]) != KEY_PREFIX_LENGTH:
        return None
    client = ApiClient.objects.select_related("user").filter(prefix=parts[1], active=True).first()
    if client is None or not hmac.compare_digest(client.key_hash, _hash(parts[2])):
        return None
    now = timezone.now()
    if (client.expires_at and client.expires_at <= now) or not client.user.is_active:
        return None
    if client.last_used_at is None or now - client.last_used_at > datetime.timedelta(minutes=1):
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return client


def client_revoke(*, client: ApiClient) -> None:
    ApiClient.objects.filter(pk=client.pk).update(active=False)


def idempotency_claim(*, owner: str, key: str, fingerprint: str) -> tuple[IdempotencyRecord, bool]:
    """The record of ``key`` for ``owner``: (record, True) when this request is the first."""
    from django.db import IntegrityError

    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(owner=owner, key=key, fingerprint=fingerprint), True
    except IntegrityError:
        return IdempotencyRecord.objects.get(owner=owner, key=key), False


def idempotency_store(*, record: IdempotencyRecord, status_code: int, body, headers: dict) -> None:
    IdempotencyRecord.objects.filter(pk=record.pk).update(status_code=status_code, body=body, headers=headers)


def idempotency_release(*, record: IdempotencyRecord) -> None:
    """Forget a key whose request failed, so the same request may be sent again."""
    IdempotencyRecord.objects.filter(pk=record.pk).delete()


def idempotency_purge(*, now: datetime.datetime | None = None) -> int:
    """Forget the answers older than the keys' lifetime (24 hours)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=IDEMPOTENCY_TTL_HOURS)
    return IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()[0]
