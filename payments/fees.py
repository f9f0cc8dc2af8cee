"""The fee calculator (phí, lệ phí): the one place that says what a dossier owes, and by
when it must be paid.

What: from the procedure version the dossier was filed under, each fee line (phí or lệ
phí) at its counter amount, or at its online amount when the dossier was filed online and
the catalog gives one (an online discount); lines the applicant is exempt from (miễn,
``FeeExemption`` recorded by the desk with its reason) owe nothing. Amounts are whole VND.

When (``paid_before``): a version collecting before receipt (thu trước) is paid before the
desk receives the dossier — at the counter for a paper dossier, online for a level-4 one —
and every fee is paid before the result is handed over (thu sau: when the agency asks,
status 6, and at the latest at hand-over). A partly-online dossier (level 2–3) cannot pay
online, so its "thu trước" fee is taken when the applicant comes to the counter, before the
hand-over (docs/DECISIONS.md §41). The state machine asks this module; pages, API, Mẫu 01
and the receipt print what it says.
"""

from dataclasses import dataclass, field

from dossiers.constants import Channel
from procedures.constants import FeeCollection, ServiceLevel
from procedures.models import Fee, ProcedureVersion


@dataclass(frozen=True)
class FeeLine:
    fee_id: int
    kind: str  # procedures.constants.FeeKind: "phi" or "le_phi"
    kind_label: str
    code: str
    name: str
    amount: int  # the counter amount
    discount: int  # less when filed online
    exempt: bool
    due: int

    def as_dict(self) -> dict:
        return {
            "fee_id": self.fee_id,
            "kind": self.kind,
            "code": self.code,
            "name": self.name,
            "amount": self.amount,
            "discount": self.discount,
            "exempt": self.exempt,
            "due": self.due,
        }


@dataclass(frozen=True)
class FeesDue:
    lines: tuple[FeeLine, ...]
    collection: str  # procedures.constants.FeeCollection
    extra: dict = field(default_factory=dict)  # values asked for with the lines (``annotate``)

    @property
    def total(self) -> int:
        return sum(line.due for line in self.lines)

    @property
    def payable(self) -> bool:
        return self.total > 0


def fee_line(fee: Fee, *, online: bool, exempt: bool = False) -> FeeLine:
    amount = int(fee.amount)
    charged = int(fee.online_amount) if online and fee.online_amount is not None else amount
    charged = min(charged, amount)  # an "online amount" above the counter amount is no discount
    return FeeLine(
        fee_id=fee.pk,
        kind=fee.kind,
        kind_label=fee.get_kind_display(),
        code=fee.code,
        name=fee.name,
        amount=amount,
        discount=amount - charged,
        exempt=exempt,
        due=0 if exempt else charged,
    )


def fees_due(version: ProcedureVersion, *, channel: int, exempt_fee_ids: frozenset[int] = frozenset()) -> FeesDue:
    """What filing under ``version`` by ``channel`` (dossiers.constants.Channel) costs."""
    online = channel == Channel.ONLINE
    lines = tuple(
        fee_line(fee, online=online, exempt=fee.pk in exempt_fee_ids)
        for fee in version.fees.all().order_by("kind", "pk")
    )
    return FeesDue(lines=lines, collection=version.fee_collection)


def dossier_fees(dossier, *, exempt_fee_ids: frozenset[int] | None = None, annotate: dict | None = None) -> FeesDue:
    """What a dossier owes, by the version it was filed under, its channel and the
    exemptions the desk recorded on it (or ``exempt_fee_ids``, to price a choice), in one
    query; ``annotate`` asks for more values in the same query (``FeesDue.extra``)."""
    version = dossier.procedure_version
    if exempt_fee_ids is not None:
        return fees_due(version, channel=dossier.channel, exempt_fee_ids=exempt_fee_ids)
    from django.db.models import Exists, OuterRef

    from .models import FeeExemption

    annotate = annotate or {}
    rows = list(
        version.fees.annotate(
            exempt=Exists(FeeExemption.objects.filter(dossier_id=dossier.pk, fee_id=OuterRef("pk"))), **annotate
        ).order_by("kind", "pk")
    )
    online = dossier.channel == Channel.ONLINE
    lines = tuple(fee_line(fee, online=online, exempt=fee.exempt) for fee in rows)
    extra = {name: getattr(rows[0], name) for name in annotate} if rows else {}
    return FeesDue(lines=lines, collection=version.fee_collection, extra=extra)


def payable_online(dossier) -> bool:
    """Whether the applicant can pay this dossier's fees through the gateway: its version is
    a full online service (toàn trình, level 4)."""
    return dossier.procedure_version.service_level == ServiceLevel.FULL


# The workflow actions a fee can hold back (``paid_before``).
RECEIPT = "receive"
HANDOVER = "return_result"
CONFIRMED = "payment_confirmed"  # status 6 back to processing: only once nothing is owed


def paid_before(dossier, action: str) -> bool:
    """Whether all of ``dossier``'s fees must be paid before ``action`` (a
    ``dossiers.workflow`` action name): receipt for "thu trước" when the fee can be paid by
    then (a paper dossier at the counter, or a level-4 online one); hand-over, and the end of
    a wait for the fee (status 6), always."""
    if action in (HANDOVER, CONFIRMED):
        return True
    if action == RECEIPT:
        before = dossier.procedure_version.fee_collection == FeeCollection.BEFORE
        return before and (dossier.channel != Channel.ONLINE or payable_online(dossier))
    return False


def collection_text(fees: FeesDue, dossier=None) -> str:
    """How the fees are collected, as Mẫu 01 and the pages print it (hình thức thu)."""
    if not fees.lines:
        return "Không thu phí, lệ phí"
    if fees.total == 0:
        return "Được miễn phí, lệ phí"
    if fees.collection == FeeCollection.BEFORE:
        if dossier is not None and not paid_before(dossier, RECEIPT):
            return "Thu trước, nộp tại bộ phận một cửa khi nhận kết quả"
        return "Thu trước (nộp khi nộp hồ sơ, trước khi tiếp nhận)"
    return "Thu sau (nộp khi cơ quan giải quyết thông báo, chậm nhất khi nhận kết quả)"
