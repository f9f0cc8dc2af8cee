"""The dossier state machine: the one place that knows which changes exist, who may
make each and what each requires.

Statuses follow the national codes 1–10 (research vietnam-domain.md §2.1–2.2); inside
status 4 (Đang xử lý) the internal step (``Step``) says where the dossier is: the
department, the specialist, the leader's approval, the issuing of the result, or an
inter-agency transfer (liên thông). Every change — of status or of step, and the
apology that only moves the appointment date — goes through ``dossier_transition``:
it locks the dossier row, checks the action against the current status and step and
the actor's role, applies the action's effect (due dates, related records), appends a
``StatusChange`` row and emits the domain event after commit (``dossiers.events``).
Pages, API, admin, demo data and workers all call it; nothing else writes ``status``.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.constants import StaffRole
from portal.errors import field_errors
from procedures.constants import ApprovalChain

from . import deadlines, events
from .constants import Channel, ResultDelivery, Status, Step
from .models import Apology, Dossier, Handover, Result, StatusChange, SupplementRequest, Transfer
from .selectors import ActorContext, actor_context

ACTIVE = frozenset(
    {Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT}
)
# Statuses that keep the internal step: back to processing, the dossier is where it was.
PAUSED_OR_PROCESSING = frozenset({Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT})
ONE_STOP = StaffRole.ONE_STOP_OFFICER
SPECIALIST = StaffRole.SPECIALIST
DEPT_LEADER = StaffRole.DEPARTMENT_LEADER
LEADER = StaffRole.AGENCY_LEADER
PROCESSING_ROLES = frozenset({ONE_STOP, SPECIALIST, DEPT_LEADER, LEADER})
OWNER = "owner"
# The portal itself, acting on what a payment gateway confirmed (payments.services): not a
# person, so the history row has no actor. Pass ``actor=SYSTEM``.
SYSTEM_ROLE = "system"


class _System:
    """The portal as an actor (``SYSTEM``)."""

    pk = None
    is_authenticated = False

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()
SYSTEM_CONTEXT = ActorContext(None, None, False, frozenset({SYSTEM_ROLE}), frozenset(), frozenset())

# Share of the dossier's legal time each internal step may use (its step deadline),
# counted in office time from the moment the step starts and never after the due date.
STEP_SHARES = {
    Step.DEPARTMENT: 0.10,
    Step.SPECIALIST: 0.60,
    Step.APPROVAL: 0.15,
    Step.SIGNING: 0.10,
    Step.ISSUING: 0.15,
    Step.TRANSFERRED: 0.30,
}
MAX_NOTE = 4000


@dataclass
class Effect:
    """What an action changes besides status and step."""

    fields: dict[str, Any] = field(default_factory=dict)
    after: list[Callable[[Dossier, StatusChange], None]] = field(default_factory=list)


@dataclass(frozen=True)
class Input:
    """A value an action asks for besides its note (the officer's form field and the API's
    ``data`` key): ``kind`` is text, textarea, date, select, file or number. Whether a value
    is acceptable is decided by the action's effect, not here."""

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    help_text: str = ""


@dataclass(frozen=True)
class Action:
    """A named change: from which statuses (and steps), to which, by whom, with what —
    the one description of an action that the officer's page, the API and the forms read."""

    name: str
    label: str
    sources: frozenset[Status]
    target: Status | None  # None: the status stays (a step change or an apology)
    roles: frozenset[str]
    steps: frozenset[Step] | None = None  # source steps inside status 4; None: any
    target_step: Step | None = None  # None: the step stays
    note_required: bool = False
    note_label: str = "Ghi chú"
    guard: Callable[[Dossier, ActorContext], bool] | None = None
    # A condition on the dossier's state beyond status and step (not on the actor):
    # when false the action does not apply and is refused with ``when_message``.
    when: Callable[[Dossier], bool] | None = None
    when_message: str = ""
    effect: Callable[[Dossier, ActorContext, dict, datetime.datetime], Effect] | None = None
    form: str = ""  # the standard form (Mẫu) issued after this action, see ``printing``
    danger: bool = False
    inputs: tuple[Input, ...] = ()
    # A rule kept elsewhere that must hold before the action (the fees paid, decided by
    # ``payments.fees``): returns why the action is held back now, or "". A held action is
    # still offered (its form shows the reason) but refused until the rule holds.
    held_by: Callable[[Dossier], str] | None = None

    def data_from(self, values) -> dict[str, str]:
        """The action's values from a form or a JSON object (anything else ignored), whole:
        a value that is too long is refused at its field, never cut."""
        return {i.name: str(values.get(i.name) or "").strip() for i in self.inputs if i.kind != "file"}

    def held_reason(self, dossier: Dossier) -> str:
        return self.held_by(dossier) if self.held_by else ""

    def applies_to(self, dossier: Dossier) -> bool:
        if dossier.status not in self.sources:
            return False
        if self.steps is not None and dossier.status == Status.PROCESSING and Step(dossier.step) not in self.steps:
            return False
        return self.when is None or self.when(dossier)

    def allowed_for(self, dossier: Dossier, ctx: ActorContext) -> bool:
        if OWNER in self.roles and ctx.is_owner:
            return self.guard is None or self.guard(dossier, ctx)
        if not (self.roles & ctx.roles):
            return False
        return self.guard is None or self.guard(dossier, ctx)


class TransitionError(ValidationError):
    """The action is not possible from the dossier's current status or step."""


# --- guards: who, beyond the role ------------------------------------------------------------


def _is_handler_or_desk(dossier: Dossier, ctx: ActorContext) -> bool:
    if ctx.roles & {ONE_STOP, LEADER}:
        return True
    if DEPT_LEADER in ctx.roles and dossier.department in ctx.departments:
        return True
    return dossier.handler_id == ctx.user_id


def _is_handler_or_leader(dossier: Dossier, ctx: ActorContext) -> bool:
    if LEADER in ctx.roles:
        return True
    if DEPT_LEADER in ctx.roles and dossier.department in ctx.departments:
        return True
    return dossier.handler_id == ctx.user_id


def _leads_department(dossier: Dossier, ctx: ActorContext) -> bool:
    return LEADER in ctx.roles or (DEPT_LEADER in ctx.roles and dossier.department in ctx.departments)


# Who signs a result at each signing step, by the procedure version's approval chain (trình
# ký, ``procedures.constants.ApprovalChain``), in order: the one table that the guards, the
# officers' queues and the notifications read. A department leader signs for their own
# department only; where a chain names the department leader alone, the agency leader may
# sign in their place (the leader outranks the division).
SIGNING_STEPS: dict[str, tuple[tuple[Step, frozenset[str]], ...]] = {
    ApprovalChain.DEPARTMENT: ((Step.APPROVAL, frozenset({DEPT_LEADER, LEADER})),),
    ApprovalChain.AGENCY: ((Step.APPROVAL, frozenset({LEADER})),),
    ApprovalChain.BOTH: ((Step.APPROVAL, frozenset({DEPT_LEADER})), (Step.SIGNING, frozenset({LEADER}))),
}
SIGNING = frozenset(step for steps in SIGNING_STEPS.values() for step, _ in steps)


def signers_at(chain: str, step: str) -> frozenset[str]:
    """The roles that sign at ``step`` of ``chain`` (none if the step is not a signing one)."""
    return next((roles for s, roles in SIGNING_STEPS.get(chain, ()) if s == step), frozenset())


def step_after_signature(chain: str, step: str) -> Step:
    """Where a result goes once signed at ``step``: the chain's next signing step, or issuing."""
    steps = [s for s, _ in SIGNING_STEPS.get(chain, ())]
    index = steps.index(step) if step in steps else len(steps)
    return steps[index + 1] if index + 1 < len(steps) else Step.ISSUING


def _signs_now(dossier: Dossier, ctx: ActorContext) -> bool:
    """The actor signs at the dossier's current signing step (``SIGNING_STEPS``)."""
    roles = signers_at(dossier.procedure_version.approval_chain, dossier.step)
    if LEADER in roles and LEADER in ctx.roles:
        return True
    return DEPT_LEADER in roles and DEPT_LEADER in ctx.roles and dossier.department in ctx.departments


def _is_handler(dossier: Dossier, ctx: ActorContext) -> bool:
    return dossier.handler_id is not None and dossier.handler_id == ctx.user_id


def _serves_transfer_agency(dossier: Dossier, ctx: ActorContext) -> bool:
    return bool(ctx.transfer_roles & PROCESSING_ROLES)


def _no_apology_yet(dossier: Dossier) -> bool:
    return dossier.due_at is not None and not Apology.objects.filter(dossier_id=dossier.pk).exists()


# --- holds: rules of other apps that must hold first ------------------------------------------


def _fees_paid_before(action: str, message: str) -> Callable[[Dossier], str]:
    """Held while fees that must be paid before ``action`` are not (``payments.fees``)."""

    def held(dossier: Dossier) -> str:
        from payments.selectors import unpaid_before
        from portal.text import thousands

        due = unpaid_before(dossier, action)
        return message.format(amount=thousands(due.amount)) if due is not None else ""

    return held


# --- effects: what each action requires and changes ------------------------------------------


def _text(data: dict, key: str, message: str, *, max_length: int = 500) -> str:
    value = str(data.get(key) or "").strip()
    if not value:
        raise ValidationError({key: message})
    if len(value) > max_length:
        raise ValidationError({key: f"Tối đa {max_length} ký tự."})
    return value


def _date(data: dict, key: str, message: str) -> datetime.date:
    value = data.get(key)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError({key: message})


def _step_due(dossier: Dossier, step: Step, now: datetime.datetime) -> datetime.datetime | None:
    """The deadline of an internal step: its share of the legal time, capped at the due date."""
    share = STEP_SHARES.get(step)
    version = dossier.procedure_version
    if share is None or version.time_limit is None:
        return dossier.due_at
    total = deadlines.limit_minutes(amount=version.time_limit, unit=version.time_limit_unit)
    moment = deadlines.add_office_minutes(start=now, minutes=max(int(total * share), 60))
    if dossier.due_at is not None and moment > dossier.due_at:
        return dossier.due_at
    return moment


def _submitted(dossier, ctx, data, now) -> Effect:
    """Submitted now, or, for a dossier the post office took in, when the hand-over record
    was signed (``processing.intake_complete`` passes it): the citizen filed then."""
    return Effect({"submitted_at": data.get("submitted_at") or now})


def _received(dossier, ctx, data, now) -> Effect:
    version = dossier.procedure_version
    received_at = data.get("received_at") or now
    due = None
    if version.time_limit is not None:
        due = deadlines.due_at(received_at=received_at, amount=version.time_limit, unit=version.time_limit_unit)
    return Effect({"received_at": received_at, "due_at": due, "step_due_at": None})


def _finished(dossier, ctx, data, now) -> Effect:
    """Processing ends (refused, stopped, withdrawn, result recorded): the dossier
    leaves every work list, including a partner agency's during a transfer."""
    return Effect(
        {"finished_at": now, "step": Step.DESK, "handler": None, "step_due_at": None, "transfer_agency": None}
    )


def _withdrawn(dossier, ctx, data, now) -> Effect:
    effect = _finished(dossier, ctx, data, now)
    effect.fields["withdraw_reason"] = data["note"]
    return effect


def _department_choice(dossier: Dossier, data: dict) -> str:
    from .selectors import agency_departments

    department = str(data.get("department") or "").strip()
    if not department:
        raise ValidationError({"department": "Hãy chọn phòng, ban xử lý."})
    if department not in agency_departments(dossier.agency_id):
        raise ValidationError({"department": "Phòng, ban này không thuộc cơ quan giải quyết hồ sơ."})
    return department


def _specialist_choice(dossier: Dossier, data: dict, department: str, *, required: bool):
    from .selectors import agency_specialists

    raw = str(data.get("handler") or "").strip()
    if not raw:
        if required:
            raise ValidationError({"handler": "Hãy chọn chuyên viên xử lý."})
        return None
    specialist = next((u for u in agency_specialists(dossier.agency_id, department) if str(u.pk) == raw), None)
    if specialist is None:
        raise ValidationError({"handler": "Chuyên viên này không thuộc phòng, ban đã chọn."})
    return specialist


def _assigned(dossier, ctx, data, now) -> Effect:
    department = _department_choice(dossier, data)
    specialist = _specialist_choice(dossier, data, department, required=False)
    step = Step.SPECIALIST if specialist else Step.DEPARTMENT
    return Effect(
        {"department": department, "handler": specialist, "step": step, "step_due_at": _step_due(dossier, step, now)}
    )


def _specialist_assigned(dossier, ctx, data, now) -> Effect:
    specialist = _specialist_choice(dossier, data, dossier.department, required=True)
    return Effect({"handler": specialist, "step_due_at": _step_due(dossier, Step.SPECIALIST, now)})


def _to_step(step: Step) -> Callable[..., Effect]:
    def effect(dossier, ctx, data, now) -> Effect:
        return Effect({"step_due_at": _step_due(dossier, step, now)})

    return effect


def _signed(dossier, ctx, data, now) -> Effect:
    """A signature (duyệt, ký): on to the chain's next signing step, or to issuing."""
    step = step_after_signature(dossier.procedure_version.approval_chain, dossier.step)
    return Effect({"step": step, "step_due_at": _step_due(dossier, step, now)})


def signer_of(dossier: Dossier) -> StatusChange | None:
    """The last signature on the dossier's result (the history row of "approve" or "sign")."""
    return (
        StatusChange.objects.filter(dossier_id=dossier.pk, action__in=("approve", "sign"))
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


def _back_to_department(dossier, ctx, data, now) -> Effect:
    return Effect({"handler": None, "step_due_at": _step_due(dossier, Step.DEPARTMENT, now)})


def _back_to_desk(dossier, ctx, data, now) -> Effect:
    return Effect({"handler": None, "department": "", "step_due_at": None})


def _transferred(dossier, ctx, data, now) -> Effect:
    from procedures.models import Agency

    raw = str(data.get("to_agency") or "").strip()
    agency = Agency.objects.filter(pk=raw).first() if raw.isdigit() else None
    if agency is None or not agency.is_active:
        raise ValidationError({"to_agency": "Hãy chọn cơ quan phối hợp đang hoạt động."})
    if agency.pk == dossier.agency_id:
        raise ValidationError({"to_agency": "Cơ quan phối hợp phải khác cơ quan đang giải quyết hồ sơ."})

    def record(locked: Dossier, change: StatusChange) -> None:
        Transfer.objects.create(dossier=locked, to_agency=agency, note=data["note"], sent_by=ctx.user, sent_at=now)

    return Effect({"transfer_agency": agency, "step_due_at": _step_due(dossier, Step.TRANSFERRED, now)}, after=[record])


def _transfer_returned(dossier, ctx, data, now) -> Effect:
    def record(locked: Dossier, change: StatusChange) -> None:
        Transfer.objects.filter(dossier=locked, returned_at__isnull=True).update(
            returned_at=now, returned_by=ctx.user, return_note=data["note"]
        )

    return Effect({"transfer_agency": None, "step_due_at": _step_due(dossier, Step.SPECIALIST, now)}, after=[record])


def _each(*checks):
    """The value of each check, every refusal gathered into one ``ValidationError`` (so a
    form shows all its errors at once, not one per try)."""
    values, errors = [], {}
    for check in checks:
        try:
            values.append(check())
        except ValidationError as exc:
            values.append(None)
            errors.update(field_errors(exc))
    if errors:
        raise ValidationError(errors)
    return values


def _respond_by(data: dict, now: datetime.datetime) -> datetime.date:
    respond_by = _date(data, "respond_by", "Hãy nhập hạn bổ sung (ngày/tháng/năm).")
    if respond_by <= timezone.localdate(now):
        raise ValidationError({"respond_by": "Hạn bổ sung phải sau ngày hôm nay."})
    if respond_by > timezone.localdate(now) + datetime.timedelta(days=180):
        raise ValidationError({"respond_by": "Hạn bổ sung không quá 180 ngày."})
    return respond_by


def _supplement_requested(dossier, ctx, data, now) -> Effect:
    items, respond_by = _each(
        lambda: _text(data, "items", "Hãy ghi rõ giấy tờ, nội dung cần bổ sung.", max_length=MAX_NOTE),
        lambda: _respond_by(data, now),
    )
    from_status = dossier.status

    def record(locked: Dossier, change: StatusChange) -> None:
        SupplementRequest.objects.create(
            dossier=locked,
            items=items,
            reason=data["note"],
            respond_by=respond_by,
            from_status=from_status,
            requested_by=ctx.user,
            requested_at=now,
            change=change,
        )

    return Effect({}, after=[record])


def open_supplement(dossier: Dossier) -> SupplementRequest | None:
    return dossier.supplements.filter(answered_at__isnull=True).order_by("-requested_at", "-pk").first()


def _supplement_answered(dossier, ctx, data, now) -> Effect:
    request = open_supplement(dossier)
    if request is None:
        raise TransitionError("Hồ sơ không có yêu cầu bổ sung nào đang chờ.")
    fields: dict[str, Any] = {"status": Status(request.from_status)}
    if dossier.due_at is not None:
        fields["due_at"] = deadlines.due_after_pause(due=dossier.due_at, paused_at=request.requested_at, resumed_at=now)
        if dossier.step_due_at is not None:
            fields["step_due_at"] = deadlines.due_after_pause(
                due=dossier.step_due_at, paused_at=request.requested_at, resumed_at=now
            )

    def record(locked: Dossier, change: StatusChange) -> None:
        SupplementRequest.objects.filter(pk=request.pk).update(answered_at=now, answer_note=data["note"])

    return Effect(fields, after=[record])


def _payment_confirmed(dossier, ctx, data, now) -> Effect:
    """Waiting for the fee pauses the clock as a supplement does (research §2.1, §9.5): the
    due dates move by the office time since the payment was requested."""
    requested = (
        StatusChange.objects.filter(dossier_id=dossier.pk, action="request_payment")
        .order_by("-pk")
        .values_list("at", flat=True)
        .first()
    )
    fields: dict[str, Any] = {}
    if requested is not None and dossier.due_at is not None:
        fields["due_at"] = deadlines.due_after_pause(due=dossier.due_at, paused_at=requested, resumed_at=now)
        if dossier.step_due_at is not None:
            fields["step_due_at"] = deadlines.due_after_pause(
                due=dossier.step_due_at, paused_at=requested, resumed_at=now
            )
    return Effect(fields)


def _issued_on(data: dict, now: datetime.datetime) -> datetime.date:
    issued_on = _date(data, "issued_on", "Hãy nhập ngày ban hành (ngày/tháng/năm).")
    if issued_on > timezone.localdate(now):
        raise ValidationError({"issued_on": "Ngày ban hành không được sau hôm nay."})
    return issued_on


def _result_file(data: dict):
    if data.get("stored_file") is None:
        raise ValidationError({"file": "Hãy đính kèm văn bản kết quả (PDF)."})
    return data["stored_file"]


def _result_recorded(dossier, ctx, data, now) -> Effect:
    number, issued_on, summary, stored_file = _each(
        lambda: _text(data, "number", "Hãy nhập số, ký hiệu văn bản kết quả.", max_length=100),
        lambda: _issued_on(data, now),
        lambda: _text(data, "summary", "Hãy nhập trích yếu nội dung kết quả."),
        lambda: _result_file(data),
    )
    issuer = str(data.get("issuer") or "").strip()[:255] or dossier.agency.name
    signature = signer_of(dossier)

    def record(locked: Dossier, change: StatusChange) -> None:
        Result.objects.create(
            signed_by=signature.actor if signature else None,
            signed_at=signature.at if signature else None,
            dossier=locked,
            number=number,
            issued_on=issued_on,
            issuer=issuer,
            summary=summary,
            stored_file=stored_file,
            recorded_by=ctx.user,
            recorded_at=now,
        )

    effect = _finished(dossier, ctx, data, now)
    effect.after.append(record)
    return effect


def _result_handed_over(dossier, ctx, data, now) -> Effect:
    method = str(data.get("method") or "").strip()
    if method not in ResultDelivery.values:
        raise ValidationError({"method": "Hãy chọn hình thức trả kết quả."})
    receiver = str(data.get("receiver_name") or "").strip()[:200]
    tracking = str(data.get("tracking_number") or "").strip()[:50]
    fee_raw = str(data.get("postal_fee") or "0").strip().replace(".", "")
    if method == ResultDelivery.ONLINE:
        if dossier.owner_id is None:
            raise ValidationError({"method": "Hồ sơ không có tài khoản công dân để nhận bản điện tử."})
        receiver = receiver or dossier.applicant_name
    elif not receiver:
        raise ValidationError({"receiver_name": "Hãy ghi họ tên người nhận kết quả."})
    if method == ResultDelivery.POST and not tracking:
        raise ValidationError({"tracking_number": "Hãy nhập số hiệu bưu gửi."})
    if not fee_raw.isdigit() or int(fee_raw) > 10_000_000:
        raise ValidationError({"postal_fee": "Cước bưu chính là số tiền (đồng), không quá 10.000.000."})

    def record(locked: Dossier, change: StatusChange) -> None:
        Handover.objects.create(
            dossier=locked,
            method=method,
            receiver_name=receiver,
            receiver_id_number=str(data.get("receiver_id_number") or "").strip()[:20],
            tracking_number=tracking,
            postal_fee=int(fee_raw),
            handed_over_by=ctx.user,
            at=now,
        )

    return Effect({}, after=[record])


def apology_deadline(due: datetime.datetime) -> datetime.datetime:
    """When the law asks the apology to be sent at the latest (Nghị định 61/2018/NĐ-CP: one
    day before the due date). Shown to the leader; a dossier already past it (or past its
    due date) still gets its apology, once: the citizen is owed it all the more."""
    return deadlines.add_office_minutes(start=due, minutes=-deadlines.MINUTES_PER_DAY)


def _new_appointment_day(dossier: Dossier, data: dict, now: datetime.datetime) -> datetime.date:
    """The new appointment's day: a working day after the old appointment and after today
    (an overdue dossier's new date cannot be in the past), within a year of the later."""
    new_day = _date(data, "new_due", "Hãy nhập ngày hẹn trả mới (ngày/tháng/năm).")
    old_day = timezone.localtime(dossier.due_at).date()
    today = timezone.localdate(now)
    if new_day <= old_day:
        raise ValidationError({"new_due": "Ngày hẹn mới phải sau ngày hẹn cũ."})
    if new_day <= today:
        raise ValidationError({"new_due": "Hồ sơ đã quá hạn: ngày hẹn mới phải sau hôm nay."})
    if new_day > max(old_day, today) + datetime.timedelta(days=366):
        raise ValidationError({"new_due": "Ngày hẹn mới không quá một năm sau ngày hẹn cũ."})
    if not deadlines.is_working_day(new_day):
        raise ValidationError({"new_due": "Ngày hẹn mới phải là ngày làm việc."})
    return new_day


def _apologised(dossier, ctx, data, now) -> Effect:
    if dossier.due_at is None:
        raise TransitionError("Hồ sơ chưa có ngày hẹn trả.")
    if Apology.objects.filter(dossier_id=dossier.pk).exists():
        raise TransitionError("Hồ sơ đã có văn bản xin lỗi và hẹn lại; chỉ được hẹn lại một lần.")
    new_day = _new_appointment_day(dossier, data, now)
    new_due = deadlines.closing_time(new_day)
    old_due = dossier.due_at

    def record(locked: Dossier, change: StatusChange) -> None:
        Apology.objects.create(
            dossier=locked, reason=data["note"], old_due_at=old_due, new_due_at=new_due, issued_by=ctx.user, at=now
        )

    return Effect({"due_at": new_due}, after=[record])


def _stopped(dossier, ctx, data, now) -> Effect:
    return _finished(dossier, ctx, data, now)


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        # Citizen (owner of the dossier)
        Action(
            "submit", "Nộp hồ sơ", frozenset({Status.DRAFT}), Status.SUBMITTED, frozenset({OWNER}), effect=_submitted
        ),
        Action(
            "withdraw",
            "Rút hồ sơ",
            frozenset({Status.SUBMITTED}),
            Status.WITHDRAWN,
            frozenset({OWNER}),
            note_required=True,
            note_label="Lý do rút hồ sơ",
            effect=_withdrawn,
            danger=True,
        ),
        Action(
            "supplement_submit",
            "Gửi hồ sơ bổ sung",
            frozenset({Status.SUPPLEMENT_REQUESTED}),
            None,
            frozenset({OWNER}),
            effect=_supplement_answered,
        ),
        # Counter and post intake: the desk files the paper dossier for the citizen
        Action(
            "intake",
            "Nhập hồ sơ giấy",
            frozenset({Status.DRAFT}),
            Status.SUBMITTED,
            frozenset({ONE_STOP}),
            guard=lambda d, ctx: d.channel in (Channel.COUNTER, Channel.POST),
            effect=_submitted,
        ),
        # One-stop desk (bộ phận một cửa)
        Action(
            "receive",
            "Tiếp nhận",
            frozenset({Status.SUBMITTED}),
            Status.RECEIVED,
            frozenset({ONE_STOP}),
            effect=_received,
            form="01",
            held_by=_fees_paid_before(
                "receive",
                "Thủ tục thu phí, lệ phí trước khi tiếp nhận: hồ sơ còn {amount} đồng chưa nộp. Hãy thu tại "
                "quầy (ghi số biên lai), chờ người nộp thanh toán trực tuyến, hoặc ghi nhận miễn kèm lý do.",
            ),
        ),
        Action(
            "refuse",
            "Từ chối tiếp nhận",
            frozenset({Status.SUBMITTED}),
            Status.REFUSED,
            frozenset({ONE_STOP}),
            note_required=True,
            note_label="Lý do từ chối",
            effect=_finished,
            form="03",
            danger=True,
        ),
        Action(
            "assign",
            "Chuyển phòng, chuyên viên xử lý",
            frozenset({Status.RECEIVED}),
            Status.PROCESSING,
            frozenset({ONE_STOP, LEADER, DEPT_LEADER}),
            effect=_assigned,
            target_step=None,
            inputs=(
                Input("department", "Phòng, ban xử lý", "select", True),
                Input("handler", "Chuyên viên xử lý", "select", help_text="Để trống để lãnh đạo phòng phân công."),
            ),
        ),
        Action(
            "assign_specialist",
            "Phân công chuyên viên",
            frozenset({Status.PROCESSING}),
            None,
            frozenset({DEPT_LEADER, LEADER}),
            steps=frozenset({Step.DEPARTMENT}),
            target_step=Step.SPECIALIST,
            guard=_leads_department,
            effect=_specialist_assigned,
            inputs=(Input("handler", "Chuyên viên xử lý", "select", True),),
        ),
        Action(
            "propose",
            "Trình lãnh đạo duyệt kết quả",
            frozenset({Status.PROCESSING}),
            None,
            frozenset({SPECIALIST}),
            steps=frozenset({Step.SPECIALIST}),
            target_step=Step.APPROVAL,
            note_required=True,
            note_label="Đề xuất kết quả giải quyết",
            guard=_is_handler,
            effect=_to_step(Step.APPROVAL),
        ),
        Action(
            "approve",
            "Duyệt kết quả",
            frozenset({Status.PROCESSING}),
            None,
            frozenset({DEPT_LEADER, LEADER}),
            steps=frozenset({Step.APPROVAL}),
            guard=_signs_now,
            effect=_signed,
        ),
        Action(
            "sign",
            "Ký duyệt kết quả",
            frozenset({Status.PROCESSING}),
            None,
            frozenset({LEADER}),
            steps=frozenset({Step.SIGNING}),
            guard=_signs_now,
            effect=_signed,
        ),
        Action(
            "return_for_rework",
            "Trả lại chuyên viên",
            frozenset({Status.PROCESSING}),
            None,
            frozenset({DEPT_LEADER, LEADER}),
            steps=SIGNING,
            target_step=Step.SPECIALIST,
            note_required=True,
            note_label="Lý do trả lại",
            guard=_signs_now,
            effect=_to_step(Step.SPECIALIST),
        ),
        Action(
            "send_back_to_department",
            "Trả lại phòng",
            frozenset({Status.PROCESSING}),
            None,
            frozenset({SPECIALIST}),
            steps=frozenset({Step.SPECIALIST}),
            target_step=Step.DEPARTMENT,
            note_required=True,
            note_label="Lý do trả lại",
            guard=_is_handler,
            effect=_back_to_department,
        ),
        Action(
            "send_back_to_desk",
            "Trả lại bộ phận một cửa",
            frozenset({Status.PROCESSING}),
            Status.RECEIVED,
            frozenset({DEPT_LEADER, LEADER}),
            steps=frozenset({Step.DEPARTMENT}),
            target_step=Step.DESK,
            note_required=True,
            note_label="Lý do trả lại",
            guard=_leads_department,
            effect=_back_to_desk,
        ),
        Action(
            "transfer",
            "Chuyển liên thông",
            frozenset({Status.PROCESSING}),
            None,
            frozenset({SPECIALIST, DEPT_LEADER, LEADER}),
            steps=frozenset({Step.SPECIALIST}),
            target_step=Step.TRANSFERRED,
            note_required=True,
            note_label="Nội dung đề nghị phối hợp",
            guard=_is_handler_or_leader,
            effect=_transferred,
            inputs=(Input("to_agency", "Cơ quan phối hợp", "select", True),),
        ),
        Action(
            "transfer_return",
            "Trả kết quả liên thông",
            frozenset({Status.PROCESSING}),
            None,
            frozenset(),  # only the officers of the agency holding the transfer
            steps=frozenset({Step.TRANSFERRED}),
            target_step=Step.SPECIALIST,
            note_required=True,
            note_label="Kết quả phối hợp",
            effect=_transfer_returned,
        ),
        Action(
            "request_supplement",
            "Yêu cầu bổ sung",
            frozenset({Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING}),
            Status.SUPPLEMENT_REQUESTED,
            frozenset({ONE_STOP, SPECIALIST, DEPT_LEADER, LEADER}),
            steps=frozenset({Step.SPECIALIST}),
            note_label="Lý do",
            guard=_is_handler_or_desk,
            effect=_supplement_requested,
            form="02",
            inputs=(
                Input(
                    "items", "Giấy tờ, nội dung cần bổ sung", "textarea", True, "Ghi đủ một lần mọi điều cần bổ sung."
                ),
                Input("respond_by", "Hạn bổ sung", "date", True),
            ),
        ),
        Action(
            "supplement_received",
            "Nhận hồ sơ bổ sung (bản giấy)",
            frozenset({Status.SUPPLEMENT_REQUESTED}),
            None,
            frozenset({ONE_STOP}),
            effect=_supplement_answered,
        ),
        Action(
            "request_payment",
            "Yêu cầu nộp phí, lệ phí",
            frozenset({Status.PROCESSING}),
            Status.AWAITING_PAYMENT,
            frozenset({ONE_STOP, SPECIALIST}),
            steps=frozenset({Step.SPECIALIST}),
            guard=_is_handler_or_desk,
        ),
        Action(
            "payment_confirmed",
            "Xác nhận đã nộp phí",
            frozenset({Status.AWAITING_PAYMENT}),
            Status.PROCESSING,
            frozenset({ONE_STOP, SYSTEM_ROLE}),
            effect=_payment_confirmed,
            held_by=_fees_paid_before(
                "payment_confirmed",
                "Hồ sơ còn {amount} đồng phí, lệ phí chưa nộp: hãy ghi nhận khoản thu tại quầy (kèm số biên "
                "lai) hoặc miễn kèm lý do; hồ sơ tự tiếp tục xử lý khi đã nộp đủ.",
            ),
        ),
        Action(
            "record_result",
            "Ghi nhận kết quả",
            frozenset({Status.PROCESSING}),
            Status.RESOLVED,
            frozenset({ONE_STOP, SPECIALIST, DEPT_LEADER, LEADER}),
            steps=frozenset({Step.ISSUING}),
            target_step=Step.DESK,
            guard=_is_handler_or_desk,
            effect=_result_recorded,
            inputs=(
                Input("number", "Số, ký hiệu văn bản", required=True),
                Input("issued_on", "Ngày ban hành", "date", True),
                Input("issuer", "Cơ quan ban hành", help_text="Để trống nếu là cơ quan giải quyết hồ sơ."),
                Input("summary", "Trích yếu", required=True),
                Input("file", "Văn bản kết quả (PDF)", "file", True),
            ),
        ),
        Action(
            "return_result",
            "Trả kết quả",
            frozenset({Status.RESOLVED}),
            Status.RETURNED,
            frozenset({ONE_STOP}),
            effect=_result_handed_over,
            inputs=(
                Input("method", "Hình thức trả", "select", True),
                Input("receiver_name", "Họ tên người nhận", help_text="Bắt buộc khi trả tại quầy hoặc qua bưu điện."),
                Input("receiver_id_number", "Số giấy tờ của người nhận"),
                Input("tracking_number", "Số hiệu bưu gửi", help_text="Khi trả qua bưu chính công ích."),
                Input("postal_fee", "Cước bưu chính (đồng)", "number"),
            ),
            held_by=_fees_paid_before(
                "return_result",
                "Chưa trả kết quả được: hồ sơ còn {amount} đồng phí, lệ phí chưa nộp. Hãy thu tại quầy "
                "(ghi số biên lai), chờ người nộp thanh toán trực tuyến, hoặc ghi nhận miễn kèm lý do.",
            ),
        ),
        Action(
            "apologize",
            "Xin lỗi và hẹn lại ngày trả",
            frozenset({Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT}),
            None,
            frozenset({LEADER}),
            note_required=True,
            note_label="Lý do chậm trả kết quả",
            when=_no_apology_yet,
            when_message="Hồ sơ chưa có ngày hẹn trả hoặc đã có văn bản xin lỗi và hẹn lại; chỉ được hẹn lại một lần.",
            effect=_apologised,
            form="04",
            inputs=(Input("new_due", "Ngày hẹn trả mới", "date", True),),
        ),
        Action(
            "stop",
            "Dừng xử lý",
            ACTIVE - {Status.SUBMITTED},
            Status.STOPPED,
            frozenset({ONE_STOP, LEADER}),
            note_required=True,
            note_label="Lý do dừng xử lý",
            effect=_stopped,
            form="05",
            danger=True,
        ),
        Action(
            "withdraw_on_request",
            "Rút hồ sơ theo yêu cầu của công dân",
            ACTIVE,
            Status.WITHDRAWN,
            frozenset({ONE_STOP}),
            note_required=True,
            note_label="Nội dung đề nghị rút hồ sơ",
            effect=_withdrawn,
            danger=True,
        ),
    ]
}

# The transfer-return action is open to the officers of the transfer agency only.
_TRANSFER_RETURN = "transfer_return"


def _allowed(spec: Action, dossier: Dossier, ctx: ActorContext) -> bool:
    if spec.name == _TRANSFER_RETURN:
        return _serves_transfer_agency(dossier, ctx)
    return spec.allowed_for(dossier, ctx)


def allowed_actions(dossier: Dossier, actor, ctx: ActorContext | None = None) -> list[Action]:
    """The actions ``actor`` may take on ``dossier`` now (to show only those buttons)."""
    ctx = ctx or actor_context(actor, dossier)
    return [a for a in ACTIONS.values() if a.applies_to(dossier) and _allowed(a, dossier, ctx)]


def owner_actions(dossier: Dossier, user) -> list[Action]:
    """The actions the dossier's owner (the citizen) may take now, as ``allowed_actions``
    would say for them, without looking up staff roles: for the citizen's own pages."""
    if dossier.owner_id is None or dossier.owner_id != getattr(user, "pk", None):
        return []
    ctx = ActorContext(user, user.pk, True, frozenset(), frozenset(), frozenset())
    return [a for a in ACTIONS.values() if OWNER in a.roles and a.applies_to(dossier) and _allowed(a, dossier, ctx)]


@transaction.atomic
def dossier_transition(
    *,
    dossier: Dossier,
    action: str,
    actor,
    note: str = "",
    data: dict | None = None,
    now: datetime.datetime | None = None,
) -> StatusChange:
    """Apply ``action`` to ``dossier``: lock, check, change, record, emit after commit.

    ``data`` carries what the action needs (a department, a date, a result file …);
    bad values raise ``ValidationError`` keyed by the field. Two people acting at once:
    the second waits for the lock, then sees the new status or step and gets a
    ``TransitionError`` with a clear message.
    """
    spec = ACTIONS.get(action)
    if spec is None:
        raise TransitionError(f"Thao tác “{action}” không tồn tại.")
    locked = (
        Dossier.objects.select_for_update(of=("self",)).select_related("procedure_version", "agency").get(pk=dossier.pk)
    )
    if not spec.applies_to(locked):
        if spec.when_message and locked.status in spec.sources:
            raise TransitionError(spec.when_message)
        where = locked.step_label
        raise TransitionError(
            f"Không thể “{spec.label.lower()}”: hồ sơ đang ở bước “{where}”. "
            "Có thể người khác vừa xử lý hồ sơ này; hãy tải lại trang."
        )
    ctx = SYSTEM_CONTEXT if actor is SYSTEM else actor_context(actor, locked)
    if not _allowed(spec, locked, ctx):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này với hồ sơ.")
    held = spec.held_reason(locked)
    if held:
        raise TransitionError(held)
    note = (note or "").strip()
    now = now or timezone.now()
    data = {**(data or {}), "note": note}
    # Every refusal at once, each at its field: the note, a value too long (refused, never
    # cut), and what the action's own effect refuses.
    errors = {
        name: f"Tối đa {MAX_NOTE} ký tự; nội dung này có {len(value)} ký tự."
        for name, value in data.items()
        if isinstance(value, str) and len(value) > MAX_NOTE
    }
    errors |= {
        name: "Nội dung có ký tự rỗng (NUL) không hợp lệ; hãy gõ lại phần vừa dán."
        for name, value in data.items()
        if isinstance(value, str) and "\x00" in value
    }
    if spec.note_required and not note:
        errors["note"] = f"Hãy ghi rõ {spec.note_label.lower()}."
    try:
        effect = spec.effect(locked, ctx, data, now) if spec.effect else Effect()
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        errors = {**field_errors(exc), **errors}
    if errors:
        raise ValidationError(errors)
    from_status = locked.status
    fields = dict(effect.fields)
    if spec.target is not None:
        fields.setdefault("status", spec.target)
    if spec.target_step is not None:
        fields.setdefault("step", spec.target_step)
    if fields.get("status", locked.status) not in PAUSED_OR_PROCESSING and "step" not in fields:
        fields["step"] = Step.DESK
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*fields, "updated_at"])
    change = StatusChange.objects.create(
        dossier=locked,
        at=now,
        from_status=from_status,
        to_status=locked.status,
        action=spec.name,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
        step_deadline=locked.step_due_at if locked.status == Status.PROCESSING else locked.due_at,
        to_step=locked.step,
        department=locked.department,
        handler=locked.handler,
        agency=locked.transfer_agency if locked.step == Step.TRANSFERRED else locked.agency,
    )
    for after in effect.after:
        after(locked, change)
    events.emit_status_changed(change, form=spec.form)
    # Keep the caller's object in step with the database.
    for name in fields:
        setattr(dossier, name, getattr(locked, name))
    return change
