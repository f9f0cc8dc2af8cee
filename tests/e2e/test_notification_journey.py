"""The citizen's unread count and list follow what an officer does, without a reload.

The citizen watches on a phone (360×740) while the one-stop officer receives the dossier
in another browser context; the header's count, polled by static/js/notifications.js,
goes from 1 to 2, and the list shows the receipt with its appointment date."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.dossiers.staff import agency_staff, submitted_dossier
from tests.factories import CitizenFactory

from .officers import CITIZEN_PASSWORD, PASSWORD, action_form, expect_done, log_in, submit_action, with_password

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_citizen_sees_the_officers_action_in_the_unread_count_and_the_list(browser, live_server, settings):
    settings.NOTIFICATIONS_POLL_SECONDS = 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "notifications.sms.ConsoleBackend"
    staff = agency_staff()
    citizen = CitizenFactory(full_name="Lê Thị Hoa")
    dossier = submitted_dossier(staff.agency, citizen=citizen, name="Cấp bản sao trích lục hộ tịch")

    phone = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    office = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    try:
        for context in (phone, office):
            context.set_default_timeout(15000)
        page = phone.new_page()
        page.base_url = live_server.url
        with_password(citizen, CITIZEN_PASSWORD)
        log_in(page, citizen.username, CITIZEN_PASSWORD)
        badge = page.locator("#unread-count")
        expect(badge).to_have_text("1")  # "Đã nộp hồ sơ"
        expect(badge).to_be_visible()

        desk = office.new_page()
        desk.base_url = live_server.url
        with_password(staff.desk, PASSWORD)
        log_in(desk, staff.desk.username, PASSWORD)
        desk.goto(f"{live_server.url}/can-bo/ho-so/{dossier.code}/")
        submit_action(action_form(desk, "receive"), "Tiếp nhận")
        expect_done(desk, "Tiếp nhận")

        # No reload on the phone: the count polled in the background goes up.
        expect(badge).to_have_text("2", timeout=10000)
        dossier.refresh_from_db()
        due = f"{timezone.localtime(dossier.due_at):%d/%m/%Y %H:%M}"

        page.locator(".inbox-link").click()
        expect(page).to_have_url(re.compile(r"/thong-bao/$"))
        items = page.locator(".notification-item")
        expect(items).to_have_count(2)
        expect(items.first).to_have_class(re.compile("unread"))
        expect(items.first).to_contain_text(f"Hồ sơ {dossier.code} đã được tiếp nhận, hẹn trả {due}")
        expect(items.nth(1)).to_contain_text("đã được nộp")
        expect(page.locator("#unread-count")).to_be_hidden()  # everything shown is now read
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the list scrolls sideways on a phone ({width}px)"

        items.first.get_by_role("link", name=re.compile("Xem hồ sơ")).click()
        expect(page.locator("h1")).to_contain_text("Cấp bản sao trích lục hộ tịch")
        expect(page.locator("#unread-count")).to_be_hidden()
    finally:
        phone.close()
        office.close()
