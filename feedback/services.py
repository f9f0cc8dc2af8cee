"""Recording ratings (đánh giá mức độ hài lòng)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.access import is_one_stop_officer
from dossiers.constants import Status

from .constants import CRITERIA, FeedbackState, RatingSource, Satisfaction
from .events import feedback_received, rating_recorded
from .models import Rating

COMMENT_MAX = 2000


def _clean(values: dict) -> tuple[str, dict, str]:
    errors: dict[str, str] = {}
    overall = str(values.get("overall") or "")
    if overall not in Satisfaction.values:
        errors["overall"] = "Hãy chọn một mức đánh giá chung."
    criteria = {}
    for key in CRITERIA:
        answer = str(values.get(key) or "")
        if answer not in Satisfaction.values:
            errors[key] = "Hãy chọn một mức cho tiêu chí này."
        criteria[key] = answer
    comment = str(values.get("comment") or "").strip()
    if len(comment) > COMMENT_MAX:
        errors["comment"] = f"Tối đa {COMMENT_MAX} ký tự."
    elif overall == Satisfaction.DISSATISFIED and not comment:
        errors["comment"] = "Hãy cho biết điều bạn chưa hài lòng để cơ quan khắc phục."
    if errors:
        raise ValidationError(errors)
    return overall, criteria, comment


def _save(dossier, **fields) -> Rating:
    try:
        with transaction.atomic():
            rating = Rating.objects.create(dossier=dossier, **fields)
            rating_recorded.send(sender=Rating, rating=rating)
            return rating
    except IntegrityError as exc:
        raise ValidationError({"__all__": "Hồ sơ này đã được đánh giá."}) from exc


def rating_submit(*, dossier, user, values: dict) -> Rating:
    """The owner rates a dossier whose result was handed over (status 10)."""
    if dossier.owner_id is None or dossier.owner_id != getattr(user, "pk", None):
        raise PermissionDenied("Chỉ người nộp hồ sơ đánh giá trực tuyến.")
    if dossier.status != Status.RETURNED:
        raise ValidationError({"__all__": "Hồ sơ chỉ được đánh giá sau khi đã trả kết quả."})
    if Rating.objects.filter(dossier=dossier).exists():
        raise ValidationError({"__all__": "Hồ sơ này đã được đánh giá."})
    overall, criteria, comment = _clean(values)
    return _save(
        dossier, source=RatingSource.ONLINE, overall=overall, criteria=criteria, comment=comment, rated_by=user
    )


def rating_record_paper(*, dossier, officer, values: dict) -> Rating:
    """A one-stop officer records the applicant's paper slip for a handed-over dossier."""
    if not is_one_stop_officer(officer, dossier.agency_id):
        raise PermissionDenied("Chỉ cán bộ một cửa của cơ quan ghi nhận phiếu đánh giá.")
    if dossier.status != Status.RETURNED:
        raise ValidationError({"__all__": "Hồ sơ chỉ được đánh giá sau khi đã trả kết quả."})
    if Rating.objects.filter(dossier=dossier).exists():
        raise ValidationError({"__all__": "Hồ sơ này đã được đánh giá."})
    overall, criteria, comment = _clean(values)
    return _save(
        dossier,
        source=RatingSource.PAPER,
        overall=overall,
        criteria=criteria,
        comment=comment,
        rated_by=dossier.owner,
        recorded_by=officer,
    )


# --- Phản ánh, kiến nghị -----------------------------------------------------------------------

TITLE_MAX = 200
CONTENT_MAX = 5000


def feedback_send(*, values: dict, user=None, agency=None, dossier=None, procedure=None):
    """A citizen sends feedback (signed, or anonymous) to ``agency``; deadlines are counted
    in working days from now. Bad values raise ``ValidationError`` by field."""
    from django.utils import timezone

    from dossiers import deadlines
    from procedures.constants import TimeUnit

    from .constants import ACCEPT_DAYS, ANSWER_DAYS, FeedbackKind
    from .models import Feedback

    errors: dict[str, str] = {}
    kind = str(values.get("kind") or "")
    if kind not in FeedbackKind.values:
        errors["kind"] = "Hãy chọn phản ánh hay kiến nghị."
    title = " ".join(str(values.get("title") or "").split())
    if not title:
        errors["title"] = "Hãy nhập tiêu đề."
    elif len(title) > TITLE_MAX:
        errors["title"] = f"Tối đa {TITLE_MAX} ký tự."
    content = str(values.get("content") or "").strip()
    if len(content) < 10:
        errors["content"] = "Hãy mô tả nội dung phản ánh, kiến nghị (ít nhất 10 ký tự)."
    elif len(content) > CONTENT_MAX:
        errors["content"] = f"Tối đa {CONTENT_MAX} ký tự."
    anonymous = str(values.get("anonymous") or "") in ("on", "true", "1")
    name = " ".join(str(values.get("sender_name") or "").split())[:200]
    contact = str(values.get("sender_contact") or "").strip()[:200]
    if not anonymous and user is None and not (name and contact):
        errors["sender_name"] = "Hãy ghi họ tên và điện thoại hoặc thư điện tử, hoặc chọn gửi ẩn danh."
    if agency is None:
        errors["agency"] = "Hãy chọn cơ quan nhận phản ánh, kiến nghị."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    if user is not None and not anonymous:
        name = name or getattr(user, "full_name", "") or user.get_username()
        contact = contact or getattr(user, "phone", "") or getattr(user, "email", "")
    with transaction.atomic():
        feedback = Feedback.objects.create(
            kind=kind,
            title=title,
            content=content,
            agency=agency,
            dossier=dossier,
            procedure=procedure,
            sender=None if anonymous else user,
            anonymous=anonymous,
            sender_name="" if anonymous else name,
            sender_contact="" if anonymous else contact,
            accept_due=deadlines.due_at(received_at=now, amount=ACCEPT_DAYS, unit=TimeUnit.WORKING_DAYS),
            answer_due=deadlines.due_at(received_at=now, amount=ANSWER_DAYS, unit=TimeUnit.WORKING_DAYS),
        )
        feedback_received.send(sender=Feedback, feedback=feedback)
    return feedback


def _officer_of(feedback, officer) -> None:
    from accounts.models import StaffAssignment

    if not StaffAssignment.objects.filter(user=officer, agency=feedback.agency, active=True).exists():
        raise PermissionDenied("Phản ánh, kiến nghị này không thuộc cơ quan bạn phục vụ.")


def handlers(agency_id: int) -> list:
    """Officers who may be assigned feedback of the agency (cán bộ xử lý): its active staff."""
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(assignments__agency_id=agency_id, assignments__active=True, is_active=True)
        .distinct()
        .order_by("full_name", "username")
    )


def _handler(feedback, assignee_id, errors: dict[str, str]):
    """The officer chosen as handler, if they serve the feedback's agency."""
    text = str(assignee_id or "").strip()
    if not text:
        errors["assignee"] = "Hãy chọn cán bộ xử lý."
        return None
    found = next((u for u in handlers(feedback.agency_id) if str(u.pk) == text), None)
    if found is None:
        errors["assignee"] = "Cán bộ này không phục vụ cơ quan nhận phản ánh, kiến nghị."
    return found


def officers_complained_of(feedback, category: str) -> set[int]:
    """The officers a complaint about officers' conduct is about: those who handled or acted
    on the dossier it names. They may neither handle it nor answer or publish the answer;
    another officer of the agency does (a complaint about an officer could be answered and
    published by that officer). Empty for other feedback, and without a dossier."""
    from dossiers.models import Dossier, StatusChange

    from .constants import FeedbackCategory

    if category != FeedbackCategory.CONDUCT or not feedback.dossier_id:
        return set()
    acted = set(StatusChange.objects.filter(dossier_id=feedback.dossier_id).values_list("actor_id", flat=True))
    handler, owner = Dossier.objects.filter(pk=feedback.dossier_id).values_list("handler_id", "owner_id").get()
    return (acted | {handler}) - {None, owner}


def _not_about_themselves(locked, officer, action: str, category: str, assignee) -> None:
    """A complaint about officers is neither handled, nor answered or published, by one of
    the officers it is about (as the row stands, locked, with what this action changes)."""
    complained_of = officers_complained_of(locked, category if action in ("accept", "classify") else locked.category)
    if action in ("answer", "publish") and officer.pk in complained_of:
        raise PermissionDenied("Phản ánh về hành vi của bạn do cán bộ khác của cơ quan trả lời và công khai.")
    handler = assignee if action in ("accept", "assign") else locked.assignee
    if handler is not None and handler.pk in complained_of:
        raise ValidationError(
            {"assignee": "Cán bộ bị phản ánh không được giao xử lý phản ánh về mình; hãy chọn cán bộ khác."}
        )


# action → (states it may start from, state it leads to; None = unchanged)
MOVES = {
    "accept": ({FeedbackState.RECEIVED}, FeedbackState.PROCESSING),
    "refuse": ({FeedbackState.RECEIVED}, FeedbackState.REFUSED),
    "assign": ({FeedbackState.PROCESSING}, None),
    "classify": ({FeedbackState.PROCESSING, FeedbackState.ANSWERED}, None),
    "answer": ({FeedbackState.PROCESSING}, FeedbackState.ANSWERED),
    "publish": ({FeedbackState.ANSWERED}, FeedbackState.PUBLISHED),
}


def feedback_act(*, feedback, officer, action: str, text: str = "", category: str = "", assignee_id=None):
    """An officer of the feedback's agency acts (ND 20/2008 Art. 9, the 766 deadlines):

    - ``accept`` (tiếp nhận): classified as rules/procedures or officers' conduct (766 5.1)
      and given to a handler (``assignee_id``, by default the officer accepting it);
    - ``refuse`` (không tiếp nhận) with a reason; ``assign`` to another handler;
      ``classify`` again; ``answer`` with the answer; ``publish`` the answer.

    One row lock; a move the state does not allow is refused; bad values raise
    ``ValidationError`` by field (``text``, ``category``, ``assignee``)."""
    from django.utils import timezone

    from dossiers import deadlines
    from procedures.constants import TimeUnit

    from .constants import PUBLISH_DAYS, FeedbackCategory
    from .models import Feedback

    _officer_of(feedback, officer)
    text = (text or "").strip()
    if action not in MOVES:
        raise ValidationError({"__all__": "Thao tác không tồn tại."})
    errors: dict[str, str] = {}
    if action in ("accept", "classify") and category not in FeedbackCategory.values:
        errors["category"] = "Hãy phân loại: quy định, chính sách, thủ tục hay hành vi của cán bộ, công chức."
    assignee = None
    if action == "accept":
        assignee = _handler(feedback, assignee_id or officer.pk, errors)
    elif action == "assign":
        assignee = _handler(feedback, assignee_id, errors)
    if action == "refuse" and not text:
        errors["text"] = "Hãy ghi rõ lý do không tiếp nhận."
    if action == "answer" and len(text) < 10:
        errors["text"] = "Hãy nhập nội dung trả lời (ít nhất 10 ký tự)."
    if len(text) > CONTENT_MAX:
        errors["text"] = f"Tối đa {CONTENT_MAX} ký tự."
    if errors:
        raise ValidationError(errors)
    sources, target = MOVES[action]
    with transaction.atomic():
        locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
        if locked.state not in sources:
            raise ValidationError(
                {"__all__": f"Không thực hiện được: phản ánh đang ở trạng thái “{locked.get_state_display()}”."}
            )
        _not_about_themselves(locked, officer, action, category, assignee)
        now = timezone.now()
        if target:
            locked.state = target
        locked.handled_by = officer
        if action == "accept":
            locked.accepted_at, locked.category, locked.assignee = now, category, assignee
        elif action == "refuse":
            locked.refusal_reason, locked.refused_at = text, now
        elif action == "assign":
            locked.assignee = assignee
        elif action == "classify":
            locked.category = category
        elif action == "answer":
            locked.answer = text
            locked.answered_at = now
            locked.publish_due = deadlines.due_at(received_at=now, amount=PUBLISH_DAYS, unit=TimeUnit.WORKING_DAYS)
        elif action == "publish":
            locked.published_at = now
        locked.save()
        if action == "publish":
            from .events import feedback_answered

            feedback_answered.send(sender=Feedback, feedback=locked)
    return locked


def voter_key(user=None, token: str = "") -> str:  # nosec B107 # an empty token means no browser token, it is not a password
    """Who votes: a signed-in user by account, anyone else by the hash of their browser's
    random token (the token itself is never stored)."""
    import hashlib

    if user is not None and getattr(user, "is_authenticated", False):
        return f"u:{user.pk}"
    if not token:
        return ""
    return "c:" + hashlib.sha256(token.encode()).hexdigest()


def feedback_vote(*, feedback, voter: str, value) -> tuple[int, int]:
    """A visitor likes or dislikes a published answer (766 5.3). One vote per voter; voting
    again replaces it. Returns the new (likes, dislikes)."""
    from django.db.models import F

    from .constants import Vote
    from .models import Feedback, FeedbackVote

    try:
        vote = Vote(int(str(value)))
    except (TypeError, ValueError):
        raise ValidationError({"value": "Hãy chọn hài lòng hoặc chưa hài lòng với câu trả lời."}) from None
    if not voter:
        raise ValidationError({"value": "Trình duyệt của bạn cần cho phép cookie để gửi ý kiến."})
    with transaction.atomic():
        locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
        if locked.state != FeedbackState.PUBLISHED:
            raise ValidationError({"value": "Chỉ gửi ý kiến về câu trả lời đã công khai."})
        previous = FeedbackVote.objects.filter(feedback=locked, voter=voter).first()
        if previous is not None and previous.value == vote:
            return locked.likes, locked.dislikes
        delta = {"likes": 0, "dislikes": 0}
        delta["likes" if vote == Vote.LIKE else "dislikes"] += 1
        if previous is not None:
            delta["likes" if previous.value == Vote.LIKE else "dislikes"] -= 1
            previous.value = vote
            previous.save(update_fields=["value", "created_at"])
        else:
            FeedbackVote.objects.create(feedback=locked, voter=voter, value=vote)
        Feedback.objects.filter(pk=locked.pk).update(
            likes=F("likes") + delta["likes"], dislikes=F("dislikes") + delta["dislikes"]
        )
        locked.refresh_from_db(fields=["likes", "dislikes"])
    return locked.likes, locked.dislikes
