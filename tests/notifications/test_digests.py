"""Citizens' daily reminders of a supplement due (the officers' deadline alerts and e-mail
digests: test_officers.py)."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from notifications import services
from notifications.constants import Event
from tests.dossiers.staff import agency_staff, dossier_at

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=HCM)


@pytest.fixture
def staff():
    return agency_staff()


def test_citizens_are_reminded_once_of_a_supplement_due_tomorrow(staff, committed):
    from dossiers.models import SupplementRequest
    from tests.notifications.helpers import in_app

    dossier = committed(dossier_at, staff, "supplement")
    request = SupplementRequest.objects.get(dossier=dossier)
    today = datetime.date(2026, 12, 7)
    SupplementRequest.objects.filter(pk=request.pk).update(respond_by=today + datetime.timedelta(days=5))
    assert committed(services.citizen_reminders, now=at(today, 8)) == 0  # not yet
    SupplementRequest.objects.filter(pk=request.pk).update(respond_by=today + datetime.timedelta(days=1))
    written = committed(services.citizen_reminders, now=at(today, 8))
    assert written == 3  # in-app, e-mail, SMS
    notice = in_app(dossier.owner)[-1]
    assert notice.event == Event.SUPPLEMENT_DUE
    assert notice.body == f"Nhắc: hồ sơ {dossier.code} cần bổ sung trước 08/12/2026: Bản sao Giấy khai sinh"
    assert committed(services.citizen_reminders, now=at(today, 8, 1)) == 0  # once
    # Answered: no reminder the day it is due.
    from dossiers import processing

    committed(processing.dossier_act, dossier=dossier, action="supplement_submit", actor=dossier.owner)
    assert committed(services.citizen_reminders, now=at(today + datetime.timedelta(days=1), 8)) == 0
