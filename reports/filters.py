"""The filters of every report (pages, exports, API): period, tier, agency."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import ValidationError

from procedures.constants import Tier
from procedures.models import Agency

from . import periods
from .periods import Period


@dataclass
class Filters:
    """The filter form of the report pages: period, tier, agency (values kept as typed)."""

    period: Period | None
    tier: str = ""
    agency: Agency | None = None
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    agency_ids: list[int] | None = None
    scope: str = ""  # what the figures cover, for the headers of the pages and exports

    @property
    def tier_label(self) -> str:
        return Tier(self.tier).label if self.tier in Tier.values else ""

    def query(self, **extra) -> str:
        params = {k: v for k, v in self.values.items() if v}
        params.update({k: v for k, v in extra.items() if v})
        return urlencode(params)


def parse_filters(params, allowed: list[int] | None) -> Filters:
    """The period (``ky``), tier (``cap``) and agency (``co_quan``) of ``params``, checked
    against the agencies the reader may see (``allowed``; None: all)."""
    values = {k: str(params.get(k, "")).strip()[:40] for k in ("ky", "cap", "co_quan")}
    errors: dict[str, str] = {}
    period = None
    try:
        period = periods.parse(values["ky"])
    except ValidationError as exc:
        errors["ky"] = exc.message_dict["period"][0]
    tier = values["cap"]
    if tier and tier not in Tier.values:
        errors["cap"] = "Cấp không hợp lệ; hãy chọn trong danh sách."
    agency = None
    if values["co_quan"]:
        try:
            agency = Agency.objects.get(pk=int(values["co_quan"]))
        except (ValueError, Agency.DoesNotExist):
            errors["co_quan"] = "Không có cơ quan này; hãy chọn trong danh sách."
        else:
            if allowed is not None and agency.pk not in allowed:
                errors["co_quan"] = "Bạn không được xem số liệu của cơ quan này."
    ids = allowed
    if agency is not None:
        ids = [agency.pk]
    elif tier:
        in_tier = list(Agency.objects.filter(tier=tier).values_list("pk", flat=True))
        ids = in_tier if allowed is None else [pk for pk in in_tier if pk in allowed]
    return Filters(period, tier, agency, values, errors, ids, scope_label(agency, tier, allowed))


def scope_label(agency: Agency | None, tier: str, allowed: list[int] | None) -> str:
    """What a report covers, named as its reader sees it: the agency chosen, a tier (within
    what the reader may see), the whole province only for those who see all of it, else
    the reader's own agency or agencies (a commune leader's report once said "toàn tỉnh")."""
    if agency is not None:
        return agency.name
    within = "" if allowed is None else " (trong phạm vi bạn được xem)"
    if tier in Tier.values:
        return f"{Tier(tier).label}{within}"
    if allowed is None:
        return "Toàn tỉnh"
    if len(allowed) == 1:
        return Agency.objects.filter(pk=allowed[0]).values_list("name", flat=True).first() or ""
    return f"{len(allowed)} cơ quan bạn được xem"
