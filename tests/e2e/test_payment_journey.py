"""A citizen pays a level-4 fee through the sandbox gateway on a phone, and downloads the
receipt: the portal, the gateway (its own HTTP server) and VNPay's IPN over real HTTP."""

import io
import re
import unicodedata

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from dossiers.models import Dossier
from payments.constants import AttemptState
from payments.models import PaymentAttempt
from procedures.constants import FeeKind
from tests.dossiers.staff import agency_staff, submitted_dossier, version_for
from tests.factories import CitizenFactory
from tests.payments.sandbox import running_sandbox

from .officers import CITIZEN_PASSWORD, log_in, with_password

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sandbox(live_server, tmp_path, settings):
    with running_sandbox(live_server, tmp_path, settings, ipn_attempts=5) as gateway:
        yield gateway


def test_a_citizen_pays_the_fee_through_the_sandbox_and_downloads_the_receipt(browser, live_server, sandbox):
    staff = agency_staff()
    citizen = CitizenFactory(full_name="Lê Thị Hoa")
    version = version_for(
        staff.agency,
        level=4,
        name="Cấp Phiếu lý lịch tư pháp",
        fees=[(FeeKind.LEVY, "LP1", "Lệ phí cấp Phiếu lý lịch tư pháp", 200_000, 100_000)],
    )
    dossier = submitted_dossier(staff.agency, citizen=citizen, version=version)

    context = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 740}, is_mobile=True)
    context.set_default_timeout(15000)
    try:
        page = context.new_page()
        page.base_url = live_server.url
        with_password(citizen, CITIZEN_PASSWORD)
        log_in(page, citizen.username, CITIZEN_PASSWORD)
        page.goto(f"{live_server.url}/ho-so/{dossier.public_id}/")
        due = page.locator("#payment-due")
        expect(due).to_contain_text("100.000 đ")
        due.get_by_role("link", name="Nộp phí, lệ phí trực tuyến").click()
        expect(page.locator("#amount-due")).to_have_text("100.000 đ")
        expect(page.locator("body")).to_contain_text("Giảm 100.000 đ khi nộp trực tuyến")
        page.get_by_role("button", name=re.compile("Thanh toán 100.000 đ qua VNPay")).click()

        # On the gateway's own page.
        expect(page.locator("h1")).to_have_text("Cổng thanh toán thử nghiệm (VNPay 2.1.0)")
        expect(page.locator("#amount")).to_have_text("100.000 đ")
        attempt = PaymentAttempt.objects.get(dossier=dossier)
        expect(page.locator("#txn-ref")).to_have_text(attempt.txn_ref)
        page.get_by_role("button", name="Thanh toán thành công").click()

        # Back on the portal: the IPN came first, so the ledger already says paid.
        expect(page).to_have_url(re.compile(r"/payments/vnpay/return/\?"))
        expect(page.locator("h1")).to_have_text("Thanh toán thành công")
        attempt.refresh_from_db()
        assert attempt.state == AttemptState.SUCCEEDED
        assert sandbox.transactions[attempt.txn_ref].ipn_replies == ["00"]
        link = page.get_by_role("link", name="Tải biên lai (PDF)")
        response = page.request.get(live_server.url + link.get_attribute("href"))
        assert response.ok and response.headers["content-type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.body()))
        text = " ".join(unicodedata.normalize("NFC", reader.pages[0].extract_text()).split())
        assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text and "Một trăm nghìn đồng" in text
        assert "Lê Thị Hoa" in text and dossier.code in text and attempt.txn_ref in text

        # The dossier page now lists the payment instead of asking for it.
        page.get_by_role("link", name=re.compile("Quay lại hồ sơ")).click()
        expect(page.locator("#payment-due")).to_have_count(0)
        expect(page.locator("body")).to_contain_text("Phí, lệ phí đã nộp")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the dossier page scrolls sideways on a phone ({width}px)"
        assert Dossier.objects.get(pk=dossier.pk).status == 1  # paid before receipt: still waiting to be received
    finally:
        context.close()
