"""The fee calculator (phí, lệ phí): the one place that says what a dossier owes.

From the procedure version the dossier was filed under: each fee line (phí or lệ phí) at
its counter amount, or at its online amount when the dossier was filed online and the
catalog gives one (an online discount); lines the applicant is exempt from (miễn) owe
nothing. Amounts are whole VND. When they are paid — before receipt (thu trước) or when
the agency asks during processing (thu sau, status 6) — is the version's
``fee_collection``.
"""

from dataclasses import dataclass

from dossiers.constants import Channel
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


def dossier_fees(dossier, *, exempt_fee_ids: frozenset[int] = frozenset()) -> FeesDue:
    """What a dossier owes, by the version it was filed under and its channel."""
    return fees_due(dossier.procedure_version, channel=dossier.channel, exempt_fee_ids=exempt_fee_ids)
