"""Officers' journeys in the browser: the desk, the specialist and the leaders of one agency
move a dossier through the workflow, each in their own browser context, while the
citizen follows (and answers) in another; then bad input, counter intake, apology and
another agency's officer who must not see the dossier.

Everyone logs in through the real login page (officers with their username)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from dossiers import deadlines, services
from dossiers.constants import Status, Step
from dossiers.models import Dossier, StatusChange
from procedures.constants import ApprovalChain
from tests.dossiers.staff import DEPARTMENT, agency_staff, dossier_at, submitted_dossier, version_for
from tests.factories import CitizenFactory

from .officers import (
    CITIZEN_PASSWORD,
    PASSWORD,
    action_form,
    check_issued_form,
    expect_done,
    expect_listed,
    expect_queue_count,
    fact,
    log_in,
    new_page,
    open_from_queue,
    open_queue,
    pdf_payload,
    queue_link,
    shown,
    submit_action,
    with_password,
)

pytestmark = pytest.mark.django_db(transaction=True)

PROCEDURE = "Cấp bản sao trích lục hộ tịch"


@pytest.fixture
def sign_in(browser, live_server):
    """``sign_in(user)``: a new browser context (its own cookies) logged in as ``user``;
    ``sign_in(None)``: a new context nobody is logged in to."""
    contexts = []

    def _sign_in(user, password=None):
        page = new_page(browser, live_server.url, contexts)
        if user is not None:
            password = password or (CITIZEN_PASSWORD if user.national_id else PASSWORD)
            with_password(user, password)
            log_in(page, user.username, password)
        return page

    yield _sign_in
    for context in contexts:
        context.close()


def my_dossier(page, code):
    """The dossier's row in the citizen's "Hồ sơ của tôi"."""
    page.goto(page.base_url + "/ho-so/")
    return page.locator(".dossier-item", has_text=code)


def test_officers_take_an_online_dossier_to_the_result_while_the_citizen_follows(sign_in):
    staff = agency_staff()
    citizen = CitizenFactory(full_name="Lê Thị Hoa")
    dossier = submitted_dossier(staff.agency, citizen=citizen, name=PROCEDURE)
    code = dossier.code

    # The citizen, in a second context, sees the dossier waiting for the agency.
    citizen_page = sign_in(citizen)
    expect(citizen_page).to_have_url(re.compile(r"/ho-so/$"))
    expect(my_dossier(citizen_page, code).locator(".status")).to_have_text("Đã nộp, chờ cơ quan tiếp nhận")

    # The desk officer lands on "Chờ tiếp nhận" with its count and opens the dossier.
    desk = sign_in(staff.desk)
    expect(desk).to_have_url(re.compile(r"/can-bo/$"))
    expect(queue_link(desk, "cho-tiep-nhan")).to_have_attribute("aria-current", "page")
    expect_queue_count(desk, "cho-tiep-nhan", 1)
    expect_listed(desk, [code])
    desk.locator("table.queue a.code", has_text=code).click()
    expect(desk.locator("h1")).to_have_text(PROCEDURE)
    expect(fact(desk, "Trạng thái")).to_contain_text("Mới đăng ký")
    expect(fact(desk, "Ngày hẹn trả")).to_have_count(0)

    # Receive: the appointment date appears.
    receive = action_form(desk, "receive")
    submit_action(receive, "Tiếp nhận")
    expect_done(desk, "Tiếp nhận")
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED and dossier.due_at is not None
    expect(fact(desk, "Trạng thái")).to_contain_text("Được tiếp nhận")
    expect(fact(desk, "Ngày hẹn trả")).to_have_text(shown(dossier.due_at))
    check_issued_form(desk, "01")  # the receipt, once the printing app issues it

    expect(my_dossier(citizen_page, code).locator(".status")).to_have_text("Cơ quan đã tiếp nhận")
    expect(my_dossier(citizen_page, code)).to_contain_text(f"Hẹn trả {timezone.localtime(dossier.due_at):%d/%m/%Y}")

    # Assign to the department and its specialist.
    assign = action_form(desk, "assign")
    assign.locator("#assign-department").select_option(DEPARTMENT)
    assign.locator("#assign-handler").select_option(str(staff.specialist.pk))
    submit_action(assign, "Chuyển phòng, chuyên viên xử lý")
    expect_done(desk, "Chuyển phòng, chuyên viên xử lý")
    expect(fact(desk, "Trạng thái")).to_contain_text("Đang xử lý – Chuyên viên đang xử lý")
    expect(fact(desk, "Phòng xử lý")).to_have_text(DEPARTMENT)
    expect(fact(desk, "Chuyên viên")).to_have_text("Phạm Văn Đức")
    desk.goto(desk.base_url + "/can-bo/")
    expect_queue_count(desk, "cho-tiep-nhan", 0)

    # The specialist finds it in "Tôi đang xử lý" and proposes a result.
    specialist = sign_in(staff.specialist)
    expect(queue_link(specialist, "cua-toi")).to_have_attribute("aria-current", "page")
    expect_queue_count(specialist, "cua-toi", 1)
    specialist.locator("table.queue a.code", has_text=code).click()
    propose = action_form(specialist, "propose")
    propose.locator("#propose-note").fill("Đủ điều kiện, đề nghị cấp bản sao trích lục.")
    submit_action(propose, "Trình lãnh đạo duyệt kết quả")
    expect_done(specialist, "Trình lãnh đạo duyệt kết quả")
    expect(fact(specialist, "Trạng thái")).to_contain_text("Chờ lãnh đạo duyệt")
    expect(specialist.locator("details[id^=tt-]")).to_have_count(0)  # nothing left for the specialist

    expect(my_dossier(citizen_page, code).locator(".status")).to_have_text("Đang giải quyết")

    # The department leader approves it from "Chờ tôi duyệt".
    leader = sign_in(staff.department_leader)
    expect(queue_link(leader, "cho-duyet")).to_have_attribute("aria-current", "page")
    expect_queue_count(leader, "cho-duyet", 1)
    leader.locator("table.queue a.code", has_text=code).click()
    expect(leader.locator(".steps-table")).to_contain_text("Đủ điều kiện, đề nghị cấp bản sao trích lục.")
    approve = action_form(leader, "approve")
    submit_action(approve, "Duyệt kết quả")
    expect_done(leader, "Duyệt kết quả")
    expect(fact(leader, "Trạng thái")).to_contain_text("Đã duyệt, chờ ban hành kết quả")

    # The desk records the result with its PDF …
    open_from_queue(desk, "cho-ban-hanh", code)
    record = action_form(desk, "record_result")
    record.locator("#record_result-number").fill("15/TP-HT")
    record.locator("#record_result-issued_on").fill(timezone.localdate().isoformat())
    record.locator("#record_result-summary").fill("Bản sao trích lục khai sinh")
    record.locator("#record_result-file").set_input_files(pdf_payload())
    submit_action(record, "Ghi nhận kết quả")
    expect_done(desk, "Ghi nhận kết quả")
    expect(fact(desk, "Trạng thái")).to_contain_text("Đã xử lý xong")
    expect(desk.locator("body")).to_contain_text("Văn bản số 15/TP-HT")

    expect(my_dossier(citizen_page, code).locator(".status")).to_have_text("Đã có kết quả, chờ trả")

    # … and hands it over at the counter, but not unpaid: the procedure collects its
    # 50.000 đ before receipt (thu trước), which a level-3 dossier cannot pay online.
    open_from_queue(desk, "tra-ket-qua", code)
    handover = action_form(desk, "return_result")
    expect(handover.locator("#held-return_result")).to_contain_text("còn 50.000 đồng phí, lệ phí chưa nộp")
    expect(handover.get_by_role("button", name="Trả kết quả")).to_be_disabled()
    fees = desk.locator("#fees")
    expect(fees).to_contain_text("Thu trước, nộp tại bộ phận một cửa khi nhận kết quả")
    expect(fees).to_contain_text("Còn phải nộp: 50.000 đ")
    collect = desk.locator("#tt-collect_fee")
    expect(collect).to_have_attribute("open", "")  # opened by the hold
    collect.locator("#collect_fee-method").select_option("cash")
    collect.get_by_role("button", name="Ghi nhận đã thu").click()  # the receipt number forgotten
    expect(desk.locator("#err-collect_fee-receipt_number")).to_contain_text("số biên lai")
    expect(desk.locator("#collect_fee-amount")).to_have_value("50000")
    expect(desk.locator("#collect_fee-method")).to_have_value("cash")
    desk.locator("#collect_fee-receipt_number").fill("BL-2026-0153")
    desk.locator("#tt-collect_fee").get_by_role("button", name="Ghi nhận đã thu").click()
    expect(desk.locator(".messages")).to_contain_text("biên lai số BL-2026-0153")
    expect(desk.locator("#fees")).to_contain_text("Đã nộp 50.000 đ – Tiền mặt tại quầy, biên lai số BL-2026-0153")
    handover = action_form(desk, "return_result")
    expect(handover.locator("#held-return_result")).to_have_count(0)
    handover.locator("#return_result-method").select_option("counter")
    handover.locator("#return_result-receiver_name").fill("Lê Thị Hoa")
    submit_action(handover, "Trả kết quả")
    expect_done(desk, "Trả kết quả")
    expect(fact(desk, "Trạng thái")).to_contain_text("Đã trả kết quả")
    expect(desk.locator("body")).to_contain_text("cho Lê Thị Hoa")
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED

    # The citizen sees every step and downloads the result.
    expect(my_dossier(citizen_page, code).locator(".status")).to_have_text("Đã trả kết quả")
    citizen_page.locator(".dossier-item", has_text=code).get_by_role("link").first.click()
    expect(citizen_page.locator(".status")).to_have_text("Đã trả kết quả")
    timeline = citizen_page.locator("ol.timeline")
    for label in ("Đã nộp, chờ cơ quan tiếp nhận", "Cơ quan đã tiếp nhận", "Đang giải quyết", "Đã có kết quả, chờ trả"):
        expect(timeline).to_contain_text(label)
    expect(timeline.locator("li").last).to_contain_text("Đã trả kết quả")
    expect(citizen_page.locator(".success-box")).to_contain_text("Văn bản số 15/TP-HT")
    download = citizen_page.get_by_role("link", name="Tải kết quả (bản điện tử)")
    response = citizen_page.request.get(citizen_page.base_url + download.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    check_issued_form(citizen_page, "01")


def test_two_signatures_the_head_of_division_approves_then_the_leader_signs(sign_in):
    """A procedure whose results two people sign (ApprovalChain.BOTH): each signs from their
    own "Chờ tôi duyệt", the head of division cannot take the leader's signature nor the
    leader the head's, and the result records who signed it."""
    staff = agency_staff()
    version = version_for(staff.agency, name="Cấp giấy phép hành nghề luật sư")
    type(version).objects.filter(pk=version.pk).update(approval_chain=ApprovalChain.BOTH)
    dossier = dossier_at(staff, "approval", version=version)
    code = dossier.code

    leader = sign_in(staff.leader)
    expect_queue_count(leader, "cho-duyet", 0)  # not the leader's turn yet

    head = sign_in(staff.department_leader)
    expect_queue_count(head, "cho-duyet", 1)
    open_from_queue(head, "cho-duyet", code)
    submit_action(action_form(head, "approve"), "Duyệt kết quả")
    expect_done(head, "Duyệt kết quả")
    expect(fact(head, "Trạng thái")).to_contain_text("Đang xử lý – Chờ lãnh đạo cơ quan ký")
    expect(fact(head, "Hạn của bước này")).not_to_be_empty()
    expect(head.locator("#tt-sign")).to_have_count(0)
    head.goto(head.base_url + "/can-bo/")
    expect_queue_count(head, "cho-duyet", 0)

    leader.goto(leader.base_url + "/can-bo/")
    expect_queue_count(leader, "cho-duyet", 1)
    open_from_queue(leader, "cho-duyet", code)
    expect(leader.locator("#tt-approve")).to_have_count(0)
    submit_action(action_form(leader, "sign"), "Ký duyệt kết quả")
    expect_done(leader, "Ký duyệt kết quả")
    expect(fact(leader, "Trạng thái")).to_contain_text("Đã duyệt, chờ ban hành kết quả")
    steps = leader.locator(".steps-table")
    for label, signer in (("Duyệt kết quả", "Hoàng Minh Tuấn"), ("Ký duyệt kết quả", "Đỗ Thị Lan")):
        row = steps.locator("tr").filter(has=leader.locator("td", has_text=re.compile(f"^{label}$")))
        expect(row).to_contain_text(signer)

    desk = sign_in(staff.desk)
    open_from_queue(desk, "cho-ban-hanh", code)
    record = action_form(desk, "record_result")
    record.locator("#record_result-number").fill("21/QĐ-STP")
    record.locator("#record_result-issued_on").fill(timezone.localdate().isoformat())
    record.locator("#record_result-summary").fill("Giấy phép hành nghề")
    record.locator("#record_result-file").set_input_files(pdf_payload())
    submit_action(record, "Ghi nhận kết quả")
    expect_done(desk, "Ghi nhận kết quả")
    expect(desk.locator(".signer")).to_contain_text("Lãnh đạo ký duyệt: Đỗ Thị Lan")
    dossier.refresh_from_db()
    assert dossier.result.signed_by == staff.leader


def test_supplement_loop_between_the_specialist_and_the_citizen(sign_in):
    staff = agency_staff()
    citizen = CitizenFactory(full_name="Trịnh Văn Nam")
    dossier = dossier_at(staff, "specialist", citizen=citizen, name=PROCEDURE)
    code, due_before = dossier.code, dossier.due_at

    # The specialist asks for a supplement: the items and a date.
    specialist = sign_in(staff.specialist)
    specialist.locator("table.queue a.code", has_text=code).click()
    request = action_form(specialist, "request_supplement")
    request.locator("#request_supplement-items").fill("Bản sao Giấy khai sinh có chứng thực")
    respond_by = timezone.localdate() + datetime.timedelta(days=7)
    request.locator("#request_supplement-respond_by").fill(respond_by.isoformat())
    request.locator("#request_supplement-note").fill("Bản chụp mờ, không đọc được")
    submit_action(request, "Yêu cầu bổ sung")
    expect_done(specialist, "Yêu cầu bổ sung")
    expect(fact(specialist, "Trạng thái")).to_contain_text("Yêu cầu bổ sung giấy tờ")
    expect(specialist.locator("body")).to_contain_text("đang chờ công dân")
    specialist.goto(specialist.base_url + "/can-bo/")
    expect_queue_count(specialist, "cho-bo-sung", 1)

    # The citizen sees the request with its items, and answers it with a file.
    citizen_page = sign_in(citizen)
    expect(my_dossier(citizen_page, code).locator(".status")).to_have_text("Cần bổ sung giấy tờ")
    citizen_page.locator(".dossier-item", has_text=code).get_by_role("link").first.click()
    notice = citizen_page.locator("#yeu-cau-bo-sung")
    expect(notice.get_by_role("heading")).to_have_text("Cơ quan yêu cầu bổ sung hồ sơ")
    expect(notice).to_contain_text("Bản sao Giấy khai sinh có chứng thực")
    expect(notice).to_contain_text("Bản chụp mờ, không đọc được")
    expect(notice).to_contain_text(f"{respond_by:%d/%m/%Y}")
    check_issued_form(citizen_page, "02")
    notice.get_by_role("link", name="Bổ sung hồ sơ").click()
    expect(citizen_page.locator("#yeu-cau-bo-sung")).to_contain_text("Gửi bổ sung")
    extra = next(d for d in services.required_documents_for(dossier) if not d.required)
    citizen_page.locator(f"#file_{extra.pk}").set_input_files(pdf_payload("giay-khai-sinh.pdf"))
    citizen_page.get_by_role("button", name="Gửi bổ sung").click()
    expect(citizen_page.locator(".messages")).to_contain_text("Đã gửi hồ sơ bổ sung")
    expect(citizen_page.locator(".status")).to_have_text("Đang giải quyết")
    expect(citizen_page.locator("#yeu-cau-bo-sung")).to_have_count(0)

    # The officer finds it back in processing, at the specialist, with the history row.
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and dossier.step == Step.SPECIALIST
    assert dossier.due_at >= due_before  # moved by the office time the clock stood still, if any
    open_from_queue(specialist, "cua-toi", code)
    expect(fact(specialist, "Trạng thái")).to_contain_text("Đang xử lý – Chuyên viên đang xử lý")
    expect(fact(specialist, "Ngày hẹn trả")).to_have_text(shown(dossier.due_at))
    last = specialist.locator(".steps-table tbody tr").last
    expect(last).to_contain_text("Gửi hồ sơ bổ sung")
    expect(last).to_contain_text("Trịnh Văn Nam")
    expect(specialist.locator("body")).to_contain_text("đã bổ sung")
    expect(specialist.locator(".doc", has_text="Giấy tờ khác (nếu có)").get_by_role("link")).to_have_text(
        re.compile(r"Mở tệp \(1 trang\)")
    )
    specialist.goto(specialist.base_url + "/can-bo/")
    expect_queue_count(specialist, "cho-bo-sung", 0)


def test_refusal_needs_a_reason_and_the_citizen_sees_it(sign_in):
    staff = agency_staff()
    citizen = CitizenFactory()
    dossier = submitted_dossier(staff.agency, citizen=citizen, name=PROCEDURE)

    desk = sign_in(staff.desk)
    desk.locator("table.queue a.code", has_text=dossier.code).click()
    refuse = action_form(desk, "refuse")
    submit_action(refuse, "Từ chối tiếp nhận")
    # The page comes back with the form open and the error at the reason.
    refuse = desk.locator("details#tt-refuse")
    expect(refuse).to_have_attribute("open", "")
    expect(desk.locator("#err-refuse-note")).to_have_text("Hãy ghi rõ lý do từ chối.")
    expect(desk.locator(".messages")).to_contain_text("Chưa thực hiện được")
    expect(fact(desk, "Trạng thái")).to_contain_text("Mới đăng ký")
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert not StatusChange.objects.filter(dossier=dossier, action="refuse").exists()

    reason = "Thủ tục này do UBND cấp xã nơi đăng ký khai sinh giải quyết"
    refuse.locator("#refuse-note").fill(reason)
    submit_action(refuse, "Từ chối tiếp nhận")
    expect_done(desk, "Từ chối tiếp nhận")
    expect(fact(desk, "Trạng thái")).to_contain_text("Không được tiếp nhận")
    expect(desk.locator(".steps-table tbody tr").last).to_contain_text(reason)
    expect(desk.locator("details[id^=tt-]")).to_have_count(0)
    dossier.refresh_from_db()
    assert dossier.status == Status.REFUSED

    citizen_page = sign_in(citizen)
    item = my_dossier(citizen_page, dossier.code)
    expect(item.locator(".status")).to_have_text("Không được tiếp nhận")
    item.get_by_role("link").first.click()
    expect(citizen_page.locator(".status")).to_have_text("Không được tiếp nhận")
    expect(fact(citizen_page, "Việc tiếp theo")).to_have_text("Xem lý do không tiếp nhận.")
    expect(citizen_page.get_by_role("button", name="Rút hồ sơ")).to_have_count(0)
    text = check_issued_form(citizen_page, "03")  # the reason reaches the citizen on Mẫu 03
    if text is not None:
        assert "UBND cấp xã" in " ".join(text.split())


def test_counter_intake_for_a_new_citizen_who_then_activates_the_account(sign_in):
    staff = agency_staff()
    version = version_for(staff.agency, name="Chứng thực bản sao từ bản chính giấy tờ, văn bản")
    national_id = "038190006789"  # Thanh Hóa, woman born 1990

    desk = sign_in(staff.desk)
    desk.get_by_role("link", name=re.compile("Tiếp nhận hồ sơ giấy")).click()
    expect(desk.locator("h1")).to_have_text("Tiếp nhận hồ sơ giấy")
    desk.locator("#tim").fill("chung thuc ban sao")
    desk.get_by_role("button", name="Tìm", exact=True).click()
    desk.get_by_role("link", name=version.name).click()
    expect(desk.get_by_role("heading", name=re.compile("3. Hồ sơ"))).to_contain_text(version.name)

    # A wrong ID number: the error at the field, the typed name kept, nobody created.
    desk.locator("#national_id").fill("03819000678")
    desk.locator("#full_name").fill("Nguyễn Thị Lan")
    desk.locator("#phone").fill("0987654321")
    desk.get_by_role("button", name="Tiếp tục: nhập tờ khai và giấy tờ").click()
    expect(desk.locator("#err-national_id")).to_contain_text("12 chữ số")
    expect(desk.locator("#national_id")).to_have_attribute("aria-invalid", "true")
    expect(desk.locator("#full_name")).to_have_value("Nguyễn Thị Lan")
    expect(desk.locator("#phone")).to_have_value("0987654321")
    assert not User.objects.filter(national_id__startswith="0381900").exists()

    desk.locator("#national_id").fill(national_id)
    desk.get_by_role("button", name="Tiếp tục: nhập tờ khai và giấy tờ").click()
    expect(desk.locator("h1")).to_have_text(version.name)
    expect(desk.locator("body")).to_contain_text(f"Nguyễn Thị Lan ({national_id})")

    # The declaration, the scan, the original seen; then receive.
    dossier = Dossier.objects.get(applicant_id_number=national_id)
    form_doc = next(d for d in services.required_documents_for(dossier) if d.required)
    desk.locator("#id_f_noi_dung").fill("Chứng thực 02 bản sao Giấy khai sinh")
    slot = desk.locator(".doc", has_text=form_doc.name)
    slot.locator(f"#file_{form_doc.pk}").set_input_files(pdf_payload("to-khai-scan.pdf"))
    slot.get_by_label("Đã đối chiếu bản chính").check()
    desk.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()

    # The procedure collects its 50.000 đ before receipt (thu trước): not received until the
    # desk says how it was taken; what was typed stays.
    expect(desk.locator("#err-fee_method")).to_contain_text("thu phí, lệ phí trước khi tiếp nhận")
    expect(desk.locator("#fee-before legend")).to_contain_text("50.000 đ")
    expect(desk.locator("#id_f_noi_dung")).to_have_value("Chứng thực 02 bản sao Giấy khai sinh")
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT
    desk.locator("#fee-before").get_by_label("Tiền mặt tại quầy").check()
    desk.locator("#fee_receipt_number").fill("BL-0457")
    desk.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()

    expect(desk.locator("h1")).to_have_text("Đã tiếp nhận hồ sơ")
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED and dossier.code
    expect(desk.locator(".dossier-code")).to_have_text(dossier.code)
    expect(desk.locator(".success-box")).to_contain_text(shown(dossier.due_at))
    activation = desk.locator(".activation").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{8}", activation), activation
    check_issued_form(desk, "01")  # the receipt to print, once the printing app issues it
    desk.get_by_role("link", name="Mở hồ sơ").click()
    expect(fact(desk, "Kênh nộp")).to_have_text("Trực tiếp")
    expect(desk.locator(".doc", has_text=form_doc.name)).to_contain_text("đã đối chiếu bản chính")

    # The citizen, at home, activates the account with the code and finds the dossier.
    citizen_page = sign_in(None)
    citizen_page.goto(citizen_page.base_url + "/kich-hoat/")
    citizen_page.locator("#id_national_id").fill(national_id)
    citizen_page.locator("#id_code").fill(activation.lower())
    citizen_page.locator("#id_password1").fill(CITIZEN_PASSWORD)
    citizen_page.get_by_role("button", name="Kích hoạt và đăng nhập").click()
    expect(citizen_page).to_have_url(re.compile(r"/ho-so/$"))
    expect(citizen_page.locator(".messages")).to_contain_text("Đã kích hoạt tài khoản")
    item = citizen_page.locator(".dossier-item", has_text=dossier.code)
    expect(item.locator(".status")).to_have_text("Cơ quan đã tiếp nhận")
    expect(item).to_contain_text(version.name)


def test_leader_apologises_once_with_a_later_working_day(sign_in):
    staff = agency_staff()
    dossier = dossier_at(staff, "specialist", name=PROCEDURE)
    old_due = dossier.due_at
    old_day = timezone.localtime(old_due).date()

    leader = sign_in(staff.leader)
    open_from_queue(leader, "tat-ca", dossier.code)
    expect(fact(leader, "Ngày hẹn trả")).to_have_text(shown(old_due))
    apology = action_form(leader, "apologize")
    expect(apology).to_contain_text("Chỉ được hẹn lại một lần")

    # The same day as the current appointment: refused at the field.
    apology.locator("#apologize-new_due").fill(old_day.isoformat())
    apology.locator("#apologize-note").fill("Cần xác minh thêm với UBND xã nơi đăng ký khai sinh")
    submit_action(apology, "Xin lỗi và hẹn lại ngày trả")
    expect(leader.locator("#err-apologize-new_due")).to_have_text("Ngày hẹn mới phải sau ngày hẹn cũ.")
    expect(leader.locator("#apologize-note")).to_have_value("Cần xác minh thêm với UBND xã nơi đăng ký khai sinh")
    expect(fact(leader, "Ngày hẹn trả")).to_have_text(shown(old_due))
    dossier.refresh_from_db()
    assert dossier.due_at == old_due

    # A later working day: the appointment moves, once.
    new_day = old_day + datetime.timedelta(days=3)
    while not deadlines.is_working_day(new_day):
        new_day += datetime.timedelta(days=1)
    apology = leader.locator("details#tt-apologize")
    apology.locator("#apologize-new_due").fill(new_day.isoformat())
    submit_action(apology, "Xin lỗi và hẹn lại ngày trả")
    expect_done(leader, "Xin lỗi và hẹn lại ngày trả")
    dossier.refresh_from_db()
    assert timezone.localtime(dossier.due_at).date() == new_day
    expect(fact(leader, "Ngày hẹn trả")).to_contain_text(shown(dossier.due_at))
    expect(fact(leader, "Ngày hẹn trả")).to_contain_text(f"hẹn cũ {shown(old_due)}")
    expect(leader.locator("body")).to_contain_text("Cần xác minh thêm với UBND xã nơi đăng ký khai sinh")
    expect(leader.locator("details#tt-apologize")).to_have_count(0)
    text = check_issued_form(leader, "04")  # the apology letter, once the printing app issues it
    if text is not None:
        assert f"{new_day:%d/%m/%Y}" in text
    leader.reload()
    expect(leader.locator("details#tt-apologize")).to_have_count(0)


def test_an_overdue_dossier_gets_its_apology_with_a_new_date_after_today(sign_in):
    """Received a month ago, still at the specialist: past its due date. The page asks for
    the apology and the leader can send it (it was refused once the day before the due date
    had passed), with a new date after today, once."""
    staff = agency_staff()
    dossier = dossier_at(staff, "specialist", now=timezone.now() - datetime.timedelta(days=30), name=PROCEDURE)
    old_due = dossier.due_at
    assert old_due < timezone.now()

    leader = sign_in(staff.leader)
    open_from_queue(leader, "tat-ca", dossier.code)
    expect(leader.locator(".form-alert")).to_contain_text("Hồ sơ đã quá ngày hẹn trả.")
    expect(leader.locator(".form-alert")).to_contain_text("Cơ quan cần gửi văn bản xin lỗi và hẹn lại ngày trả")
    apology = action_form(leader, "apologize")
    expect(apology).to_contain_text("đã quá hạn vẫn phải gửi")

    # The day after the old appointment, but in the past: refused at the field, the reason kept.
    apology.locator("#apologize-new_due").fill(
        (timezone.localtime(old_due).date() + datetime.timedelta(days=1)).isoformat()
    )
    apology.locator("#apologize-note").fill("Chờ kết quả xác minh của UBND xã")
    submit_action(apology, "Xin lỗi và hẹn lại ngày trả")
    expect(leader.locator("#err-apologize-new_due")).to_contain_text("ngày hẹn mới phải sau hôm nay")
    expect(leader.locator("#apologize-note")).to_have_value("Chờ kết quả xác minh của UBND xã")

    new_day = timezone.localdate() + datetime.timedelta(days=2)
    while not deadlines.is_working_day(new_day):
        new_day += datetime.timedelta(days=1)
    apology = leader.locator("details#tt-apologize")
    apology.locator("#apologize-new_due").fill(new_day.isoformat())
    submit_action(apology, "Xin lỗi và hẹn lại ngày trả")
    expect_done(leader, "Xin lỗi và hẹn lại ngày trả")
    dossier.refresh_from_db()
    assert timezone.localtime(dossier.due_at).date() == new_day
    expect(fact(leader, "Ngày hẹn trả")).to_contain_text(f"hẹn cũ {shown(old_due)}")
    expect(leader.locator("details#tt-apologize")).to_have_count(0)


def test_an_officer_of_another_agency_neither_lists_nor_opens_the_dossier(sign_in):
    staff, other = agency_staff(), agency_staff()
    waiting = submitted_dossier(staff.agency, name=PROCEDURE)
    in_work = dossier_at(staff, "specialist", name=PROCEDURE)

    stranger = sign_in(other.desk)
    expect_queue_count(stranger, "cho-tiep-nhan", 0)
    expect(stranger.locator("table.queue")).to_contain_text("Không có hồ sơ nào.")
    for key in ("tat-ca", "moi-tiep-nhan", "cho-ban-hanh"):
        open_queue(stranger, key)
        stranger.locator("#q").fill(waiting.code)
        stranger.get_by_role("button", name="Lọc").click()
        expect_listed(stranger, [])
    for d in (waiting, in_work):
        response = stranger.goto(stranger.base_url + f"/can-bo/ho-so/{d.code}/")
        assert response.status == 404
        expect(stranger.locator("h1")).to_have_text("Không tìm thấy trang")
        expect(stranger.locator("body")).not_to_contain_text(d.code)
        expect(stranger.locator("body")).not_to_contain_text(d.applicant_name)
    scan = in_work.documents.exclude(stored_file=None).first().stored_file
    assert stranger.goto(stranger.base_url + f"/tep/{scan.public_id}/").status == 404

    # Their leader (who sees every dossier of their own agency) does not list it either.
    their_leader = sign_in(other.leader)
    open_queue(their_leader, "tat-ca")
    expect_listed(their_leader, [])

    # The agency's own desk officer, for contrast, has the waiting one.
    own = sign_in(staff.desk)
    expect_queue_count(own, "cho-tiep-nhan", 1)
    expect_listed(own, [waiting.code])
