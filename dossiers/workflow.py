"""The dossier state machine: the one place that knows which status changes exist.

Transitions follow the national status codes (research vietnam-domain.md §2.2).
Every change goes through ``dossier_transition``: it locks the dossier row, checks
the transition and who makes it, appends a ``StatusChange`` row and emits the
domain event after commit (``dossiers.events``). Pages, API, admin and workers all
call it; nothing else writes ``Dossier.status``.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from . import events
from .constants import Status
from .models import Dossier, StatusChange
from .selectors import officer_handles

ACTIVE = frozenset(
    {Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT}
)


def _is_owner(dossier: Dossier, actor) -> bool:
    return actor is not None and dossier.owner_id is not None and dossier.owner_id == actor.pk


def _is_officer(dossier: Dossier, actor) -> bool:
    return officer_handles(actor, dossier)


@dataclass(frozen=True)
class Action:
    """A named transition: from which statuses, to which, made by whom."""

    name: str
    label: str
    sources: frozenset[Status]
    target: Status
    allowed: Callable[[Dossier, object], bool]
    note_required: bool = False
    sets: tuple[str, ...] = field(default_factory=tuple)


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action("submit", "Nộp hồ sơ", frozenset({Status.DRAFT}), Status.SUBMITTED, _is_owner, sets=("submitted_at",)),
        Action(
            "withdraw",
            "Rút hồ sơ",
            frozenset({Status.SUBMITTED}),
            Status.WITHDRAWN,
            _is_owner,
            note_required=True,
            sets=("finished_at",),
        ),
        Action(
            "receive", "Tiếp nhận", frozenset({Status.SUBMITTED}), Status.RECEIVED, _is_officer, sets=("received_at",)
        ),
        Action(
            "refuse",
            "Từ chối tiếp nhận",
            frozenset({Status.SUBMITTED}),
            Status.REFUSED,
            _is_officer,
            note_required=True,
            sets=("finished_at",),
        ),
        Action("start_processing", "Chuyển xử lý", frozenset({Status.RECEIVED}), Status.PROCESSING, _is_officer),
        Action(
            "request_supplement",
            "Yêu cầu bổ sung",
            frozenset({Status.RECEIVED, Status.PROCESSING}),
            Status.SUPPLEMENT_REQUESTED,
            _is_officer,
            note_required=True,
        ),
        Action(
            "supplement_received",
            "Nhận hồ sơ bổ sung",
            frozenset({Status.SUPPLEMENT_REQUESTED}),
            Status.PROCESSING,
            _is_officer,
        ),
        Action(
            "request_payment",
            "Yêu cầu nộp phí, lệ phí",
            frozenset({Status.PROCESSING}),
            Status.AWAITING_PAYMENT,
            _is_officer,
        ),
        Action(
            "payment_confirmed",
            "Xác nhận đã nộp phí",
            frozenset({Status.AWAITING_PAYMENT}),
            Status.PROCESSING,
            _is_officer,
        ),
        Action(
            "resolve",
            "Hoàn thành xử lý",
            frozenset({Status.PROCESSING}),
            Status.RESOLVED,
            _is_officer,
            sets=("finished_at",),
        ),
        Action("return_result", "Trả kết quả", frozenset({Status.RESOLVED}), Status.RETURNED, _is_officer),
        Action(
            "stop",
            "Dừng xử lý",
            ACTIVE - {Status.SUBMITTED},
            Status.STOPPED,
            _is_officer,
            note_required=True,
            sets=("finished_at",),
        ),
        Action(
            "withdraw_on_request",
            "Rút hồ sơ theo yêu cầu của công dân",
            ACTIVE,
            Status.WITHDRAWN,
            _is_officer,
            note_required=True,
            sets=("finished_at",),
        ),
    ]
}


class TransitionError(ValidationError):
    """The action is not possible from the dossier's current status."""


def allowed_actions(dossier: Dossier, actor) -> list[Action]:
    """The actions ``actor`` may take on ``dossier`` now (to show only those buttons)."""
    return [a for a in ACTIONS.values() if dossier.status in a.sources and a.allowed(dossier, actor)]


@transaction.atomic
def dossier_transition(
    *,
    dossier: Dossier,
    action: str,
    actor,
    note: str = "",
    step_deadline: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> StatusChange:
    """Apply ``action`` to ``dossier``: lock, check, change, record, emit after commit.

    Two people acting at once: the second waits for the lock, then sees the new
    status and gets a ``TransitionError`` with a clear message.
    """
    spec = ACTIONS.get(action)
    if spec is None:
        raise TransitionError(f"Thao tác “{action}” không tồn tại.")
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.status not in spec.sources:
        raise TransitionError(
            f"Không thể “{spec.label.lower()}”: hồ sơ đang ở trạng thái “{Status(locked.status).label}”. "
            "Có thể người khác vừa xử lý hồ sơ này; hãy tải lại trang."
        )
    if not spec.allowed(locked, actor):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này với hồ sơ.")
    note = (note or "").strip()
    if spec.note_required and not note:
        raise ValidationError({"note": "Hãy ghi rõ lý do."})

    now = now or timezone.now()
    from_status = locked.status
    locked.status = spec.target
    update_fields = ["status", "updated_at"]
    for name in spec.sets:
        setattr(locked, name, now)
        update_fields.append(name)
    locked.save(update_fields=update_fields)
    change = StatusChange.objects.create(
        dossier=locked,
        from_status=from_status,
        to_status=spec.target,
        action=spec.name,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
        step_deadline=step_deadline,
    )
    events.emit_status_changed(change)
    # Keep the caller's object in step with the database.
    dossier.status = locked.status
    for name in spec.sets:
        setattr(dossier, name, now)
    return change
