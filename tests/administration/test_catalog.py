"""An agency's service level and fees (quản trị đơn vị): written into the procedure's draft,
never into the published version, for the provincial admin to publish; fees only where the
agency alone performs the procedure; bad input said at its field, nothing typed lost. The
holidays are the province's: shown, not editable by an agency admin."""

import datetime

import pytest

from dossiers.models import CalendarDay
from procedures import services as catalog
from procedures.constants import FeeKind, VersionStatus
from procedures.models import Fee, ProcedureAgency, ProcedureVersion
from tests.dossiers.staff import agency_staff, version_for
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

FEES = [
    (FeeKind.LEVY, "LP1", "Lệ phí cấp bản sao", 15_000, 10_000),
    (FeeKind.CHARGE, "P1", "Phí thẩm định", 50_000, None),
]


@pytest.fixture
def staff():
    return agency_staff()


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff.admin)
    return client


def _url(agency, code=""):
    return f"/quan-tri-don-vi/{agency.pk}/thu-tuc/" + (f"{code}/" if code else "")


def test_the_agency_admin_prepares_its_level_and_fees_in_a_draft_the_province_publishes(admin_client, staff):
    version = version_for(staff.agency, level=3, fees=FEES)
    code = version.procedure.national_code
    listing = admin_client.get(_url(staff.agency)).content.decode()
    assert code in listing and version.name in listing

    response = admin_client.post(
        _url(staff.agency, code),
        {"service_level": "4", "fee_0": "20000", "fee_0_online": "", "fee_1": "50000", "fee_1_online": "40000"},
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED and version.is_current
    assert [f.amount for f in version.fees.all()] == [15_000, 50_000]  # the published version is untouched
    draft = ProcedureVersion.objects.get(procedure=version.procedure, status=VersionStatus.DRAFT)
    assert draft.agency_roles.get(agency=staff.agency).service_level == 4
    assert [(f.name, f.amount, f.online_amount) for f in Fee.objects.filter(version=draft)] == [
        ("Lệ phí cấp bản sao", 20_000, None),
        ("Phí thẩm định", 50_000, 40_000),
    ]
    assert "Chờ công bố" in admin_client.get(_url(staff.agency)).content.decode()

    # A second save edits the same draft; the provincial admin publishes it.
    admin_client.post(
        _url(staff.agency, code),
        {"service_level": "", "fee_0": "60000", "fee_0_online": "", "fee_1": "20000", "fee_1_online": ""},
    )
    assert ProcedureVersion.objects.filter(procedure=version.procedure, status=VersionStatus.DRAFT).count() == 1
    published = catalog.version_publish(version=draft, effective_from=datetime.date.today())
    assert published.is_current and published.agency_roles.get(agency=staff.agency).service_level is None
    assert [f.amount for f in published.fees.all()] == [60_000, 20_000]


def test_bad_amounts_and_levels_are_said_at_their_fields_and_kept(admin_client, staff):
    version = version_for(staff.agency, level=3, fees=FEES)
    code = version.procedure.national_code
    response = admin_client.post(
        _url(staff.agency, code),
        {"service_level": "9", "fee_0": "mười nghìn", "fee_0_online": "-5", "fee_1": "", "fee_1_online": "1e99"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["service_level"] == ["Chọn một mức độ trong danh sách."]
    assert errors["fee_0"] == ["Nhập số tiền bằng số nguyên, đơn vị đồng, ví dụ 15000."]
    assert errors["fee_0_online"] == ["Số tiền không được âm."]
    assert errors["fee_1"] == ["Vui lòng nhập số tiền."]
    assert "fee_1_online" in errors
    page = response.content.decode()
    assert 'value="mười nghìn"' in page and 'value="-5"' in page
    assert not ProcedureVersion.objects.filter(procedure=version.procedure, status=VersionStatus.DRAFT).exists()


def test_levels_three_and_four_need_online_filing(admin_client, staff):
    version = version_for(staff.agency, level=3, fees=FEES)
    draft = catalog.version_create_draft(procedure=version.procedure)
    ProcedureVersion.objects.filter(pk=draft.pk).update(channel_online=False, service_level=2)
    response = admin_client.post(
        _url(staff.agency, version.procedure.national_code),
        {"service_level": "4", "fee_0": "1", "fee_0_online": "", "fee_1": "2", "fee_1_online": ""},
    )
    assert response.status_code == 200
    assert "chưa cho phép nộp trực tuyến" in response.context["form"].errors["service_level"][0]
    assert ProcedureAgency.objects.get(version=draft, agency=staff.agency).service_level is None
    assert 'value="1"' in response.content.decode()


def test_shared_fees_are_the_provinces_to_change(admin_client, staff):
    version = version_for(staff.agency, level=3, fees=FEES)
    other = AgencyFactory()
    draft = catalog.version_create_draft(procedure=version.procedure)
    ProcedureAgency.objects.create(version=draft, agency=other)
    page = admin_client.get(_url(staff.agency, version.procedure.national_code)).content.decode()
    assert 'name="fee_0"' not in page and "chỉ quản trị hệ thống cấp tỉnh điều chỉnh" in page
    response = admin_client.post(
        _url(staff.agency, version.procedure.national_code), {"service_level": "3", "fee_0": "1", "fee_1": "1"}
    )
    assert response.status_code == 302
    assert [f.amount for f in Fee.objects.filter(version=draft)] == [15_000, 50_000]
    assert ProcedureAgency.objects.get(version=draft, agency=staff.agency).service_level == 3
    assert ProcedureAgency.objects.get(version=draft, agency=other).service_level is None


def test_another_agencys_procedure_is_not_found(admin_client, staff):
    other = agency_staff()
    theirs = version_for(other.agency, level=3, fees=FEES)
    code = theirs.procedure.national_code
    assert admin_client.get(_url(staff.agency, code)).status_code == 404
    assert admin_client.post(_url(staff.agency, code), {"service_level": "4"}).status_code == 404
    assert admin_client.get(_url(other.agency, code)).status_code == 404
    assert code not in admin_client.get(_url(staff.agency)).content.decode()
    assert not ProcedureVersion.objects.filter(procedure=theirs.procedure, status=VersionStatus.DRAFT).exists()


def test_holidays_are_province_wide_and_shown_read_only(admin_client, staff):
    today = datetime.date.today()
    CalendarDay.objects.create(date=datetime.date(today.year, 9, 2), name="Quốc khánh")
    response = admin_client.get(f"/quan-tri-don-vi/{staff.agency.pk}/ngay-nghi/")
    page = response.content.decode()
    assert "Quốc khánh" in page and "áp dụng chung cho mọi cơ quan trong tỉnh" in page
    assert 'class="account-form"' not in page and "/quan-tri/dossiers/calendarday/" not in page
    assert admin_client.get("/quan-tri/dossiers/calendarday/")["Location"].startswith("/quan-tri/login/")
