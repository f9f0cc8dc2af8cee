"""Mẫu 01–06 rendered from real workflow actions, read back from the stored PDF."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader

from dossiers import deadlines, processing
from dossiers.models import Apology, SupplementRequest
from printing import context, services
from printing.models import FormKind, IssuedForm
from tests.dossiers.staff import dossier_at
from tests.printing.helpers import form_text, local_moment, next_working_day_after

pytestmark = pytest.mark.django_db

MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


@pytest.fixture
def events(django_capture_on_commit_callbacks):
    """Run what happens after commit: the dossier event, then the render task (eager)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def only_form(dossier, kind: str) -> IssuedForm:
    form = IssuedForm.objects.get(dossier=dossier, kind=kind)
    assert form.state == IssuedForm.State.READY, form.error
    assert form.file.name.endswith(".pdf") and form.rendered_at is not None
    return form


def assert_common(text: str, dossier, title: str) -> None:
    assert title in text
    for line in MOTTO:
        assert line in text
    assert "SỞ TƯ PHÁP" in text and "ỦY BAN NHÂN DÂN TỈNH THANH HÓA" in text
    assert dossier.code in text
    assert dossier.applicant_name in text


def test_receipt_mau_01_is_issued_on_receive(staff, events):
    dossier = events(dossier_at, staff, "received")

    form = only_form(dossier, FormKind.RECEIPT)
    assert form.change.action == "receive"
    text = form_text(form)
    assert_common(text, dossier, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
    assert "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" in text
    assert f"Số: {dossier.code}/" in text
    assert f"Thanh Hóa, ngày {timezone.localdate():%d} tháng {timezone.localdate():%m}" in text
    assert local_moment(dossier.received_at) in text
    assert local_moment(dossier.due_at) in text
    assert "5 ngày làm việc" in text
    assert "Tờ khai theo mẫu" in text  # thành phần hồ sơ
    assert dossier.applicant_id_number in text and dossier.applicant_phone in text
    assert "Thôn 3, xã Hoằng Tiến" in text
    assert dossier.get_result_delivery_display() in text
    assert "Lệ phí: 50.000 đ" in text
    assert "Trần Thị Mai" in text  # the desk officer who received it
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text


def test_receipt_mau_01_has_a_qr_code_to_the_tracking_page(staff, events, settings):
    settings.PORTAL_BASE_URL = "https://dichvucong.thanhhoa.gov.vn/"
    dossier = events(dossier_at, staff, "received")
    form = only_form(dossier, FormKind.RECEIPT)

    _, ctx = context.form_context(form)
    from dossiers.tracking import track_token

    # The owner's link: the code and its secret token, no digits to type (dossiers.tracking).
    url = f"https://dichvucong.thanhhoa.gov.vn/tra-cuu/?ma={dossier.code}&t={track_token(dossier.code)}"
    assert ctx["tracking_url"] == url
    assert ctx["qr_svg"].startswith("<svg") and "<path" in ctx["qr_svg"]
    assert ctx["qr_svg"] == context.qr_svg(url)
    text = form_text(form)
    assert url in "".join(text.split())  # the long address may wrap
    assert "Quét mã để tra cứu" in text


def test_receipt_lists_documents_with_original_and_copy_counts(staff, events):
    dossier = events(dossier_at, staff, "received")
    rows = context.document_rows(dossier)
    assert [(r.name, r.originals, r.copies) for r in rows] == [("Tờ khai theo mẫu", 1, 0)]
    assert rows[0].note == "Bản điện tử"
    dossier.documents.update(original_seen=True)
    assert "Đã đối chiếu bản chính" in context.document_rows(dossier)[0].note


def test_supplement_request_mau_02(staff, events):
    dossier = events(dossier_at, staff, "supplement")

    form = only_form(dossier, FormKind.SUPPLEMENT)
    request = SupplementRequest.objects.get(dossier=dossier)
    assert form.change.action == "request_supplement"
    text = form_text(form)
    assert_common(text, dossier, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ")
    assert "Bản sao Giấy khai sinh" in text  # items
    assert "Bản chụp mờ" in text  # reason
    assert f"trước ngày {request.respond_by:%d/%m/%Y}" in text
    assert local_moment(dossier.received_at) in text
    assert "Phạm Văn Đức" in text  # the specialist who asked


def test_second_supplement_request_prints_its_own_items(staff, events):
    dossier = events(dossier_at, staff, "supplement")
    events(processing.dossier_act, dossier=dossier, action="supplement_submit", actor=dossier.owner)
    events(
        processing.dossier_act,
        dossier=dossier,
        action="request_supplement",
        actor=staff.specialist,
        note="Thiếu chữ ký",
        data={"items": "Tờ khai có chữ ký", "respond_by": timezone.localdate() + datetime.timedelta(days=5)},
    )
    first, second = IssuedForm.objects.filter(dossier=dossier, kind=FormKind.SUPPLEMENT).order_by("pk")
    assert "Bản sao Giấy khai sinh" in form_text(first)
    assert "Tờ khai có chữ ký" in form_text(second) and "Bản sao Giấy khai sinh" not in form_text(second)


def test_a_long_word_wraps_inside_the_page(staff, events):
    """A word longer than a line (a web address, a code typed without spaces) breaks inside
    the page's margins; it once ran off Mẫu 02's right edge."""
    dossier = events(dossier_at, staff, "supplement")
    word = "https://dichvucong.thanhhoa.gov.vn/?ma=" + "GiayToCanBoSung" * 14
    events(processing.dossier_act, dossier=dossier, action="supplement_submit", actor=dossier.owner)
    events(
        processing.dossier_act,
        dossier=dossier,
        action="request_supplement",
        actor=staff.specialist,
        note=word,
        data={"items": word, "respond_by": timezone.localdate() + datetime.timedelta(days=5)},
    )
    form = IssuedForm.objects.filter(dossier=dossier, kind=FormKind.SUPPLEMENT).latest("pk")
    with form.file.open("rb") as fh:
        lines = [line for page in PdfReader(fh).pages for line in (page.extract_text() or "").splitlines()]
    assert word in "".join("".join(lines).split())  # all of it is there
    # An A4 line of 12 pt serif between the margins holds about 90 characters.
    assert max(len(line) for line in lines) < 110, max(lines, key=len)


def test_refusal_mau_03(staff, events):
    dossier = dossier_at(staff, "submitted")
    reason = "Hồ sơ không thuộc thẩm quyền giải quyết của Sở Tư pháp."
    events(processing.dossier_act, dossier=dossier, action="refuse", actor=staff.desk, note=reason)

    form = only_form(dossier, FormKind.REFUSAL)
    text = form_text(form)
    assert_common(text, dossier, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ")
    assert reason in text
    assert local_moment(dossier.submitted_at) in text
    issued_on = timezone.localtime(form.change.at)
    assert f"Thanh Hóa, ngày {issued_on:%d} tháng {issued_on:%m} năm {issued_on:%Y}" in text


def test_apology_mau_04_signed_by_the_leader(staff, events):
    dossier = dossier_at(staff, "specialist")
    old_due = dossier.due_at
    new_day = next_working_day_after(old_due)
    reason = "Cần xác minh thêm thông tin hộ tịch tại địa phương khác."
    events(
        processing.dossier_act,
        dossier=dossier,
        action="apologize",
        actor=staff.leader,
        note=reason,
        data={"new_due": new_day},
    )

    form = only_form(dossier, FormKind.APOLOGY)
    apology = Apology.objects.get(dossier=dossier)
    text = form_text(form)
    assert_common(text, dossier, "VĂN BẢN XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ")
    assert local_moment(old_due) in text
    assert local_moment(apology.new_due_at) in text and f"{new_day:%d/%m/%Y}" in text
    assert reason in text
    assert "THỦ TRƯỞNG CƠ QUAN" in text and "Đỗ Thị Lan" in text
    assert f"Kính gửi: Ông (Bà) {dossier.applicant_name}" in text


def test_stop_notice_mau_05(staff, events):
    dossier = dossier_at(staff, "received")
    reason = "Công dân đề nghị dừng giải quyết hồ sơ."
    events(processing.dossier_act, dossier=dossier, action="stop", actor=staff.desk, note=reason)

    form = only_form(dossier, FormKind.STOP)
    text = form_text(form)
    assert_common(text, dossier, "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ")
    assert reason in text
    assert local_moment(form.change.at) in text
    assert local_moment(dossier.received_at) in text


def after_the_cutoff() -> datetime.datetime:
    """16:00 on the next working day (the daily cut-off is 15:00)."""
    day = timezone.localdate() + datetime.timedelta(days=1)
    while not deadlines.is_working_day(day):
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 0)))


def test_actions_without_a_form_issue_none(staff, events):
    dossier = events(dossier_at, staff, "returned")
    assert list(IssuedForm.objects.filter(dossier=dossier).values_list("kind", flat=True)) == [FormKind.RECEIPT]


def test_control_sheet_mau_06_one_row_per_step(staff):
    # Every step at 16:00 of a working day, after the 15:00 cut-off: the clock starts the next
    # working day, so each step is done a day before its deadline whatever time the test
    # runs (deadlines compare by date: run after midnight, a step due and done "today" read
    # "Đúng hạn").
    dossier = dossier_at(staff, "returned", now=after_the_cutoff())

    form = services.control_sheet_issue(dossier=dossier)
    assert form.kind == FormKind.CONTROL_SHEET and form.is_ready
    assert form.change == dossier.history.order_by("-at", "-pk").first()
    text = form_text(form)
    assert_common(text, dossier, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ")
    rows = context.control_rows(dossier, form.change)
    assert len(rows) == dossier.history.count() == 7
    assert [r.action for r in rows][:3] == ["Nộp hồ sơ", "Tiếp nhận", "Chuyển phòng, chuyên viên xử lý"]
    for label in ("Tiếp nhận", "Trình lãnh đạo duyệt kết quả", "Duyệt kết quả", "Trả kết quả"):
        assert label in text
    assert "Phòng Hành chính tư pháp" in text and "Phạm Văn Đức" in text
    assert local_moment(dossier.received_at) in text and local_moment(dossier.due_at) in text
    assert "Trước hạn" in text  # every step finished well before its deadline
    assert {r.result for r in rows[1:]} == {"Trước hạn"}


def test_control_sheet_marks_late_steps(staff):
    from tests.dossiers.staff import DEPARTMENT, submitted_dossier

    long_ago = timezone.now() - datetime.timedelta(days=40)
    dossier = submitted_dossier(staff.agency)
    # Received 40 days ago (the deadlines count from then); the next steps only today.
    processing.dossier_act(dossier=dossier, action="receive", actor=staff.desk, now=long_ago)
    processing.dossier_act(
        dossier=dossier,
        action="assign",
        actor=staff.desk,
        data={"department": DEPARTMENT, "handler": staff.specialist.pk},
    )
    processing.dossier_act(dossier=dossier, action="propose", actor=staff.specialist, note="Đủ điều kiện")
    dossier.refresh_from_db()

    form = services.control_sheet_issue(dossier=dossier)
    rows = context.control_rows(dossier, form.change)
    results = {r.action: r.result for r in rows}
    assert results["Tiếp nhận"] == "Quá hạn"  # the desk held it 40 days
    assert rows[-2].result == "Quá hạn" and rows[-1].result == "Đang xử lý"  # the specialist's step, then now
    assert "Quá hạn" in form_text(form)


def test_control_sheet_pauses_while_waiting_for_a_supplement(staff):
    dossier = dossier_at(staff, "supplement")
    rows = context.control_rows(dossier, None)
    assert rows[-1].status == "Yêu cầu bổ sung giấy tờ" and rows[-1].result == "Tạm dừng (chờ bổ sung)"


def test_control_sheet_is_reused_until_the_dossier_moves(staff):
    dossier = dossier_at(staff, "approval")
    first = services.control_sheet_issue(dossier=dossier)
    again = services.control_sheet_issue(dossier=dossier)
    assert again.pk == first.pk and again.file.name == first.file.name

    processing.dossier_act(dossier=dossier, action="approve", actor=staff.department_leader)
    moved = services.control_sheet_issue(dossier=dossier)
    assert moved.pk != first.pk
    assert "Duyệt kết quả" in form_text(moved) and "Duyệt kết quả" not in form_text(first)
    assert IssuedForm.objects.filter(dossier=dossier, kind=FormKind.CONTROL_SHEET).count() == 2


@pytest.mark.parametrize(
    ("before_the_finish", "expected"),
    [
        (datetime.timedelta(hours=-2), "Đúng hạn"),  # due later that day
        (datetime.timedelta(0), "Đúng hạn"),  # at the deadline
        (datetime.timedelta(minutes=1), "Đúng hạn"),  # due earlier that day: by date, as QĐ 766 counts
        (datetime.timedelta(days=1), "Quá hạn"),  # due the day before
        (datetime.timedelta(days=-1), "Trước hạn"),  # due the day after
    ],
)
def test_the_control_sheet_judges_a_step_as_the_officers_page_does(staff, before_the_finish, expected):
    """Mẫu 06's "Kết quả" of a step is the deadline calculator's (``deadlines.timeliness``,
    by date); it once had its own rule by the minute, so a step done on its due day after
    the hour was "Quá hạn" on the sheet and "Đúng hạn" on the officer's page."""
    dossier = dossier_at(staff, "returned", now=after_the_cutoff())
    received, finished = dossier.history.order_by("at", "pk")[1:3]
    # The history is append-only for the portal (its model refuses a save); the test moves
    # the deadline in the database.
    received.step_deadline = finished.at - before_the_finish
    type(received).objects.filter(pk=received.pk).update(step_deadline=received.step_deadline)

    row = context.control_rows(dossier, None)[1]
    assert row.action == "Tiếp nhận" and row.finished_at == finished.at
    assert row.result == expected == deadlines.timeliness(finished.at, received.step_deadline)


def test_moment_wording_is_local_time():
    utc = datetime.datetime(2023, 10, 27, 2, 32, tzinfo=datetime.UTC)  # 09:32 in Hà Nội
    from printing import formats

    assert formats.moment(utc) == "09 giờ 32 phút, ngày 27/10/2023"
    assert formats.long_day(utc) == "ngày 27 tháng 10 năm 2023"
    assert formats.place_name() == settings.PROVINCE_NAME.removeprefix("Tỉnh ")


@pytest.mark.parametrize(
    ("level", "collection", "expected"),
    [
        (4, "before", "Thu trước (nộp khi nộp hồ sơ, trước khi tiếp nhận)"),
        (3, "before", "Thu trước, nộp tại bộ phận một cửa khi nhận kết quả"),
        (4, "after", "Thu sau (nộp khi cơ quan giải quyết thông báo, chậm nhất khi nhận kết quả)"),
    ],
)
def test_receipt_mau_01_prints_what_the_fee_calculator_says(staff, events, level, collection, expected):
    """Not a hard-coded "Thu sau": the version's collection and, for an online dossier, the
    online amount (payments.fees)."""
    from procedures.constants import FeeKind
    from tests.dossiers.staff import pay_before, submitted_dossier, version_for

    version = version_for(staff.agency, level=level, fees=[(FeeKind.LEVY, "LP1", "Lệ phí cấp phép", 20_000, 15_000)])
    type(version).objects.filter(pk=version.pk).update(fee_collection=collection)
    dossier = submitted_dossier(staff.agency, version=version)
    pay_before(staff, dossier, "receive")
    events(processing.dossier_act, dossier=dossier, action="receive", actor=staff.desk)
    text = form_text(only_form(dossier, FormKind.RECEIPT))
    assert expected in text
    assert "Lệ phí cấp phép: 15.000 đ (nộp trực tuyến, giảm 5.000 đ)" in text
