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
    return Filters(period, tier, agency, values, errors, ids)
