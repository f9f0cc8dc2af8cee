"""The error pages in a real browser: the database unreachable under a running portal (every
query fails, tests/portal/outages.py) and a view that fails. The pages are styled by the
portal's stylesheet, run under the Content-Security-Policy without a violation, and a form
sent during the outage comes back with what was typed once the portal answers again."""

import re

import pytest
from playwright.sync_api import expect

from dossiers.constants import Status
from dossiers.models import Dossier
from tests.factories import CitizenFactory, online_version
from tests.portal.error_urls import BROKEN_PATH
from tests.portal.outages import database_unreachable

from .officers import CITIZEN_PASSWORD, log_in, with_password
from .test_content_security_policy import watch

pytestmark = pytest.mark.django_db(transaction=True)

RED = "rgb(183, 28, 28)"  # the header's --red in static/css/portal.css
BLUE = "rgb(11, 79, 138)"  # a primary button's --blue


def styled(page) -> None:
    """The portal's stylesheet applied: its header and buttons, not the browser's defaults."""
    expect(page.locator(".site-header")).to_have_css("background-color", RED)
    expect(page.locator(".error-actions .button.primary")).to_have_css("background-color", BLUE)
    expect(page.get_by_role("link", name="Về trang chủ")).to_be_visible()


def test_the_503_and_500_pages_are_the_portals_own_and_break_no_policy(page, settings):
    refused = watch(page)
    assert page.goto(page.base_url + "/thu-tuc/").status == 200
    with database_unreachable():
        response = page.goto(page.base_url + "/thu-tuc/?q=khai+sinh")
        assert response.status == 503 and response.headers["retry-after"] == "30"
        assert "script-src 'self'" in response.headers["content-security-policy"]
        expect(page.get_by_role("heading", level=1)).to_have_text("Hệ thống tạm thời gián đoạn")
        styled(page)
        expect(page.locator(".error-reference")).to_contain_text("Mã tham chiếu:")
        page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Thử lại").click()  # the portal is back: the same search
    expect(page).to_have_url(re.compile(r"/thu-tuc/\?q=khai\+sinh$"))
    expect(page.locator("main")).not_to_contain_text("Hệ thống tạm thời gián đoạn")

    settings.ROOT_URLCONF = "tests.portal.error_urls"
    response = page.goto(page.base_url + BROKEN_PATH)
    assert response.status == 500
    expect(page.get_by_role("heading", level=1)).to_have_text("Hệ thống đang gặp sự cố")
    styled(page)
    page.wait_for_load_state("networkidle")
    assert refused == [], refused


def test_a_form_sent_during_the_outage_comes_back_with_what_was_typed(page):
    version = online_version()
    citizen = with_password(CitizenFactory(), CITIZEN_PASSWORD)
    refused = watch(page)
    log_in(page, citizen.username, CITIZEN_PASSWORD)
    page.goto(page.base_url + f"/nop-ho-so/{version.procedure.national_code}/")
    form = page.locator("#dossier-form")
    expect(form).to_be_visible()
    page.locator("#id_f_noi_dung").fill("Cấp bản sao trích lục khai sinh")
    expect(page.locator("#autosave-status")).to_contain_text("Đã lưu nháp")  # saved while typing
    page.locator("#id_applicant_address").fill("Thôn Đông, xã Quảng Phú")  # not saved yet
    with database_unreachable():
        page.get_by_role("button", name="Lưu nháp").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Hệ thống tạm thời gián đoạn")
        styled(page)
        main = page.locator("main")
        expect(main).to_contain_text("Yêu cầu bạn vừa gửi chưa được thực hiện: chưa có gì được nộp.")
        expect(main).to_contain_text("được lưu nháp tự động trong khi bạn gõ")
        # Going back now would draw the form as another error page: the button waits.
        page.get_by_role("link", name="Quay lại trang trước").click()
        expect(page.locator("#back-status")).to_contain_text("Hệ thống chưa trở lại")
        page.wait_for_timeout(6000)  # a second check of the portal's health, still down
        expect(page.get_by_role("heading", level=1)).to_have_text("Hệ thống tạm thời gián đoạn")
    # The portal answers again: the form comes back by itself, with everything typed.
    expect(form).to_be_visible(timeout=20000)
    expect(page.locator("#id_applicant_address")).to_have_value("Thôn Đông, xã Quảng Phú")
    expect(page.locator("#id_f_noi_dung")).to_have_value("Cấp bản sao trích lục khai sinh")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu nháp")
    dossier = Dossier.objects.get(owner=citizen)
    assert dossier.status == Status.DRAFT and dossier.applicant_address == "Thôn Đông, xã Quảng Phú"
    assert refused == [], refused
