"""A citizen sends feedback about a dossier; the agency's one-stop officer, in another
browser, classifies it as officers' conduct and gives it to a specialist who did not act on
the dossier (the one who did is refused at the field), who finds it in their own queue,
answers it and publishes the answer; the citizen reads it and likes it."""

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
        desk.locator("#fb-assignee-accept").select_option(str(staff.specialist.pk))
        desk.get_by_role("button", name="Tiếp nhận", exact=True).click()  # not classified: refused at the field
        expect(desk.locator("#err-category")).to_be_visible()
        expect(desk.locator("#fb-assignee-accept")).to_have_value(str(staff.specialist.pk))  # choice kept
        desk.get_by_label("Hành vi của cán bộ, công chức").check()
        desk.get_by_role("button", name="Tiếp nhận", exact=True).click()
        # About officers' conduct: the specialist who handled the dossier may not handle it.
        expect(desk.locator("#err-assignee")).to_contain_text("Cán bộ bị phản ánh không được giao xử lý")
        desk.get_by_label("Hành vi của cán bộ, công chức").check()
        desk.locator("#fb-assignee-accept").select_option(str(staff.other_specialist.pk))
        desk.get_by_role("button", name="Tiếp nhận", exact=True).click()
        expect(desk.locator("#fb-state")).to_have_text("Đang xử lý")
        expect(desk.locator("#fb-category")).to_have_text("Hành vi của cán bộ, công chức")
        expect(desk.locator("#fb-assignee")).to_have_text(staff.other_specialist.full_name)

        specialist = new_page(browser, live_server.url, contexts)
        with_password(staff.other_specialist, PASSWORD)
        log_in(specialist, staff.other_specialist.username, PASSWORD)
        specialist.goto(f"{live_server.url}/can-bo/phan-anh/")
        specialist.get_by_label("Chỉ phản ánh giao cho tôi").check()
        specialist.get_by_role("button", name="Lọc").click()
        specialist.get_by_role("link", name="Phải đi lại nhiều lần").click()
        specialist.locator("#fb-answer").fill("Ngắn")
        specialist.get_by_role("button", name="Trả lời", exact=True).click()
        expect(specialist.locator("#err-answer")).to_be_visible()
        specialist.locator("#fb-answer").fill("Cơ quan đã bổ sung hướng dẫn và xin lỗi bà.")
        specialist.get_by_role("button", name="Trả lời", exact=True).click()
        expect(specialist.locator("#fb-state")).to_have_text("Đã trả lời, chờ công khai")

        # The desk officer received the dossier complained of: the handler publishes.
        specialist.get_by_role("button", name="Công khai câu trả lời").click()
        expect(specialist.locator("#fb-state")).to_have_text("Đã công khai")

        page.goto(f"{live_server.url}/phan-anh/")
        page.get_by_role("link", name="Phải đi lại nhiều lần").click()
        expect(page.locator("#fb-answer")).to_have_text("Cơ quan đã bổ sung hướng dẫn và xin lỗi bà.")
        page.get_by_role("button", name="👍 Hài lòng (0)").click()
        expect(page.locator("#fb-likes")).to_have_text("1")
        expect(page.locator("#fb-dislikes")).to_have_text("0")
        from notifications.constants import Event
        from notifications.models import Notification

        assert Notification.objects.filter(recipient=citizen, event=Event.FEEDBACK_ANSWERED, state="sent").exists()
    finally:
        for context in contexts:
            context.close()
