"""Writing, delivering and sweeping notifications (thông báo).

* ``notifications_for_change`` writes the outbox rows of one dossier change, inside the
  change's transaction, and queues their delivery for after the commit.
* ``notification_deliver`` claims one row, renders it and sends it once.
* ``notifications_sweep`` re-queues rows whose message was lost (broker down at commit,
  a worker killed mid-send, a retry whose countdown message vanished).
* ``officer_deadline_alerts`` (daily) tells the handler and the head of the department
  of each dossier that falls due soon or is overdue, once per dossier and kind.
* ``officer_email_digests`` (daily) sends each officer who chose it one e-mail with the
  work e-mails held for it (``State.HELD``).
"""

import datetime
import logging
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from dossiers import deadlines
from dossiers.constants import Channel as DossierChannel
from dossiers.constants import ResultDelivery, Status
from dossiers.models import Apology, Dossier, Handover, Result, StatusChange, SupplementRequest
from dossiers.tracking import tracking_path
from portal.text import thousands

from . import channels, rendering, selectors
from .constants import (
    CITIZEN_EVENTS,
    EVENT_OF_ACTION,
    SIGNING_ACTIONS,
    SUPPLEMENT_ANSWER_ACTIONS,
    Channel,
    Event,
    OfficerEmail,
    State,
)
from .models import ChannelPreference, Notification

logger = logging.getLogger(__name__)


def lease() -> datetime.timedelta:
    """How long a claim holds: longer than a send can take (the task's hard limit is 60 s)."""
    return datetime.timedelta(seconds=int(getattr(settings, "NOTIFICATIONS_LEASE_SECONDS", 120)))


SWEEP_GRACE = datetime.timedelta(minutes=1)  # the normal after-commit queueing comes first
DIGEST_LIMIT = 100  # notifications listed in one officer's digest e-mail; the rest are counted
RUNNING = (Status.RECEIVED, Status.PROCESSING, Status.AWAITING_PAYMENT)


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 6))


def retry_delay(attempt: int) -> int:
    """Seconds before attempt ``attempt + 1``: 30, 60, 120 … capped at 15 minutes (below the
    broker's visibility timeout), with up to 10 % jitter."""
    base = min(900, 30 * 2 ** max(attempt - 1, 0))
    return int(base + random.uniform(0, base / 10))  # noqa: S311  # nosec B311 # retry jitter, not a secret


def _local(value: datetime.datetime | None) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y %H:%M}" if value else ""


def _absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def dossier_data(dossier: Dossier, change: StatusChange | None = None) -> dict:
    """What templates may say about a dossier (and the change), as text of that moment."""
    data = {
        "portal_name": settings.PORTAL_NAME,
        "province_name": settings.PROVINCE_NAME,
        "code": dossier.code,
        "procedure": dossier.procedure_version.name,
        "agency": dossier.agency.name,
        "applicant_name": dossier.applicant_name,
        "due_at": _local(dossier.due_at),
        "step_due_at": _local(dossier.step_due_at),
        "dossier_url": _absolute(reverse("dossiers:detail", kwargs={"public_id": dossier.public_id})),
        "tracking_url": _absolute(tracking_path(dossier.code)),
        "desk_url": _absolute(reverse("desk:dossier", kwargs={"code": dossier.code})),
    }
    if change is not None:
        data["at"] = _local(change.at)
        data["note"] = change.note
    return data


def _event_data(event: str, dossier: Dossier, change: StatusChange) -> dict:
    data = dossier_data(dossier, change)
    if event == Event.SUPPLEMENT_REQUESTED:
        request = SupplementRequest.objects.filter(change=change).first() or (
            SupplementRequest.objects.filter(dossier=dossier).order_by("-pk").first()
        )
        if request:
            data["supplement_items"] = request.items
            data["respond_by"] = f"{request.respond_by:%d/%m/%Y}"
            data["note"] = request.reason or change.note
    elif event == Event.APOLOGY:
        apology = Apology.objects.filter(dossier=dossier).first()
        if apology:
            data["old_due_at"] = _local(apology.old_due_at)
            data["new_due_at"] = _local(apology.new_due_at)
            data["note"] = apology.reason
    elif event == Event.RESULT_READY:
        result = Result.objects.filter(dossier=dossier).first()
        data["result_number"] = result.number if result else ""
        data["result_delivery"] = {
            ResultDelivery.ONLINE: "Ông/bà tải kết quả bản điện tử trên Cổng.",
            ResultDelivery.POST: "Kết quả được gửi qua bưu chính công ích đến địa chỉ ông/bà đã đăng ký.",
        }.get(dossier.result_delivery, "Mời ông/bà đến Bộ phận Một cửa để nhận kết quả.")
    elif event == Event.RESULT_HANDED_OVER:
        handover = Handover.objects.filter(dossier=dossier).first()
        data["handover_method"] = handover.get_method_display().lower() if handover else ""
    return data


@dataclass(frozen=True)
class Recipient:
    user: object | None
    email: str
    phone: str
    channels: tuple[str, ...]
    hold_email: bool = False  # an officer's daily digest carries the e-mail


def _chosen(user, email: str, phone: str) -> Recipient:
    """The in-app list for an account; e-mail and SMS where there is an address and the
    person has not turned the channel off (everything on until they choose)."""
    preference = ChannelPreference.objects.filter(user=user).first() if user else None
    wanted = [Channel.IN_APP] if user else []
    if email and (preference is None or preference.email):
        wanted.append(Channel.EMAIL)
    if phone and (preference is None or preference.sms):
        wanted.append(Channel.SMS)
    return Recipient(user, email, phone, tuple(wanted))


def _citizen(dossier: Dossier) -> Recipient:
    owner = dossier.owner
    email = (owner.email if owner else "") or dossier.applicant_email
    phone = (owner.phone if owner else "") or dossier.applicant_phone
    return _chosen(owner, email, phone)


def _officer(user) -> Recipient:
    """Officers get the in-app list and e-mail (when they have an address and have not
    turned e-mail off), each e-mail at once or held for their daily digest, as they chose."""
    preference = ChannelPreference.objects.filter(user=user).first()
    email = bool(user.email) and (preference is None or preference.email)
    hold = email and preference is not None and preference.officer_email == OfficerEmail.DAILY
    return Recipient(
        user, user.email, user.phone, (Channel.IN_APP, Channel.EMAIL) if email else (Channel.IN_APP,), hold
    )


def _write(
    *,
    event: str,
    recipient: Recipient,
    data: dict,
    key: str,
    dossier: Dossier | None = None,
    change: StatusChange | None = None,
) -> list[Notification]:
    """One row per wanted channel, each with its own dedupe key; a row that exists already
    (the same event delivered twice) is left alone. An officer's e-mail held for the daily
    digest is written ``held`` and not delivered on its own."""
    now = timezone.now()
    written = []
    for channel in recipient.channels:
        address = {Channel.EMAIL: recipient.email, Channel.SMS: recipient.phone}.get(channel, "")
        who = f"u{recipient.user.pk}" if recipient.user else f"a{address}"
        dedupe_key = f"{key}:{who}:{channel}"[:200]
        held = channel == Channel.EMAIL and recipient.hold_email
        try:
            with transaction.atomic():
                written.append(
                    Notification.objects.create(
                        event=event,
                        channel=channel,
                        recipient=recipient.user,
                        to_address=address,
                        dossier=dossier,
                        change=change,
                        dedupe_key=dedupe_key,
                        context=data,
                        state=State.HELD if held else State.PENDING,
                        next_attempt_at=None if held else now,
                    )
                )
        except IntegrityError:
            continue
    return written


def _queue_after_commit(notifications: list[Notification]) -> None:
    if not notifications:
        return
    from portal.queueing import enqueue

    from .tasks import deliver

    ids = [n.pk for n in notifications if n.state == State.PENDING]
    if not ids:
        return
    transaction.on_commit(lambda: [enqueue(deliver, pk) for pk in ids])


def notifications_for_change(change: StatusChange) -> list[Notification]:
    """The outbox rows of one dossier change (history row), written in its transaction:
    the citizen's for the action's event, and the officers' (``_officer_events``)."""
    dossier = change.dossier
    written: list[Notification] = []
    event = EVENT_OF_ACTION.get(change.action)
    if event in CITIZEN_EVENTS:
        written += _write(
            event=event,
            recipient=_citizen(dossier),
            data=_event_data(event, dossier, change),
            key=f"{event}:c{change.pk}",
            dossier=dossier,
            change=change,
        )
    for event, user, extra in _officer_events(change):
        written += _write(
            event=event,
            recipient=_officer(user),
            data=dossier_data(dossier, change) | extra,
            key=f"{event}:c{change.pk}",
            dossier=dossier,
            change=change,
        )
    _queue_after_commit(written)
    return written


def _officer_events(change: StatusChange) -> list[tuple[str, object, dict]]:
    """(event, officer, extra data) of one change, never to the officer who made it:

    * "assigned to me": the officer who became the handler through someone else's action;
    * a new online dossier (hồ sơ trực tuyến mới): the agency's one-stop officers;
    * a proposal waiting for approval or signature: the officers the state machine lets
      take a signing action now (``selectors.approvers``), when the change brought the
      dossier to that point (a new status or step, or a signing action that leaves the
      next signature open);
    * a supplement answered by the citizen (online, or on paper at the desk): the handler,
      or the one-stop officers while the dossier has none."""
    dossier = change.dossier
    previous = (
        StatusChange.objects.filter(dossier_id=dossier.pk, pk__lt=change.pk)
        .order_by("-pk")
        .values("handler_id", "to_status", "to_step")
        .first()
    )
    found: list[tuple[str, object, dict]] = []
    if change.handler_id and (previous is None or previous["handler_id"] != change.handler_id):
        found.append((Event.ASSIGNED, change.handler, {}))
    if change.action == "submit" and dossier.channel == DossierChannel.ONLINE:
        found += [(Event.NEW_DOSSIER, user, {}) for user in selectors.one_stop_officers(dossier.agency_id)]
    # Who may sign is asked of the dossier as it stands: only while this change is its last.
    latest = not StatusChange.objects.filter(dossier_id=dossier.pk, pk__gt=change.pk).exists()
    if latest and selectors.signing_actions_open(dossier):
        moved = previous is None or (previous["to_status"], previous["to_step"]) != (change.to_status, change.to_step)
        if moved or change.action in SIGNING_ACTIONS:
            found += [
                (Event.AWAITING_APPROVAL, user, {"action_label": label}) for user, label in selectors.approvers(dossier)
            ]
    if change.action in SUPPLEMENT_ANSWER_ACTIONS:
        users = [change.handler] if change.handler_id else selectors.one_stop_officers(dossier.agency_id)
        found += [(Event.SUPPLEMENT_ANSWERED, user, {}) for user in users]
    return [(event, user, extra) for event, user, extra in found if user.pk != change.actor_id and user.is_active]


def notifications_for_payment(attempt) -> list[Notification]:
    """The citizen is told that a payment was recorded (when no dossier transition does)."""
    dossier = attempt.dossier
    data = dossier_data(dossier) | {
        "at": _local(attempt.succeeded_at),
        "note": f"Số tiền: {thousands(attempt.amount)} đồng",
    }
    written = _write(
        event=Event.PAYMENT_CONFIRMED,
        recipient=_citizen(dossier),
        data=data,
        key=f"{Event.PAYMENT_CONFIRMED}:p{attempt.pk}",
        dossier=dossier,
    )
    _queue_after_commit(written)
    return written


def notifications_for_draft_expiry(
    dossier: Dossier, *, delete_after: datetime.datetime, retention_days: int
) -> list[Notification]:
    """The owner of an abandoned draft is told it will be deleted from ``delete_after``
    unless opened (a paper dossier being entered at the counter: the officer entering it).
    Once per draft as it stood (the dedupe key holds its last change). Not linked to the
    dossier, so that the message outlives the draft it announces the deletion of."""
    if dossier.counter_officer_id:
        recipient = _officer(dossier.counter_officer)
        url = _absolute(reverse("desk:intake_edit", kwargs={"public_id": dossier.public_id}))
    else:
        recipient = _citizen(dossier)
        url = _absolute(reverse("dossiers:edit", kwargs={"public_id": dossier.public_id}))
    data = {
        "portal_name": settings.PORTAL_NAME,
        "province_name": settings.PROVINCE_NAME,
        "procedure": dossier.procedure_version.name,
        "agency": dossier.agency.name,
        "applicant_name": dossier.applicant_name or (dossier.owner.full_name if dossier.owner else ""),
        "updated_on": f"{timezone.localtime(dossier.updated_at):%d/%m/%Y}",
        "delete_on": f"{timezone.localtime(delete_after):%d/%m/%Y}",
        "retention_days": retention_days,
        "dossier_url": url,
        "tracking_url": url,
    }
    written = _write(
        event=Event.DRAFT_EXPIRING,
        recipient=recipient,
        data=data,
        key=f"{Event.DRAFT_EXPIRING}:d{dossier.pk}:{dossier.updated_at.timestamp():.0f}",
    )
    _queue_after_commit(written)
    return written


def notifications_for_feedback(feedback) -> list[Notification]:
    """A signed sender is told that the answer to their feedback was published."""
    if feedback.sender is None:
        return []
    user = feedback.sender
    url = _absolute(reverse("feedback:public_detail", kwargs={"public_id": feedback.public_id}))
    data = {
        "portal_name": settings.PORTAL_NAME,
        "province_name": settings.PROVINCE_NAME,
        "applicant_name": feedback.sender_name,
        "agency": feedback.agency.name,
        "dossier_url": url,
        "tracking_url": url,
    }
    written = _write(
        event=Event.FEEDBACK_ANSWERED,
        recipient=_chosen(user, user.email, user.phone),
        data=data,
        key=f"{Event.FEEDBACK_ANSWERED}:f{feedback.pk}",
    )
    _queue_after_commit(written)
    return written


# --- Delivery ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    state: str  # "sent", "failed", "retrying", "skipped"
    retry_in: int | None = None


def notification_deliver(*, notification_id: int, now: datetime.datetime | None = None) -> Outcome:
    """Deliver one notification at most once.

    The row is claimed first (one UPDATE from pending/retrying, or from sending whose
    lease has run out because the worker died): a second task for the same row finds
    nothing to claim and does nothing. Then it is rendered and sent; the outcome is
    written only while the claim is still ours."""
    now = now or timezone.now()
    claimable = Q(state__in=[State.PENDING, State.RETRYING], next_attempt_at__lte=now) | Q(
        state=State.SENDING, lease_until__lt=now
    )
    claimed = Notification.objects.filter(claimable, pk=notification_id).update(
        state=State.SENDING, attempts=F("attempts") + 1, lease_until=now + lease()
    )
    if not claimed:
        return Outcome("skipped")
    n = Notification.objects.get(pk=notification_id)
    mine = Notification.objects.filter(pk=n.pk, state=State.SENDING, attempts=n.attempts)
    try:
        rendered = rendering.render(n.event, n.channel, n.context)
    except Exception as exc:  # noqa: BLE001 - even the default failed: a bug, not worth retrying
        mine.update(state=State.FAILED, lease_until=None, last_error=f"Không tạo được nội dung: {exc}"[:2000])
        logger.error("notification %s: rendering failed: %s", n.pk, exc)
        return Outcome("failed")
    n.subject, n.body = rendered.subject, rendered.body
    try:
        reference = channels.send(n)
    except channels.RejectedError as exc:
        mine.update(state=State.FAILED, lease_until=None, subject=n.subject, body=n.body, last_error=str(exc)[:2000])
        logger.warning("notification %s rejected: %s", n.pk, exc)
        return Outcome("failed")
    except Exception as exc:  # noqa: BLE001 - RetryableError and anything unexpected from a provider
        if n.attempts >= max_attempts():
            mine.update(
                state=State.FAILED,
                lease_until=None,
                last_error=f"Đã thử {n.attempts} lần: {exc}"[:2000],
            )
            logger.error("notification %s failed after %s attempts: %s", n.pk, n.attempts, exc)
            return Outcome("failed")
        delay = retry_delay(n.attempts)
        mine.update(
            state=State.RETRYING,
            lease_until=None,
            next_attempt_at=timezone.now() + datetime.timedelta(seconds=delay),
            last_error=str(exc)[:2000],
        )
        logger.warning("RETRY notification %s (attempt %s) in %s s: %s", n.pk, n.attempts, delay, exc)
        return Outcome("retrying", retry_in=delay)
    mine.update(
        state=State.SENT,
        lease_until=None,
        sent_at=timezone.now(),
        subject=n.subject,
        body=n.body,
        provider_reference=(reference or "")[:200],
        last_error=rendered.warning[:2000],
    )
    return Outcome("sent")


def notifications_sweep(*, now: datetime.datetime | None = None, limit: int = 1000) -> int:
    """Queue every notification whose delivery should have happened by now and did not:
    pending or retrying past their time (plus a grace minute), or claimed by a worker
    whose lease ran out. Stops at the first broker error. Returns how many were queued."""
    from portal.queueing import enqueue

    from .tasks import deliver

    now = now or timezone.now()
    due = Q(state__in=[State.PENDING, State.RETRYING], next_attempt_at__lt=now - SWEEP_GRACE) | Q(
        state=State.SENDING, lease_until__lt=now
    )
    queued = 0
    for pk in Notification.objects.filter(due).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]:
        if not enqueue(deliver, pk):
            break
        queued += 1
    return queued


def notification_retry(*, notification: Notification) -> bool:
    """An admin sends a failed notification again (attempts start over)."""
    updated = Notification.objects.filter(pk=notification.pk, state=State.FAILED).update(
        state=State.RETRYING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    if updated:
        from portal.queueing import enqueue_on_commit

        from .tasks import deliver

        enqueue_on_commit(deliver, notification.pk)
    return bool(updated)


# --- The in-app list ---------------------------------------------------------------------------


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the user's in-app notifications read (those ``ids``, or all)."""
    qs = Notification.objects.filter(recipient=user, channel=Channel.IN_APP, state=State.SENT, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def preference_save(*, user, email: bool, sms: bool, officer_email: str | None = None) -> ChannelPreference:
    """Save a person's channel choices; a channel needs an address on the account. An
    officer also chooses how work e-mail comes (``OfficerEmail``): each at once, or one
    digest a day, which needs e-mail on; others keep the default."""
    from django.core.exceptions import ValidationError

    from accounts.access import is_officer

    errors = {}
    if email and not user.email:
        errors["email"] = "Tài khoản chưa có địa chỉ thư điện tử; hãy thêm địa chỉ ở trang Tài khoản trước."
    if sms and not user.phone:
        errors["sms"] = "Tài khoản chưa có số điện thoại; hãy thêm số điện thoại ở trang Tài khoản trước."
    defaults = {"email": email, "sms": sms}
    if officer_email is not None and is_officer(user):
        if officer_email not in OfficerEmail.values:
            errors["officer_email"] = "Hãy chọn nhận mỗi việc một thư hoặc một thư tổng hợp mỗi ngày."
        elif officer_email == OfficerEmail.DAILY and not email:
            errors["officer_email"] = "Thư tổng hợp được gửi qua thư điện tử: hãy chọn cả “Thư điện tử” ở trên."
        defaults["officer_email"] = officer_email
    if errors:
        raise ValidationError(errors)
    preference, _ = ChannelPreference.objects.update_or_create(user=user, defaults=defaults)
    return preference


# --- Citizens' reminders --------------------------------------------------------------------


def citizen_reminders(*, now: datetime.datetime | None = None) -> int:
    """Each citizen whose dossier waits for a supplement due tomorrow or today (and not yet
    answered) is reminded once per request. Returns the notifications written."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    requests = (
        SupplementRequest.objects.filter(
            answered_at__isnull=True,
            dossier__status=Status.SUPPLEMENT_REQUESTED,
            respond_by__gte=today,
            respond_by__lte=today + datetime.timedelta(days=1),
        )
        .select_related("dossier__procedure_version", "dossier__agency", "dossier__owner")
        .order_by("pk")
    )
    written: list[Notification] = []
    with transaction.atomic():
        for request in requests:
            dossier = request.dossier
            data = dossier_data(dossier) | {
                "supplement_items": request.items,
                "respond_by": f"{request.respond_by:%d/%m/%Y}",
            }
            written += _write(
                event=Event.SUPPLEMENT_DUE,
                recipient=_citizen(dossier),
                data=data,
                key=f"{Event.SUPPLEMENT_DUE}:s{request.pk}",
                dossier=dossier,
            )
        _queue_after_commit(written)
    return len(written)


# --- Officers' deadlines and daily digests ----------------------------------------------------


def officer_deadline_alerts(*, now: datetime.datetime | None = None) -> int:
    """On a working day: each running dossier due by the end of the next working day
    ("sắp đến hạn") or already past its due date ("quá hạn") is told to its handler and
    the head of its department (the agency's one-stop officers while it has neither),
    once per dossier, kind and appointment (an apology's new date counts again). Working
    days by the deadline calculator (``dossiers.deadlines``). Returns the rows written."""
    now = now or timezone.now()
    calendar = deadlines.WorkCalendar.load()
    today = timezone.localtime(now).date()
    if not calendar.is_working_day(today):
        return 0
    horizon = deadlines.due_soon_until(now, calendar)
    dossiers = list(
        Dossier.objects.filter(status__in=RUNNING, due_at__isnull=False, due_at__lte=horizon)
        .select_related("procedure_version", "agency", "handler")
        .order_by("due_at", "pk")
    )
    kinds = {d.pk: Event.OVERDUE if d.due_at < now else Event.DUE_SOON for d in dossiers}
    keys = {d.pk: f"{kinds[d.pk]}:d{d.pk}:{d.due_at.timestamp():.0f}" for d in dossiers}
    # Who has been told already: "<key>:u<user>" of the rows written (one look-up, not one
    # failed insert per dossier and day).
    told = {
        key.rsplit(":", 1)[0]
        for key in Notification.objects.filter(
            dossier_id__in=list(keys), event__in=[Event.DUE_SOON, Event.OVERDUE]
        ).values_list("dedupe_key", flat=True)
    }
    written: list[Notification] = []
    with transaction.atomic():
        for d in dossiers:
            users = [d.handler] if d.handler_id and d.handler.is_active else []
            users += [u for u in selectors.department_leaders(d.agency_id, d.department) if u not in users]
            if not users:
                users = selectors.one_stop_officers(d.agency_id)
            users = [u for u in users if f"{keys[d.pk]}:u{u.pk}" not in told]
            if not users:
                continue
            data = dossier_data(d) | {"handler": d.handler.full_name if d.handler_id else ""}
            for user in users:
                written += _write(event=kinds[d.pk], recipient=_officer(user), data=data, key=keys[d.pk], dossier=d)
        _queue_after_commit(written)
    return len(written)


def officer_email_digests(*, now: datetime.datetime | None = None) -> int:
    """On a working day: each officer with e-mails held for the digest gets one e-mail
    listing them (oldest first), and they are marked as carried by it, in one transaction
    per officer, so that nothing is listed twice; an officer with none gets nothing. Days
    off are skipped: the next working day's digest carries their events. Returns the
    digests written."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if not deadlines.is_working_day(today):
        return 0
    held = Notification.objects.filter(state=State.HELD, channel=Channel.EMAIL)
    recipients = sorted(set(held.exclude(recipient=None).values_list("recipient_id", flat=True)))
    base = {
        "portal_name": settings.PORTAL_NAME,
        "province_name": settings.PROVINCE_NAME,
        "day": f"{today:%d/%m/%Y}",
        "inbox_url": _absolute(reverse("notifications:inbox")),
        "preferences_url": _absolute(reverse("notifications:preferences")),
    }
    digests: list[Notification] = []
    for user_id in recipients:
        with transaction.atomic():
            rows = list(
                held.select_for_update(skip_locked=True).filter(recipient_id=user_id).order_by("created_at", "pk")
            )
            if not rows:
                continue
            items = []
            for n in rows[:DIGEST_LIMIT]:
                shown = rendering.render(n.event, Channel.IN_APP, n.context)
                items.append(
                    {
                        "at": _local(n.created_at),
                        "subject": shown.subject,
                        "text": shown.body,
                        "url": n.context.get("desk_url", ""),
                    }
                )
            user = rows[0].recipient
            data = base | {"count": len(rows), "more": max(0, len(rows) - DIGEST_LIMIT), "items": items}
            try:
                with transaction.atomic():
                    digest = Notification.objects.create(
                        event=Event.OFFICER_DIGEST,
                        channel=Channel.EMAIL,
                        recipient=user,
                        to_address=user.email or rows[-1].to_address,
                        dedupe_key=f"{Event.OFFICER_DIGEST}:u{user_id}:n{rows[0].pk}",
                        context=data,
                        next_attempt_at=timezone.now(),
                    )
            except IntegrityError:  # another run carries these
                continue
            Notification.objects.filter(pk__in=[n.pk for n in rows], state=State.HELD).update(
                state=State.BUNDLED, digest=digest, next_attempt_at=None
            )
            _queue_after_commit([digest])
            digests.append(digest)
    return len(digests)
