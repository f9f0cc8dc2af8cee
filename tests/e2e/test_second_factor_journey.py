"""An officer's first login: the password, then setting up the authenticator app from the
QR code's key, the backup codes shown once, the desk; the next login with a backup code."""

import base64
import re

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from accounts.constants import StaffRole
from tests.dossiers.staff import agency_staff

from .officers import PASSWORD, with_password

pytestmark = pytest.mark.django_db(transaction=True)


def code_from_key(shown: str) -> str:
    """What an authenticator app shows for the key typed by hand from the page."""
    key = shown.replace(" ", "")
    totp = TOTP(base64.b32decode(key + "=" * (-len(key) % 8)))
    return f"{totp.token():06d}"


def password_step(page, username: str) -> None:
    page.goto(page.base_url + "/dang-nhap/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_an_officer_sets_up_the_second_factor_and_later_uses_a_backup_code(phone_page):
    page = phone_page
    staff = agency_staff()
    officer = with_password(staff.desk)
    assert staff.desk.assignments.filter(role=StaffRole.ONE_STOP_OFFICER).exists()

    password_step(page, officer.username)
    expect(page).to_have_url(re.compile(r"/tai-khoan/xac-thuc-hai-buoc/\?next=%2Fcan-bo%2F$"))
    expect(page.get_by_role("heading", name="Thiết lập xác thực hai bước")).to_be_visible()
    expect(page.get_by_alt_text("Mã QR để thêm tài khoản vào ứng dụng xác thực")).to_be_visible()
    key = page.locator("#otp-secret").inner_text()

    # A mistyped code: the message at the field, the same key kept on the page.
    page.locator("#id_token").fill("12345")
    page.get_by_role("button", name="Xác nhận và bật xác thực hai bước").click()
    expect(page.locator("#id_token_error")).to_contain_text("không đúng")
    expect(page.locator("#otp-secret")).to_have_text(key)

    page.locator("#id_token").fill(code_from_key(key))
    page.get_by_role("button", name="Xác nhận và bật xác thực hai bước").click()
    expect(page.get_by_role("heading", name="Đã bật xác thực hai bước")).to_be_visible()
    codes = page.locator("#backup-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
    expect(page).to_have_url(re.compile(r"/can-bo/$"))
    expect(page.locator("h1")).to_be_visible()

    # Logged out, then in again on a borrowed phone: a backup code instead of the app.
    page.goto(page.base_url + "/tai-khoan/")
    page.locator("form[action='/dang-xuat/'] button").first.click()
    password_step(page, officer.username)
    expect(page).to_have_url(re.compile(r"/dang-nhap/xac-thuc/"))
    page.locator("#id_token").fill(codes[0])
    page.get_by_role("button", name="Xác nhận").click()
    expect(page).to_have_url(re.compile(r"/can-bo/$"))
