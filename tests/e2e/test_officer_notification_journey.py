"""The one-stop officer hears of a new online dossier at once in the portal, and, having
chosen one digest a day, finds the day's events in one e-mail at closing time.

The officer first asks for the digest with e-mail off (refused at the field, the choice kept),
then turns e-mail on; a citizen on a phone submits a prepared draft with "Nộp hồ sơ"; the
officer's header count goes to 1 without a reload and the list opens the dossier on the desk;
no e-mail has gone; the daily digest (the beat's work, run here for a working day) sends one
e-mail listing the dossier."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from playwright.sync_api import expect

from dossiers.models import Dossier
from notifications import services
from notifications.constants import Channel, Event, OfficerEmail, State
from notifications.models import ChannelPreference, Notification
from tests.dossiers import files
from tests.dossiers.staff import agency_staff, version_for
from tests.factories import CitizenFactory

from .officers import CITIZEN_PASSWORD, PASSWORD, log_in, with_password

pytestmark = pytest.mark.django_db(transaction=True)
MONDAY_CLOSING = datetime.datetime(2026, 12, 7, 17, 15, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def _draft(citizen, version, agency) -> Dossier:
    """A draft with everything required, as the citizen left it (the filing page's own
    journeys are in test_filing_journey.py)."""
    from dossiers import services as filing

    dossier = filing.dossier_start(user=citizen, version=version, agency=agency)
    filing.dossier_save_draft(dossier=dossier, actor=citizen, applicant={}, answers={"noi_dung": "Trích lục khai sinh"})
    for doc in filing.required_documents_for(dossier):
        if doc.required:
            filing.document_add_files(dossier=dossier, required_document=doc, files=[files.pdf()], actor=citizen)
    return dossier


def test_the_desk_sees_a_new_online_dossier_at_once_and_gets_the_daily_digest(browser, live_server, settings):
    settings.NOTIFICATIONS_POLL_SECONDS = 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "notifications.sms.ConsoleBackend"
    staff = agency_staff()
    citizen = CitizenFactory(full_name="Lê Thị Hoa")
    version = version_for(staff.agency, name="Cấp bản sao trích lục hộ tịch")
    draft = _draft(citizen, version, staff.agency)

    office = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    phone = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    try:
        for context in (office, phone):
            context.set_default_timeout(15000)
        desk = office.new_page()
        desk.base_url = live_server.url
        with_password(staff.desk, PASSWORD)
        log_in(desk, staff.desk.username, PASSWORD)

        # The officer's own notification settings: a digest without e-mail is refused at the field.
        desk.goto(f"{live_server.url}/thong-bao/cai-dat/")
        desk.locator("#id_email").uncheck()
        desk.locator(f"#id_officer_email_{OfficerEmail.DAILY}").check()
        desk.get_by_role("button", name="Lưu").click()
        expect(desk.locator("#err-officer_email")).to_contain_text("Thư tổng hợp được gửi qua thư điện tử")
        expect(desk.locator(f"#id_officer_email_{OfficerEmail.DAILY}")).to_be_checked()  # the choice kept
        desk.locator("#id_email").check()
        desk.get_by_role("button", name="Lưu").click()
        expect(desk.locator(".messages")).to_contain_text("Đã lưu cách nhận thông báo.")
        expect(desk.locator(f"#id_officer_email_{OfficerEmail.DAILY}")).to_be_checked()
        assert ChannelPreference.objects.get(user=staff.desk).officer_email == OfficerEmail.DAILY
        badge = desk.locator("#unread-count")
        expect(badge).to_be_hidden()

        # The citizen submits online, on a phone.
        page = phone.new_page()
        page.base_url = live_server.url
        with_password(citizen, CITIZEN_PASSWORD)
        log_in(page, citizen.username, CITIZEN_PASSWORD)
        page.goto(f"{live_server.url}/ho-so/{draft.public_id}/soan/")
        page.get_by_role("button", name="Nộp hồ sơ").click()
        expect(page.locator("h1")).to_contain_text("Đã nộp hồ sơ thành công")
        draft.refresh_from_db()
        code = draft.code

        # The officer's count goes up without a reload; the list opens the dossier on the desk.
        expect(badge).to_have_text("1", timeout=10000)
        desk.locator(".inbox-link").click()
        item = desk.locator(".notification-item").first
        expect(item).to_contain_text(f"Hồ sơ trực tuyến mới {code} chờ tiếp nhận")
        expect(item).to_contain_text("Lê Thị Hoa")
        item.get_by_role("link", name=re.compile("Mở hồ sơ")).click()
        expect(desk).to_have_url(re.compile(rf"/can-bo/ho-so/{re.escape(code)}/$"))
        expect(desk.locator("body")).to_contain_text("Cấp bản sao trích lục hộ tịch")

        # No e-mail yet: it waits for the digest.
        assert not [m for m in mail.outbox if m.to == [staff.desk.email]]
        held = Notification.objects.get(recipient=staff.desk, channel=Channel.EMAIL, event=Event.NEW_DOSSIER)
        assert held.state == State.HELD

        # Closing time on a working day: the beat's daily digest.
        assert services.officer_email_digests(now=MONDAY_CLOSING) == 1
        (digest,) = [m for m in mail.outbox if m.to == [staff.desk.email]]
        assert digest.subject == "1 thông báo công việc đến ngày 07/12/2026"
        assert f"Hồ sơ trực tuyến mới {code} chờ tiếp nhận" in digest.body
        assert f"/can-bo/ho-so/{code}/" in digest.body
        assert services.officer_email_digests(now=MONDAY_CLOSING) == 0  # nothing twice
    finally:
        office.close()
        phone.close()
