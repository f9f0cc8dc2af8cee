"""Vietnamese date and time wording used on the printed forms.

Every datetime is shown in local time (Asia/Ho_Chi_Minh): "09 giờ 32 phút, ngày
27/10/2023" for moments, "ngày 27 tháng 10 năm 2023" for the date line under the motto.
"""

import datetime

from django.conf import settings
from django.utils import timezone


def local(value: datetime.datetime | datetime.date | None):
    """An aware datetime in local time; dates and naive values unchanged."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def moment(value: datetime.datetime | None) -> str:
    """ "HH giờ mm phút, ngày dd/mm/yyyy" (thời điểm)."""
    if value is None:
        return ""
    value = local(value)
    return f"{value:%H} giờ {value:%M} phút, ngày {value:%d/%m/%Y}"


def day(value: datetime.datetime | datetime.date | None) -> str:
    """ "dd/mm/yyyy"."""
    if value is None:
        return ""
    return f"{local(value):%d/%m/%Y}"


def long_day(value: datetime.datetime | datetime.date | None) -> str:
    """ "ngày 27 tháng 10 năm 2023" (the wording of the place-and-date line)."""
    if value is None:
        return "ngày … tháng … năm …"
    value = local(value)
    return f"ngày {value:%d} tháng {value:%m} năm {value:%Y}"


def place_name() -> str:
    """The place written before the date: the province without "Tỉnh"/"Thành phố"."""
    name = settings.PROVINCE_NAME.strip()
    for prefix in ("Tỉnh ", "tỉnh ", "Thành phố ", "thành phố ", "TP. "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name
