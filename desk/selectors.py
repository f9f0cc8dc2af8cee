"""Queries of the officers' side: who serves where, the queues, the officer's dossier page.

Every query starts from ``OfficerScope`` (``accounts.access``, the one home of roles and
scopes): the agencies an officer serves (active staff assignments), so an officer never sees
another agency's dossiers — except one transferred to their agency (liên thông), while it is
there.
"""

import datetime
import functools
import hashlib
import operator
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import BigIntegerField, Exists, Func, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import Truncator

from accounts.access import OfficerScope
from accounts.access import officer_scope as officer_scope  # the desk's pages and API ask it here
from accounts.constants import StaffRole
from dossiers import deadlines
from dossiers.constants import Status, Step
from dossiers.models import DocumentPage, Dossier, DossierDocument, StatusChange
from payments.models import FeeExemption
from portal.db import icontains
from procedures.models import Agency, ProcedureVersion

ONE_STOP = StaffRole.ONE_STOP_OFFICER
SPECIALIST = StaffRole.SPECIALIST
DEPT_LEADER = StaffRole.DEPARTMENT_LEADER
LEADER = StaffRole.AGENCY_LEADER
ADMIN = StaffRole.AGENCY_ADMIN
RUNNING = (Status.RECEIVED, Status.PROCESSING, Status.AWAITING_PAYMENT)  # the clock runs
PER_PAGE = 25


def _department_q(pairs: list[tuple[int, str]]) -> Q:
    q = Q(pk__in=[])
    for agency_id, department in pairs:
        q |= Q(agency_id=agency_id, department=department)
    return q


@dataclass(frozen=True)
class Queue:
    """A work list (hàng đợi) of the officers' pages."""

    key: str
    label: str
    hint: str
    counted: bool = True


QUEUES = [
    Queue("cho-tiep-nhan", "Chờ tiếp nhận", "Hồ sơ đã nộp trực tuyến, chờ kiểm tra và tiếp nhận"),
    Queue("moi-tiep-nhan", "Mới tiếp nhận", "Đã tiếp nhận, chờ chuyển phòng xử lý"),
    Queue("cua-toi", "Tôi đang xử lý", "Hồ sơ được giao cho tôi"),
    Queue("cua-phong", "Phòng tôi đang xử lý", "Hồ sơ của phòng, kể cả chờ phân công"),
    Queue("cho-duyet", "Chờ tôi duyệt", "Chuyên viên đã trình kết quả"),
    Queue("cho-ban-hanh", "Chờ ban hành kết quả", "Lãnh đạo đã duyệt, chờ ghi nhận văn bản kết quả"),
    Queue("cho-bo-sung", "Chờ công dân bổ sung", "Đã yêu cầu bổ sung, đồng hồ tạm dừng"),
    Queue("sap-den-han", "Sắp đến hạn", "Đến hạn trả trước hết giờ làm việc của ngày làm việc kế tiếp"),
    Queue("qua-han", "Quá hạn", "Đã quá ngày hẹn trả mà chưa có kết quả"),
    Queue("tra-ket-qua", "Chờ trả kết quả", "Đã có kết quả, chờ trả cho công dân"),
    Queue("lien-thong", "Liên thông đến", "Hồ sơ cơ quan khác chuyển đến để phối hợp"),
    Queue("tat-ca", "Tất cả hồ sơ", "Tìm trong mọi hồ sơ của cơ quan", counted=False),
]
QUEUE_BY_KEY = {q.key: q for q in QUEUES}


def _awaiting_my_signature(scope: OfficerScope) -> Q:
    """Dossiers at a signing step where this officer signs, by each procedure's approval
    chain (``dossiers.workflow.SIGNING_STEPS``, the table the state machine's guards read)."""
    from dossiers.workflow import SIGNING_STEPS

    leads = {
        LEADER: Q(agency_id__in=scope.agencies_with(LEADER)),
        DEPT_LEADER: _department_q(scope.department_pairs(DEPT_LEADER)),
    }
    mine = Q(pk__in=[])
    for chain, steps in SIGNING_STEPS.items():
        for step, roles in steps:
            for role in roles & set(leads):
                if scope.has_any(role):
                    mine |= leads[role] & Q(procedure_version__approval_chain=chain, step=step)
    return mine & Q(status=Status.PROCESSING)


def queue_filter(
    key: str, scope: OfficerScope, now: datetime.datetime, soon: datetime.datetime | None = None
) -> Q | None:
    """The condition of a queue for this officer, or None if the queue is not theirs.
    ``soon``: ``deadlines.due_soon_until(now)`` when the caller has it (one calendar read
    per page), else read here for the "Sắp đến hạn" queue."""
    desk = scope.agencies_with(ONE_STOP)
    workers = scope.agencies_with(ONE_STOP, SPECIALIST, DEPT_LEADER, LEADER)
    everyone = scope.agency_ids
    if key == "cho-tiep-nhan" and desk:
        return Q(agency_id__in=desk, status=Status.SUBMITTED)
    if key == "moi-tiep-nhan" and scope.has_any(ONE_STOP, LEADER, DEPT_LEADER):
        return Q(agency_id__in=scope.agencies_with(ONE_STOP, LEADER, DEPT_LEADER), status=Status.RECEIVED)
    if key == "cua-toi" and scope.has_any(SPECIALIST):
        return Q(
            handler_id=scope.user_id,
            agency_id__in=scope.agencies_with(SPECIALIST),
            status__in=(Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT),
        )
    if key == "cua-phong" and scope.department_pairs(SPECIALIST, DEPT_LEADER):
        return _department_q(scope.department_pairs(SPECIALIST, DEPT_LEADER)) & Q(status=Status.PROCESSING)
    if key == "cho-duyet" and scope.has_any(LEADER, DEPT_LEADER):
        return _awaiting_my_signature(scope)
    if key == "cho-ban-hanh" and workers:
        return Q(agency_id__in=workers, status=Status.PROCESSING, step=Step.ISSUING)
    if key == "cho-bo-sung" and workers:
        return Q(agency_id__in=workers, status=Status.SUPPLEMENT_REQUESTED)
    if key == "sap-den-han" and workers:
        return Q(
            agency_id__in=workers,
            status__in=RUNNING,
            due_at__gte=now,
            due_at__lte=soon or deadlines.due_soon_until(now),
        )
    if key == "qua-han" and workers:
        return Q(agency_id__in=workers, status__in=RUNNING, due_at__lt=now)
    if key == "tra-ket-qua" and desk:
        return Q(agency_id__in=desk, status=Status.RESOLVED)
    if key == "lien-thong" and workers:
        return Q(transfer_agency_id__in=workers, status=Status.PROCESSING, step=Step.TRANSFERRED)
    if key == "tat-ca" and everyone:
        return (Q(agency_id__in=everyone) | Q(transfer_agency_id__in=everyone)) & Q(status__gt=Status.DRAFT)
    return None


def queues_for(
    scope: OfficerScope, now: datetime.datetime | None = None, soon: datetime.datetime | None = None
) -> list[tuple[Queue, int | None]]:
    """The officer's queues with their counts (``queue_counts``)."""
    now = now or timezone.now()
    mine = [(q, queue_filter(q.key, scope, now, soon)) for q in QUEUES]
    mine = [(q, f) for q, f in mine if f is not None]
    counted = {q.key: f for q, f in mine if q.counted}
    counts = queue_counts(scope, counted) if counted else {}
    return [(q, counts.get(q.key) if q.counted else None) for q, _ in mine]


# Queue counts are one aggregate over the open dossiers of the officer's agencies (~10 ms
# with 30,000 open, on every queue page), so they are kept in the cache for a minute under
# a key that changes whenever a dossier of one of those agencies changes: the receiver
# ``desk.receivers.forget_queue_counts`` gives the agencies a new generation after every
# committed change. Counts are therefore exact after any change; only the time-based ones
# (due soon, overdue) may lag the clock by up to a minute.
QUEUE_COUNTS_SECONDS = 60


def queue_generation_key(agency_id: int) -> str:
    return f"desk:queue-generation:{agency_id}"


def queue_counts(scope: OfficerScope, counted: dict[str, Q]) -> dict[str, int]:
    """Counts of the queues ``counted`` (key → condition) for this officer, from the cache
    when no dossier of their agencies changed since they were computed."""
    keys = [queue_generation_key(a) for a in scope.agency_ids]
    generations = cache.get_many(keys)
    fingerprint = repr((sorted(scope.roles.items()), sorted(scope.departments.items()), sorted(counted)))
    fingerprint += "|" + ",".join(str(generations.get(k, "0")) for k in keys)
    key = f"desk:queue-counts:{scope.user_id}:{hashlib.sha256(fingerprint.encode()).hexdigest()}"
    counts = cache.get(key)
    if counts is None:
        counts = _count_each(counted)
        cache.set(key, counts, QUEUE_COUNTS_SECONDS)
    return counts


def _count_each(conditions: dict[str, Q]) -> dict[str, int]:
    """``COUNT`` of each condition, in one statement of scalar subqueries: each is planned
    on its own and read from the index that fits it (the queue indexes of dossiers.0005),
    where one aggregate with a ``FILTER`` per queue had to test every condition on every
    open dossier of the agencies (14 ms against ~4 ms with 30,000 open dossiers)."""
    parts, params = [], []
    for condition in conditions.values():
        sql, values = (
            Dossier.objects.filter(condition)
            .order_by()
            .annotate(n=Func("pk", function="COUNT"))
            .values("n")
            .query.sql_with_params()
        )
        parts.append(f"({sql})")
        params.extend(values)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {key: int(n) for key, n in zip(conditions, row, strict=True)}


def agencies_touched(dossier_id: int) -> set[int]:
    """The agencies whose queues a change of this dossier may have changed: its own, the one
    it is transferred to, and where its last two history rows put it (so that an agency a
    transfer just came back from is included)."""
    found: set[int] = set()
    row = Dossier.objects.filter(pk=dossier_id).values_list("agency_id", "transfer_agency_id").first()
    if row:
        found.update(a for a in row if a)
    found.update(
        a
        for a in StatusChange.objects.filter(dossier_id=dossier_id)
        .order_by("-pk")
        .values_list("agency_id", flat=True)[:2]
        if a
    )
    return found


@dataclass
class QueueFilters:
    """The filters of the queue page, cleaned; ``errors`` say which field was wrong."""

    q: str = ""
    procedure: str = ""
    channel: str = ""
    status: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    raw: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _parse_date(text: str) -> datetime.date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def queue_filters_from(params) -> QueueFilters:
    raw = {k: str(params.get(k, "")).strip()[:100] for k in ("q", "thu-tuc", "kenh", "trang-thai", "tu", "den")}
    f = QueueFilters(q=raw["q"], raw=raw)
    if raw["thu-tuc"]:
        if raw["thu-tuc"].isdigit():
            f.procedure = raw["thu-tuc"]
        else:
            f.errors["thu-tuc"] = "Thủ tục không hợp lệ."
    if raw["kenh"]:
        if raw["kenh"] in {"1", "2", "3"}:
            f.channel = raw["kenh"]
        else:
            f.errors["kenh"] = "Kênh nộp không hợp lệ."
    if raw["trang-thai"]:
        if raw["trang-thai"].isdigit() and 1 <= int(raw["trang-thai"]) <= 10:
            f.status = raw["trang-thai"]
        else:
            f.errors["trang-thai"] = "Trạng thái không hợp lệ."
    for key, attr in (("tu", "date_from"), ("den", "date_to")):
        if raw[key]:
            try:
                setattr(f, attr, _parse_date(raw[key]))
            except ValueError:
                f.errors[key] = "Ngày không hợp lệ; hãy nhập theo dạng ngày/tháng/năm."
    if f.date_from and f.date_to and f.date_to < f.date_from:
        f.errors["den"] = "“Đến ngày” phải sau “Từ ngày”."
    return f


def _search_kind(text: str) -> str:
    """What the search box holds: "id" (an ID or tax number), "code" (a dossier code),
    "name" (anything else), or "" (nothing)."""
    text = text.strip()
    if not text:
        return ""
    if text.isdigit() and len(text) in (9, 10, 12, 13):
        return "id"
    if any(c.isdigit() for c in text) and ("-" in text or "." in text):
        return "code"
    return "name"


def _search_q(text: str) -> Q:
    kind, text = _search_kind(text), text.strip()
    if kind == "id":
        return Q(applicant_id_number=text) | Q(code__endswith=text)
    if kind == "code":
        return Q(code=text.upper()) | Q(code__startswith=text.upper())
    if kind == "name":
        return Q(icontains("applicant_name", text))
    return Q()


def _day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the current time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _submitted_between(first: datetime.date | None, last: datetime.date | None) -> Q:
    """Submitted on the days ``first``–``last`` (either may be None) of the current time zone,
    as ``submitted_at__date__gte/lte`` compare them, but as a range on the column itself so
    that an index on ``submitted_at`` serves it. The first and last representable days bound
    nothing (and would overflow once converted to UTC)."""
    q = Q(submitted_at__isnull=False)
    if first and first > datetime.date.min:
        q &= Q(submitted_at__gte=_day_start(first))
    if last and last < datetime.date.max:
        q &= Q(submitted_at__lt=_day_start(last + datetime.timedelta(days=1)))
    return q


def queue_dossiers(
    key: str,
    scope: OfficerScope,
    filters: QueueFilters,
    *,
    page: int = 1,
    now: datetime.datetime | None = None,
    soon: datetime.datetime | None = None,
) -> tuple[list[Dossier], bool]:
    """One page of a queue, by deadline (the closest first), and whether more follow.

    No COUNT of the whole result: the queue counts come from ``queues_for``."""
    now = now or timezone.now()
    condition = queue_filter(key, scope, now, soon)
    if condition is None:
        return [], False
    extra = _search_q(filters.q) if filters.q else Q()
    if filters.procedure:
        # By the procedure's version ids, not a join: an index on the version and the
        # submission time then serves the page in order (dossiers.0006).
        versions = list(
            ProcedureVersion.objects.filter(procedure_id=int(filters.procedure)).values_list("pk", flat=True)
        )
        extra &= Q(procedure_version_id__in=versions)
    if filters.channel:
        extra &= Q(channel=int(filters.channel))
    if filters.status:
        extra &= Q(status=int(filters.status))
    if filters.date_from or filters.date_to:
        extra &= _submitted_between(filters.date_from, filters.date_to)
    order = ["-submitted_at", "-pk"] if key == "tat-ca" else ["due_at", "submitted_at", "pk"]
    start = (max(page, 1) - 1) * PER_PAGE
    rows_qs = Dossier.objects.select_related("procedure_version", "agency", "handler").only(*QUEUE_ROW_FIELDS)
    if key == "tat-ca" and _search_kind(filters.q) == "name" and connection.vendor == "postgresql":
        # "Its own or transferred to it" is an OR, and PostgreSQL takes the name out of it as
        # a common condition: the name's trigrams are then matched across the province before
        # the agency is checked (a common full name: ~120 ms over 2.2 million dossiers). As a
        # UNION, each side meets its agency inside an index (dossier_agency_name_trgm); the
        # page's rows are then read by id (one query more, for name searches only).
        # The agency as a bigint: btree_gin's operators do not compare bigint with integer,
        # and a plain parameter is an integer to PostgreSQL.
        # Elsewhere (the embedded SQLite: no trigram index to gain from it, and no ORDER BY
        # allowed inside a UNION's parts) the plain condition below finds the same rows in
        # the same order.
        everyone = scope.agency_ids
        own = functools.reduce(
            operator.or_, (Q(agency_id=Cast(Value(pk), BigIntegerField())) for pk in everyone), Q(pk__in=[])
        )
        transferred = Q(transfer_agency_id__in=everyone) & ~Q(agency_id__in=everyone)
        live = extra & Q(status__gt=Status.DRAFT)
        found = (
            Dossier.objects.filter(own & live)
            .values_list("submitted_at", "id")
            .union(Dossier.objects.filter(transferred & live).values_list("submitted_at", "id"))
            .order_by("-submitted_at", "-id")[start : start + PER_PAGE + 1]
        )
        ids = [pk for _, pk in found]
        by_id = rows_qs.in_bulk(ids)
        rows = [by_id[pk] for pk in ids if pk in by_id]
    else:
        rows = list(rows_qs.filter(condition & extra).order_by(*order)[start : start + PER_PAGE + 1])
    return rows[:PER_PAGE], len(rows) > PER_PAGE


QUEUE_ROW_FIELDS = (
    "code",
    "status",
    "step",
    "channel",
    "applicant_name",
    "applicant_id_number",
    "submitted_at",
    "due_at",
    "step_due_at",
    "department",
    "procedure_version__name",
    "agency__name",
    "agency__short_name",
    "handler__full_name",
    "handler__username",
)


PROCEDURE_CHOICES_SECONDS = 300


def procedure_choices(scope: OfficerScope) -> list[tuple[str, str]]:
    """(procedure id, name shortened to 90 characters) of the procedures the officer's
    agencies handle, for the queue filter; kept a few minutes per set of agencies (the
    catalog's filter options are kept the same way)."""

    def build() -> list[tuple[str, str]]:
        rows = (
            ProcedureVersion.objects.filter(is_current=True, agency_roles__agency_id__in=scope.agency_ids)
            .order_by("name")
            .values_list("procedure_id", "name")
            .distinct()[:500]
        )
        return [(str(pk), Truncator(name).chars(90)) for pk, name in rows]

    key = "desk:procedure-choices:" + ",".join(map(str, scope.agency_ids))
    return cache.get_or_set(key, build, PROCEDURE_CHOICES_SECONDS)


def officer_dossier(code: str, scope: OfficerScope) -> Dossier | None:
    """The officer's dossier page: everything about it, or None outside their agencies.

    The owner (not shown on the page) and the case (rare) are loaded only if used, not
    joined: each joined table multiplies PostgreSQL's planning work, and with them this
    one-row query took 10.7 ms instead of 4.3 ms, nearly all of it planning
    (docs/BENCHMARKS.md, "Officers' pages")."""
    if scope.is_empty:
        return None
    return (
        Dossier.objects.filter(Q(agency_id__in=scope.agency_ids) | Q(transfer_agency_id__in=scope.agency_ids))
        .filter(code=code)
        .select_related("procedure_version__procedure", "agency", "handler", "transfer_agency")
        # whether the desk recorded a fee exemption (listed on the page only then)
        .annotate(has_exemptions=Exists(FeeExemption.objects.filter(dossier_id=OuterRef("pk"))))
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=DossierDocument.objects.select_related("stored_file", "required_document"),
            ),
            Prefetch("documents__pages", queryset=DocumentPage.objects.order_by("order", "pk")),
            Prefetch(
                "history",
                queryset=StatusChange.objects.select_related("actor", "handler", "agency").order_by("at", "pk"),
            ),
        )
        .first()
    )


@dataclass(frozen=True)
class DossierRecords:
    """What the workflow recorded beside the status (supplement requests, transfers,
    result, hand-over, apology, postal intake), each None or empty when there is none."""

    supplements: list
    transfers: list
    result: object | None
    handover: object | None
    apology: object | None
    postal: object | None


# Each record is written by the action of the same name in ``dossiers.workflow`` (or, for
# the postal intake, by counter intake of a dossier that came by post), in the transaction
# that writes the action's history row; so the history already loaded says which exist,
# and only those are read.
RECORDED_BY = {
    "supplements": "request_supplement",
    "transfers": "transfer",
    "result": "record_result",
    "handover": "return_result",
    "apology": "apologize",
}


def dossier_records(dossier: Dossier, history: list[StatusChange]) -> DossierRecords:
    """The dossier's records, reading only those its history says exist."""
    from dossiers.constants import Channel
    from dossiers.models import Apology, Handover, PostalIntake, Result, SupplementRequest, Transfer

    done = {change.action for change in history}

    def has(name: str) -> bool:
        return RECORDED_BY[name] in done

    return DossierRecords(
        supplements=list(SupplementRequest.objects.filter(dossier=dossier)) if has("supplements") else [],
        transfers=list(Transfer.objects.filter(dossier=dossier).select_related("to_agency"))
        if has("transfers")
        else [],
        result=Result.objects.filter(dossier=dossier).select_related("stored_file", "signed_by").first()
        if has("result")
        else None,
        handover=Handover.objects.filter(dossier=dossier).first() if has("handover") else None,
        apology=Apology.objects.filter(dossier=dossier).first() if has("apology") else None,
        postal=PostalIntake.objects.filter(dossier=dossier).first() if dossier.channel == Channel.POST else None,
    )


def transfer_agencies(dossier: Dossier) -> list[Agency]:
    today = timezone.localdate()
    return list(
        Agency.objects.exclude(pk=dossier.agency_id)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=today))
        .order_by("tier", "name")
        .only("pk", "name", "tier")
    )


def intake_versions(scope: OfficerScope, text: str = "") -> QuerySet[ProcedureVersion]:
    """Procedures a desk officer can take in at the counter: current, at their agencies."""
    from portal.text import fold

    qs = ProcedureVersion.objects.filter(
        is_current=True, agency_roles__agency_id__in=scope.agencies_with(ONE_STOP)
    ).distinct()
    if text:
        folded = fold(text)
        qs = qs.filter(Q(search_text__contains=folded) | Q(procedure__national_code=text.strip()))
    return qs.select_related("procedure").order_by("name")
