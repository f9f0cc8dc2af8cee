"""Recording ratings (đánh giá mức độ hài lòng)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.constants import StaffRole
from dossiers.constants import Status
from dossiers.selectors import actor_context

from .constants import CRITERIA, RatingSource, Satisfaction
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
            return Rating.objects.create(dossier=dossier, **fields)
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
    if StaffRole.ONE_STOP_OFFICER not in actor_context(officer, dossier).roles:
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
