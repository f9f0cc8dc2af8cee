"""The agency admin's journey in the browser: from the header's "Quản trị đơn vị" link, a new
officer for their own agency with a role (a mistake first, said at its field, nothing typed
lost); the new officer logs in with the first password and finds the agency's queue; the
agency admin cannot choose another agency in the form nor reach another agency's officer
by changing the address."""

import re

import pytest
from playwright.sync_api import expect

from accounts.constants import StaffRole
from accounts.models import User
from tests.dossiers.staff import agency_staff, submitted_dossier

from .officers import PASSWORD, expect_listed, expect_queue_count, log_in, new_page, queue_link, with_password

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "Motcua@Moi2026"


@pytest.fixture
def pages(browser, live_server):
    contexts = []
    yield lambda: new_page(browser, live_server.url, contexts)
    for context in contexts:
        context.close()


def test_an_agency_admin_creates_an_officer_for_their_agency_and_cannot_touch_another(pages):
    staff = agency_staff()
    other = agency_staff()
    dossier = submitted_dossier(staff.agency, name="Cấp bản sao trích lục hộ tịch")

    admin = pages()
    log_in(admin, with_password(staff.admin).username, PASSWORD)
    admin.get_by_role("link", name="Quản trị đơn vị").click()
    expect(admin).to_have_url(re.compile(rf"/quan-tri-don-vi/{staff.agency.pk}/can-bo/$"))
    expect(admin.locator("h1")).to_have_text(staff.agency.name)
    expect(admin.locator("#officers")).to_contain_text(staff.desk.username)
    expect(admin.locator("#officers")).not_to_contain_text(other.desk.username)

    admin.get_by_role("link", name="Thêm cán bộ").click()
    form = admin.locator("form.account-form")
    # No agency to choose: the new account belongs to the agency of the page; no admin role.
    expect(form.locator("[name=agency], [name=agency_id], select")).to_have_count(0)
    expect(form.locator("input[name=roles]")).to_have_count(4)
    expect(form.locator(f"input[name=roles][value={StaffRole.AGENCY_ADMIN.value}]")).to_have_count(0)
    expect(admin.locator(".form-page")).to_contain_text(staff.agency.name)

    admin.locator("#id_username").fill("motcua2.stp")
    admin.locator("#id_full_name").fill("Ngô Thị Thu")
    admin.locator("#id_email").fill("ngothithu@stp.thanhhoa.gov.vn")
    admin.locator("#id_phone").fill("12345")  # a mistake
    admin.get_by_label("Cán bộ một cửa").check()
    admin.locator("#id_department").fill("Bộ phận Một cửa")
    admin.locator("#id_password1").fill(NEW_PASSWORD)
    admin.get_by_role("button", name="Tạo tài khoản").click()
    expect(admin.locator("#id_phone_error")).to_contain_text("Số điện thoại di động gồm 10 chữ số")
    expect(admin.locator("#id_username")).to_have_value("motcua2.stp")
    expect(admin.locator("#id_full_name")).to_have_value("Ngô Thị Thu")
    expect(admin.get_by_label("Cán bộ một cửa")).to_be_checked()
    expect(admin.locator("#id_department")).to_have_value("Bộ phận Một cửa")
    assert not User.objects.filter(username="motcua2.stp").exists()

    admin.locator("#id_phone").fill("0912 345 670")
    if not admin.locator("#id_password1").input_value():  # a password is not sent back
        admin.locator("#id_password1").fill(NEW_PASSWORD)
    admin.get_by_role("button", name="Tạo tài khoản").click()
    expect(admin.locator(".messages")).to_contain_text("Đã tạo tài khoản cán bộ Ngô Thị Thu (motcua2.stp).")
    row = admin.locator("#officers tr[data-username='motcua2.stp']")
    expect(row).to_contain_text("Cán bộ một cửa")
    expect(row.locator(".status")).to_have_text("Đang làm việc")
    officer = User.objects.get(username="motcua2.stp")
    assert list(officer.assignments.values_list("agency_id", "role")) == [(staff.agency.pk, StaffRole.ONE_STOP_OFFICER)]

    # Changing the address: another agency's pages and officers do not exist for this admin.
    for path in (
        f"/quan-tri-don-vi/{other.agency.pk}/can-bo/",
        f"/quan-tri-don-vi/{other.agency.pk}/can-bo/them/",
        f"/quan-tri-don-vi/{staff.agency.pk}/can-bo/{other.desk.pk}/",
        f"/quan-tri-don-vi/{other.agency.pk}/can-bo/{other.desk.pk}/",
    ):
        response = admin.goto(admin.base_url + path)
        assert response.status == 404, path
    # Their own roles are not theirs to change.
    admin.goto(admin.base_url + f"/quan-tri-don-vi/{staff.agency.pk}/can-bo/{staff.admin.pk}/")
    expect(admin.locator(".form-page")).to_contain_text("Bạn không tự thay đổi tài khoản, vai trò của chính mình")
    expect(admin.get_by_role("button", name="Lưu thay đổi")).to_have_count(0)

    # The new officer logs in with the first password and finds the agency's queue.
    desk = pages()
    log_in(desk, "motcua2.stp", NEW_PASSWORD)
    expect(desk).to_have_url(re.compile(r"/can-bo/$"))
    expect(queue_link(desk, "cho-tiep-nhan")).to_have_attribute("aria-current", "page")
    expect_queue_count(desk, "cho-tiep-nhan", 1)
    expect_listed(desk, [dossier.code])
    expect(desk.get_by_role("link", name="Quản trị đơn vị")).to_have_count(0)
