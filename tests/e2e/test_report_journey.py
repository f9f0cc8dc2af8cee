"""A provincial admin opens the KPI page, corrects a bad period, drills down to the late
dossiers behind a figure, and exports the year to Excel; the test opens the workbook."""

import datetime

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.constants import AccountKind, StaffRole
from dossiers.models import Dossier
from reports import services
from tests.dossiers.staff import agency_staff, dossier_at
from tests.factories import StaffAssignmentFactory, UserFactory

from .officers import PASSWORD, log_in, with_password

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_reads_the_kpis_drills_down_and_exports(page, tmp_path):
    staff, other = agency_staff(), agency_staff()
    late = dossier_at(staff, "returned")
    Dossier.objects.filter(pk=late.pk).update(due_at=late.finished_at - datetime.timedelta(days=2))
    dossier_at(staff, "returned")
    dossier_at(other, "received")
    services.mark_stale([late.pk])
    services.refresh()
    admin = UserFactory(kind=AccountKind.OFFICER, is_staff=True, username="qt.tinh")
    StaffAssignmentFactory(user=admin, agency=staff.agency, role=StaffRole.PROVINCIAL_ADMIN)
    with_password(admin, PASSWORD)
    log_in(page, "qt.tinh", PASSWORD)

    page.goto(f"{page.base_url}/bao-cao/")
    expect(page.locator("h1")).to_have_text("Bộ chỉ số phục vụ người dân, doanh nghiệp")
    expect(page.locator("#total-points")).not_to_be_empty()
    expect(page.locator(f"#agency-{staff.agency.pk}")).to_be_visible()

    # A period that does not exist: the message sits at the field, what was typed stays.
    page.locator("#f-ky").fill("2026-13")
    page.get_by_role("button", name="Xem số liệu").click()
    expect(page.locator("#e-ky")).to_have_text("Tháng phải từ 1 đến 12.")
    expect(page.locator("#f-ky")).to_have_value("2026-13")
    page.locator("#f-ky").fill(str(timezone.localdate().year))
    page.get_by_role("button", name="Xem số liệu").click()
    expect(page.locator("#e-ky")).to_have_count(0)

    # 2.1: one of the two ended dossiers of the first agency was late.
    expect(page.locator("#ind-2\\.1")).to_contain_text("2.1. Hồ sơ xử lý trước hạn, đúng hạn")
    row = page.locator(f"#agency-{staff.agency.pk}")
    late_cell = row.locator("td").nth(7)
    expect(late_cell).to_have_text("1")
    late_cell.get_by_role("link").click()
    expect(page.locator("h1")).to_have_text("Giải quyết quá hạn")
    expect(page.locator("#drill-total")).to_have_text("1")
    expect(page.locator(".drill-table tbody tr")).to_have_count(1)
    expect(page.locator(".drill-table")).to_contain_text(late.code)
    page.go_back()

    with page.expect_download() as info:
        page.locator("#export-xlsx").click()
    download = info.value
    assert download.suggested_filename == f"bao-cao-766-{timezone.localdate().year}.xlsx"
    path = tmp_path / "kpi.xlsx"
    download.save_as(path)
    sheet = load_workbook(path, read_only=True)["Tình hình giải quyết"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[1]
    mine = next(r for r in rows if r[0] == staff.agency.name)
    assert mine[header.index("Quá hạn")] == 1 and mine[header.index("Đã giải quyết, kết thúc")] == 2
    total = rows[2]
    assert total[header.index("Tiếp nhận trong kỳ")] == 3
