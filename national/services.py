"""Outbound sync with the national portal (đồng bộ hồ sơ lên Cổng DVCQG) through an outbox.

Each history row of a dossier that has left the draft becomes one ``Push``, written in the
transaction of the change with the dossier as it stood then (``payload.dossier_payload``)
and numbered per dossier. ``push_dossier`` sends a dossier's pushes strictly in order,
under a lease on its ``SyncState`` row: a failure stops that dossier's queue and schedules a retry
(``BACKOFF``); later pushes wait behind it, so the national portal never sees an update
before the create, or an old state after a newer one."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dossiers.constants import Status

from . import client
from .constants import BACKOFF, PushKind, PushState
from .models import Push, SandboxReceipt, SyncState

logger = logging.getLogger(__name__)

OPEN = (PushState.PENDING, PushState.RETRYING)


def enabled() -> bool:
    return bool(settings.NATIONAL_SYNC.get("ENABLED"))


def push_record(change) -> Push | None:
    """Inside the change's transaction: the next push of its dossier (none for drafts, or
    when sync is off). A payload that cannot be built does not undo the change: the push
    is kept with the error and rebuilt from the dossier when it is sent."""
    from dossiers.models import Dossier

    if not enabled():
        return None
    dossier = Dossier.objects.select_related("procedure_version__procedure", "agency").get(pk=change.dossier_id)
    if dossier.status == Status.DRAFT or not dossier.code:
        return None
    state, _ = SyncState.objects.select_for_update().get_or_create(dossier=dossier)
    seq = state.last_seq + 1
    error = ""
    try:
        with transaction.atomic():
            from .payload import dossier_payload

            payload = dossier_payload(dossier, change)
    except Exception as exc:  # noqa: BLE001 - a sync bug must not block the workflow
        logger.exception("national sync: payload of dossier %s change %s", dossier.pk, change.pk)
        payload, error = {}, f"Không lập được gói tin: {exc}"
    push = Push.objects.create(
        dossier=dossier,
        change=change,
        seq=seq,
        kind=PushKind.CREATE if seq == 1 else PushKind.UPDATE,
        payload=payload,
        last_error=error,
    )
    SyncState.objects.filter(pk=state.pk).update(last_seq=seq, updated_at=timezone.now())
    from portal.queueing import enqueue_on_commit

    from .tasks import push_dossier_task

    enqueue_on_commit(push_dossier_task, dossier.pk)
    return push


def _backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=BACKOFF[min(attempts, len(BACKOFF)) - 1])


def _claim(dossier_id: int, now: datetime.datetime) -> bool:
    """Take the dossier's sending lease (one conditional UPDATE): only one worker sends a
    dossier's pushes at a time, and no database lock is held while it waits for the
    national portal. A worker that dies leaves a lease that runs out by itself."""
    lease = datetime.timedelta(seconds=float(settings.NATIONAL_SYNC.get("TIMEOUT", 10)) * 3 + 30)
    return bool(
        SyncState.objects.filter(dossier_id=dossier_id)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + lease)
    )


def push_dossier(dossier_id: int, *, now: datetime.datetime | None = None) -> int:
    """Send the dossier's due pushes in order; returns how many went out. Another worker
    already sending this dossier's pushes makes this a no-op (it holds the lease)."""
    if not _claim(dossier_id, now or timezone.now()):
        return 0
    sent = 0
    try:
        while True:
            push = Push.objects.filter(dossier_id=dossier_id, state__in=OPEN).order_by("seq").first()
            current = now or timezone.now()
            if push is None or (push.next_attempt_at and push.next_attempt_at > current):
                return sent
            if not push.payload:
                _rebuild(push)
            outcome = client.send(push.kind, push.payload)
            _record(push, outcome, now or timezone.now())
            if not outcome.ok:
                logger.warning("national sync: dossier %s push %s failed: %s", dossier_id, push.seq, outcome.error)
                return sent
            sent += 1
    finally:
        SyncState.objects.filter(dossier_id=dossier_id).update(lease_until=None)


@transaction.atomic
def _record(push: Push, outcome, at: datetime.datetime) -> None:
    """What one attempt gave, on the push and on the dossier's sync state."""
    push.attempts += 1
    push.response = outcome.response
    state = SyncState.objects.select_for_update().get(dossier_id=push.dossier_id)
    if outcome.ok:
        push.state, push.sent_at, push.last_error, push.next_attempt_at = PushState.SENT, at, "", None
        state.sent_seq = push.seq
        state.first_sent_at = state.first_sent_at or at
        state.last_error = ""
    else:
        push.state, push.last_error = PushState.RETRYING, outcome.error
        push.next_attempt_at = at + _backoff(push.attempts)
        state.last_error = outcome.error
    push.save()
    state.save(update_fields=["sent_seq", "first_sent_at", "last_error", "updated_at"])
    if outcome.ok and push.seq == 1:
        from .events import dossier_synced

        dossier_synced.send(sender=Push, dossier_id=push.dossier_id)


def _rebuild(push: Push) -> None:
    from .payload import dossier_payload

    push.payload = dossier_payload(push.dossier, push.change)


def push_due(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Every minute (beat): enqueue the dossiers whose next push is due (new, or its retry
    time has come). Returns how many dossiers were enqueued."""
    from portal.queueing import enqueue

    from .tasks import push_dossier_task

    current = now or timezone.now()
    # Only a dossier's first open push is ever tried, so only it can be waiting for a retry.
    waiting = Push.objects.filter(state__in=OPEN, next_attempt_at__gt=current).values("dossier_id")
    due = (
        Push.objects.filter(state__in=OPEN)
        .exclude(dossier_id__in=waiting)
        .order_by("dossier_id")
        .values_list("dossier_id", flat=True)
        .distinct()[:limit]
    )
    ids = list(due)
    for dossier_id in ids:
        enqueue(push_dossier_task, dossier_id)
    return len(ids)


def push_retry_now(*, dossier_ids: list[int]) -> int:
    """An admin sends again at once (clears the wait of the dossiers' first open push)."""
    updated = Push.objects.filter(dossier_id__in=dossier_ids, state__in=OPEN).update(next_attempt_at=None)
    from portal.queueing import enqueue

    from .tasks import push_dossier_task

    for dossier_id in dossier_ids:
        enqueue(push_dossier_task, dossier_id)
    return updated


# --- The sandbox stand-in for the national endpoints ---------------------------------------

REQUIRED = ("MaHoSo", "MaTTHC", "TrangThaiHoSo", "KenhThucHien", "NgayNopHoSo", "tienTrinhDongBo")
DATE_FIELDS = ("NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayTra", "NgayKetThucXuLy", "NgayTuChoi")


def sandbox_receive(kind: str, payload) -> dict:
    """Check a message as the national portal would, record it, answer ``{error_code,
    message}``: an update for a dossier it never received, a bad status or date is refused."""
    from .constants import DATE_FORMAT

    if not isinstance(payload, dict):
        return {"error_code": "1", "message": "Gói tin phải là một đối tượng JSON."}
    missing = [name for name in REQUIRED if not payload.get(name)]
    if missing:
        return {"error_code": "1", "message": "Thiếu trường: " + ", ".join(missing)}
    try:
        status = int(payload["TrangThaiHoSo"])
    except (TypeError, ValueError):
        status = 0
    if not 1 <= status <= 10:
        return {"error_code": "1", "message": "TrangThaiHoSo phải từ 1 đến 10."}
    for name in DATE_FIELDS:
        value = payload.get(name) or ""
        if value:
            try:
                datetime.datetime.strptime(str(value), DATE_FORMAT)
            except ValueError:
                return {"error_code": "1", "message": f"{name} phải có dạng yyyyMMddHHmmss."}
    code = str(payload["MaHoSo"])[:40]
    known = SandboxReceipt.objects.filter(code=code).exists()
    if kind == PushKind.CREATE and known:
        return {"error_code": "2", "message": f"Hồ sơ {code} đã có."}
    if kind == PushKind.UPDATE and not known:
        return {"error_code": "3", "message": f"Hồ sơ {code} chưa có trên Cổng."}
    SandboxReceipt.objects.create(kind=kind, code=code, status=status, payload=payload)
    return {"error_code": "0", "message": "Thành công"}


# --- Inbound: the national procedure package, pulled on a schedule ------------------------------

PACKAGE_MAX_BYTES = 100 * 1024 * 1024


def _fetch(url: str, timeout: float) -> bytes:
    import urllib.request

    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    token = settings.NATIONAL_CATALOG.get("TOKEN")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310  # nosec B310 # the catalog package URL from settings, never from a request
        data = answer.read(PACKAGE_MAX_BYTES + 1)
    if len(data) > PACKAGE_MAX_BYTES:
        raise ValueError(f"Gói tin lớn hơn {PACKAGE_MAX_BYTES // (1024 * 1024)} MB.")
    return data


def catalog_pull(*, url: str | None = None):
    """Fetch the national package and import it into drafts (never published here); the
    result, good or bad, is kept as a ``CatalogPull`` and provincial admins are told what
    changed (e-mail) so that they review the drafts before publishing them."""
    import urllib.error

    from procedures.national_import import (
        NationalImportError,
        NationalPackageError,
        national_package_import,
        national_package_load,
    )

    from .models import CatalogPull

    url = url or settings.NATIONAL_CATALOG.get("URL", "")
    pull = CatalogPull(source=url)
    try:
        raw = _fetch(url, float(settings.NATIONAL_CATALOG.get("TIMEOUT", 60)))
        records = national_package_load(raw)
        report = national_package_import(records=records, publish=False)
    except NationalImportError as exc:
        pull.error = "\n".join([str(exc), *(str(e) for e in exc.errors[:50])])
        pull.warnings = list(exc.warnings[:50])
    except (NationalPackageError, ValueError) as exc:
        pull.error = f"Gói tin không đọc được: {exc}"
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        pull.error = f"Không tải được gói tin từ {url}: {getattr(exc, 'reason', exc)}"
    else:
        pull.ok = True
        pull.created_codes = report.created_codes
        pull.updated_codes = report.updated_codes
        pull.unchanged = report.unchanged
        pull.warnings = report.warnings[:200]
    pull.save()
    if pull.error or pull.changed:
        _tell_admins(pull)
    return pull


def _tell_admins(pull) -> int:
    """E-mail the provincial admins what the pull changed (or why it failed)."""
    from django.contrib.auth import get_user_model
    from django.core.mail import send_mail

    from accounts.constants import StaffRole

    emails = sorted(
        set(
            get_user_model()
            .objects.filter(assignments__role=StaffRole.PROVINCIAL_ADMIN, assignments__active=True, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    if not emails:
        return 0
    if pull.error:
        subject = "Lấy danh mục thủ tục từ CSDL quốc gia không thành công"
        body = pull.error
    else:
        subject = f"CSDL quốc gia: {pull.changed} thủ tục thay đổi chờ xem xét, công bố"
        body = (
            f"Thủ tục mới (bản nháp): {', '.join(pull.created_codes) or 'không có'}\n"
            f"Thủ tục thay đổi (bản nháp): {', '.join(pull.updated_codes) or 'không có'}\n"
            f"Không thay đổi: {pull.unchanged}\n\n"
            "Các thay đổi chưa được công bố: hãy xem từng bản nháp trong trang quản trị "
            "(Danh mục thủ tục → Phiên bản thủ tục, lọc “Bản nháp”) rồi công bố."
        )
    return send_mail(subject, body, None, emails)
