"""A citizen sends feedback about a dossier; the agency's officer, in another browser,
accepts, answers and publishes it; the citizen reads the published answer."""

import pytest
from playwright.sync_api import expect

from tests.dossiers.staff import agency_staff, dossier_at
from tests.factories import CitizenFactory

from .officers import CITIZEN_PASSWORD, PASSWORD, log_in, new_page, with_password

pytestmark = pytest.mark.django_db(transaction=True)


def test_feedback_sent_answered_and_published(browser, live_server):
    staff = agency_staff()
    citizen = CitizenFactory(full_name="Lê Thị Hoa")
    dossier = dossier_at(staff, "returned", citizen=citizen)
    contexts: list = []
    try:
        page = new_page(browser, live_server.url, contexts)
        with_password(citizen, CITIZEN_PASSWORD)
        log_in(page, citizen.username, CITIZEN_PASSWORD)
        page.goto(f"{live_server.url}/ho-so/{dossier.public_id}/")
        page.get_by_role("link", name="Gửi phản ánh, kiến nghị về hồ sơ này").click()
        expect(page.locator("body")).to_contain_text(f"Về hồ sơ {dossier.code}")
        page.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()  # empty: refused at the fields
        expect(page.locator("#err-kind")).to_be_visible()
        page.locator("input[name=kind][value=report]").check()
        page.locator("#fb-title").fill("Phải đi lại nhiều lần")
        page.locator("#fb-content").fill("Tôi phải đến ba lần mới nộp được hồ sơ vì thiếu hướng dẫn.")
        page.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
        expect(page.locator("#fb-state")).to_have_text("Chờ tiếp nhận")

        desk = new_page(browser, live_server.url, contexts)
        with_password(staff.desk, PASSWORD)
        log_in(desk, staff.desk.username, PASSWORD)
        desk.get_by_role("link", name="Phản ánh, kiến nghị cần xử lý").click()
        desk.get_by_role("link", name="Phải đi lại nhiều lần").click()
        desk.get_by_role("button", name="Tiếp nhận", exact=True).click()
        expect(desk.locator("#fb-state")).to_have_text("Đang xử lý")
        desk.locator("#fb-answer").fill("Cơ quan đã bổ sung hướng dẫn và xin lỗi bà.")
        desk.get_by_role("button", name="Trả lời", exact=True).click()
        desk.get_by_role("button", name="Công khai câu trả lời").click()
        expect(desk.locator("#fb-state")).to_have_text("Đã công khai")

        page.goto(f"{live_server.url}/phan-anh/")
        page.get_by_role("link", name="Phải đi lại nhiều lần").click()
        expect(page.locator("#fb-answer")).to_have_text("Cơ quan đã bổ sung hướng dẫn và xin lỗi bà.")
        from notifications.constants import Event
        from notifications.models import Notification

        assert Notification.objects.filter(recipient=citizen, event=Event.FEEDBACK_ANSWERED, state="sent").exists()
    finally:
        for context in contexts:
            context.close()
