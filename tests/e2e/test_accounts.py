"""A citizen registers on a cheap phone, fixes a wrong ID number, lands logged in, logs out."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User

pytestmark = pytest.mark.usefixtures("transactional_db")

PASSWORD = "Hoso-truc-tuyen-2026"
TAP_MIN_PX = 43.5  # ~44 CSS px


def test_citizen_registers_fixes_the_id_number_and_logs_out(phone_page):
    page = phone_page
    page.goto(page.base_url + "/thu-tuc/")
    page.get_by_role("link", name="Đăng ký", exact=True).click()
    expect(page.get_by_role("heading", name="Đăng ký tài khoản công dân")).to_be_visible()

    page.get_by_label("Số định danh cá nhân (số CCCD)").fill("038287912345")  # digit 4 says born in the 2000s
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hoa")
    page.get_by_label("Ngày sinh").fill("1987-05-02")
    page.get_by_label("Số điện thoại di động").fill("0912345678")
    page.locator("#id_password1").fill(PASSWORD)
    submit = page.get_by_role("button", name="Đăng ký")
    assert submit.bounding_box()["height"] >= TAP_MIN_PX
    submit.click()

    id_input = page.get_by_label("Số định danh cá nhân (số CCCD)")
    expect(page.locator("#id_national_id_error")).to_contain_text("Chữ số thứ 4")
    expect(id_input).to_have_attribute("aria-invalid", "true")
    expect(id_input).to_have_attribute("aria-describedby", re.compile("id_national_id_error"))
    expect(page.get_by_label("Họ và tên")).to_have_value("Nguyễn Thị Hoa")  # nothing typed is lost
    expect(page.get_by_label("Ngày sinh")).to_have_value("1987-05-02")
    expect(page.get_by_label("Số điện thoại di động")).to_have_value("0912345678")
    assert not User.objects.exists()
    # The page fits the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    id_input.fill("038087912345")
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_role("button", name="Đăng ký").click()

    expect(page).to_have_url(re.compile(r"/ho-so/$"))
    expect(page.get_by_text("Đăng ký tài khoản thành công")).to_be_visible()
    header = page.locator(".account-nav")
    expect(header).to_contain_text("Nguyễn Thị Hoa")
    assert User.objects.get(username="038087912345").full_name == "Nguyễn Thị Hoa"

    logout = header.get_by_role("button", name="Đăng xuất")
    assert logout.bounding_box()["height"] >= TAP_MIN_PX
    logout.click()
    expect(page.get_by_text("Bạn đã đăng xuất")).to_be_visible()
    expect(page.locator(".account-nav").get_by_role("link", name="Đăng nhập")).to_be_visible()
    page.goto(page.base_url + "/ho-so/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/\?next=/ho-so/$"))
