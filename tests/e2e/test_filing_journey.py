"""A newcomer on a cheap phone files a dossier online, follows it and withdraws it.

360×740 viewport. Every click, tap, typed field and chosen file is counted as one
interaction; the newcomer path (search → procedure → register → form → documents →
submit) is reported in docs/BENCHMARKS.md.
"""

import re

import pytest
from playwright.sync_api import expect

from dossiers import services
from dossiers.constants import Status
from dossiers.models import Dossier
from tests.dossiers.files import pdf, photo
from tests.factories import CitizenFactory, online_version

pytestmark = pytest.mark.django_db(transaction=True)

ID_NUMBER = "038087012345"  # Thanh Hóa, man born 1987


class Counter:
    def __init__(self, page):
        self.page = page
        self.n = 0
        self.bytes_per_page: dict[str, int] = {}
        page.on("response", self._weigh)

    def _weigh(self, response):
        try:
            body = response.body()
        except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
            return
        url = self.page.url
        self.bytes_per_page[url] = self.bytes_per_page.get(url, 0) + len(body)

    def click(self, locator):
        self.n += 1
        locator.click()

    def fill(self, locator, value):
        self.n += 1
        locator.fill(value)

    def files(self, locator, payloads):
        self.n += 1
        locator.set_input_files(payloads)


def as_payload(upload):
    return {"name": upload.name, "mimeType": upload.content_type, "buffer": upload.read()}


def test_newcomer_files_online_resumes_tracks_and_withdraws(phone_page, browser, live_server):
    online_version(name="Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", level=3)
    page = phone_page
    act = Counter(page)

    # Find the procedure by searching without diacritics.
    page.goto(page.base_url + "/")
    act.fill(page.locator("form.search input[name=q]"), "ly lich tu phap")
    act.click(page.get_by_role("button", name="Tìm kiếm"))
    act.click(page.get_by_role("link", name=re.compile("Cấp Phiếu lý lịch tư pháp")))
    act.click(page.get_by_role("link", name="Nộp hồ sơ trực tuyến").first)

    # Not logged in: straight to registration, with a wrong ID number first.
    expect(page).to_have_url(re.compile("/dang-ky/"))
    act.fill(page.locator("#id_national_id"), "038087")
    act.fill(page.locator("#id_full_name"), "Lê Văn Bình")
    act.fill(page.locator("#id_date_of_birth"), "1987-05-02")
    act.fill(page.locator("#id_phone"), "0912345678")
    act.fill(page.locator("#id_password1"), "Thanhhoa@2026")
    act.click(page.get_by_role("button", name=re.compile("Đăng ký")))
    expect(page.locator("body")).to_contain_text("12 chữ số")
    act.fill(page.locator("#id_national_id"), ID_NUMBER)
    if not page.locator("#id_password1").input_value():
        act.fill(page.locator("#id_password1"), "Thanhhoa@2026")
    act.click(page.get_by_role("button", name=re.compile("Đăng ký")))

    # Straight into the draft (one agency, no cases), prefilled from the profile.
    expect(page.locator("h1")).to_contain_text("Cấp Phiếu lý lịch tư pháp")
    expect(page.locator("#id_applicant_id_number")).to_have_value(ID_NUMBER)
    act.fill(page.locator("#id_f_noi_dung"), "Xin cấp phiếu để bổ sung hồ sơ xin việc")
    docs = services.required_documents_for(Dossier.objects.get())
    form_doc = next(d for d in docs if d.required)
    other_doc = next(d for d in docs if not d.required)
    act.files(
        page.locator(f"#file_{form_doc.pk}"),
        [as_payload(photo("trang1.jpg", orientation=6)), as_payload(photo("trang2.jpg"))],
    )
    act.files(page.locator(f"#file_{other_doc.pk}"), [as_payload(pdf("cccd.pdf"))])
    act.click(page.get_by_role("button", name="Lưu nháp"))
    expect(page.locator(".messages")).to_contain_text("Đã lưu nháp")
    expect(page.locator(f"#doc-{form_doc.pk} .pages img")).to_have_count(2)
    expect(page.locator(f"#doc-{other_doc.pk} .attached")).to_contain_text("Đã đính kèm")
    newcomer_interactions_before_submit = act.n

    # Leave, come back later and resume the draft from "Hồ sơ của tôi".
    page.goto(page.base_url + "/")
    page.goto(page.base_url + "/ho-so/")
    expect(page.locator(".dossier-item")).to_contain_text("Đang soạn, chưa nộp")
    page.get_by_role("link", name=re.compile("Cấp Phiếu lý lịch tư pháp")).click()
    expect(page.locator("#id_f_noi_dung")).to_have_value("Xin cấp phiếu để bổ sung hồ sơ xin việc")
    expect(page.locator(f"#doc-{form_doc.pk} .pages img")).to_have_count(2)

    # Submit (a double click must not make two dossiers) and see the code.
    page.get_by_role("button", name="Nộp hồ sơ").dblclick()
    act.n += 1
    expect(page.locator("h1")).to_contain_text("Đã nộp hồ sơ thành công")
    code = page.locator("#dossier-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z.]+-\d{6}-\d{4}", code)
    expect(page.locator(".qr svg")).to_be_visible()
    assert Dossier.objects.count() == 1
    dossier = Dossier.objects.get()
    assert dossier.status == Status.SUBMITTED and dossier.code == code
    # The two phone photos became one PDF (the render task runs in-process in tests).
    slot = dossier.documents.get(required_document=form_doc)
    assert slot.stored_file is not None and slot.stored_file.page_count == 2
    newcomer_total = newcomer_interactions_before_submit + 1

    # Anyone can track it publicly with the code and the last four digits.
    public = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    other = public.new_page()
    other.goto(page.base_url + "/tra-cuu/")
    other.locator("#ma").fill(code)
    other.locator("#so").fill("9999")
    other.get_by_role("button", name="Tra cứu").click()
    expect(other.locator("body")).to_contain_text("Không tìm thấy hồ sơ")
    other.locator("#so").fill(ID_NUMBER[-4:])
    other.get_by_role("button", name="Tra cứu").click()
    expect(other.locator(".track-result")).to_contain_text("Đã nộp, chờ cơ quan tiếp nhận")
    public.close()

    # Withdraw, with a reason.
    page.goto(page.base_url + "/ho-so/")
    page.get_by_role("link", name=re.compile("Cấp Phiếu lý lịch tư pháp")).click()
    page.get_by_role("button", name="Rút hồ sơ").click()
    expect(page.locator("body")).to_contain_text("Hãy ghi rõ lý do")
    page.locator("#reason").fill("Tôi đã nhận phiếu ở nơi khác")
    page.get_by_role("button", name="Rút hồ sơ").click()
    expect(page.locator(".status")).to_contain_text("Đã rút hồ sơ")
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN

    assert newcomer_total > 12  # this journey includes a mistake and a saved draft; see the clean path below


def test_document_from_the_wallet_is_attached_without_upload(phone_page, live_server):
    user = CitizenFactory(password="Matkhau@2026")
    first_version = online_version(name="Đăng ký khai sinh")
    agency = services.filing_agencies(first_version)[0]
    earlier = services.dossier_start(user=user, version=first_version, agency=agency)
    services.dossier_save_draft(dossier=earlier, actor=user, applicant={}, answers={"noi_dung": "Khai sinh cho con"})
    for doc in services.required_documents_for(earlier):
        services.document_add_files(dossier=earlier, required_document=doc, files=[pdf("to-khai.pdf")], actor=user)
    services.dossier_submit(dossier=earlier, actor=user)

    version = online_version(name="Đăng ký kết hôn")
    page = phone_page
    page.goto(page.base_url + f"/nop-ho-so/{version.procedure.national_code}/")
    page.locator(".have-account a").click()
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill("Matkhau@2026")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("h1")).to_contain_text("Đăng ký kết hôn")
    page.locator("#id_f_noi_dung").fill("Đăng ký kết hôn")
    dossier = Dossier.objects.get(owner=user, procedure_version=version)
    doc = next(d for d in services.required_documents_for(dossier) if d.required)
    page.locator(f"#doc-{doc.pk} summary").click()
    page.locator(f"#wallet_{doc.pk}").select_option(index=1)
    page.locator(f"#doc-{doc.pk}").get_by_role("button", name="Dùng giấy tờ này").click()
    expect(page.locator(f"#doc-{doc.pk} .attached")).to_contain_text("Đã đính kèm")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.locator("h1")).to_contain_text("Đã nộp hồ sơ thành công")
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    reused = dossier.documents.get(required_document=doc).stored_file
    assert reused.owner == user
    assert reused.uses.count() == 2  # the same wallet file serves both dossiers


def test_newcomer_clean_path_takes_at_most_12_interactions_and_pages_stay_light(phone_page, live_server):
    """The figure in docs/BENCHMARKS.md: home → search → file online → register →
    answer → photos → submit, on a phone, counting every tap, typed field and file pick."""
    online_version(name="Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", level=3)
    page = phone_page
    act = Counter(page)
    page.goto(page.base_url + "/")
    act.fill(page.locator("form.search input[name=q]"), "ly lich tu phap")
    act.click(page.get_by_role("button", name="Tìm kiếm"))
    act.click(page.locator(".file-online").first)
    act.fill(page.locator("#id_national_id"), ID_NUMBER)
    act.fill(page.locator("#id_full_name"), "Lê Văn Bình")
    act.fill(page.locator("#id_date_of_birth"), "1987-05-02")
    act.fill(page.locator("#id_phone"), "0912345678")
    act.fill(page.locator("#id_password1"), "Thanhhoa@2026")
    act.click(page.get_by_role("button", name=re.compile("Đăng ký")))
    act.fill(page.locator("#id_f_noi_dung"), "Xin cấp phiếu để đi làm")
    required = next(d for d in services.required_documents_for(Dossier.objects.get()) if d.required)
    act.files(page.locator(f"#file_{required.pk}"), [as_payload(photo("1.jpg")), as_payload(photo("2.jpg"))])
    act.click(page.get_by_role("button", name="Nộp hồ sơ"))
    expect(page.locator("h1")).to_contain_text("Đã nộp hồ sơ thành công")
    heaviest = max(act.bytes_per_page.values())
    print(f"\nNEWCOMER_INTERACTIONS={act.n} HEAVIEST_PAGE_BYTES={heaviest} PAGES={len(act.bytes_per_page)}")
    assert act.n <= 12
    assert heaviest < 100 * 1024, act.bytes_per_page
