"""Officers' pages: queues, the dossier page and its actions, with bad input and other agencies."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.constants import AccountKind, StaffRole
from desk.models import SavedFilter
from dossiers import deadlines, processing
from dossiers.constants import Status, Step
from dossiers.models import Dossier, StatusChange
from tests.dossiers import files
from tests.dossiers.staff import DEPARTMENT, agency_staff, dossier_at, pay_before, submitted_dossier
from tests.factories import CitizenFactory, StaffAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return agency_staff()


@pytest.fixture
def other():
    return agency_staff()


def client_for(client, user):
    client.force_login(user)
    return client


def act_url(d: Dossier, action: str) -> str:
    return reverse("desk:act", kwargs={"code": d.code, "action": action})


def test_officer_pages_need_an_assignment(client):
    assert client.get("/can-bo/").status_code == 302
    client.force_login(CitizenFactory())
    assert client.get("/can-bo/").status_code == 403
    client.force_login(UserFactory(kind=AccountKind.OFFICER))
    assert client.get("/can-bo/").status_code == 403


def test_queues_show_counts_and_default_to_the_role(client, staff, other):
    dossier_at(staff, "submitted")
    dossier_at(staff, "specialist")
    dossier_at(other, "submitted")
    page = client_for(client, staff.desk).get("/can-bo/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'aria-current="page" title="Hồ sơ đã nộp trực tuyến' in body  # desk officer: waiting for receipt
    assert body.count('class="code"') == 1  # one of its own; the other agency's is not listed
    client.force_login(staff.specialist)
    body = client.get("/can-bo/").content.decode()
    assert 'data-queue="cua-toi">Tôi đang xử lý <span class="count">1</span>' in body
    assert "Chờ tiếp nhận" not in body  # not a desk officer


def test_other_agency_cannot_open_or_act_on_a_dossier(client, staff, other):
    d = dossier_at(staff, "submitted")
    client.force_login(other.desk)
    assert client.get(reverse("desk:dossier", kwargs={"code": d.code})).status_code == 404
    assert client.post(act_url(d, "receive")).status_code == 404
    for key in ("cho-tiep-nhan", "tat-ca"):
        listing = client.get("/can-bo/", {"hang": key, "q": d.code}).content.decode()
        assert f'href="/can-bo/ho-so/{d.code}/"' not in listing
    d.refresh_from_db()
    assert d.status == Status.SUBMITTED


def test_dossier_page_offers_only_what_the_role_allows(client, staff):
    d = dossier_at(staff, "submitted")
    url = reverse("desk:dossier", kwargs={"code": d.code})
    body = client_for(client, staff.desk).get(url).content.decode()
    assert 'id="tt-receive"' in body and 'id="tt-refuse"' in body and 'id="tt-approve"' not in body
    client.force_login(staff.specialist)
    body = client.get(url).content.decode()
    assert 'id="tt-receive"' not in body
    assert "Bạn không có thao tác nào" in body


def test_receive_then_a_stale_or_forged_post_is_refused_clearly(client, staff):
    d = dossier_at(staff, "submitted")
    client_for(client, staff.desk)
    response = client.post(act_url(d, "receive"))
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.RECEIVED and d.due_at is not None
    again = client.post(act_url(d, "receive"))  # a second click, or another officer's stale page
    assert again.status_code == 409
    assert "hãy tải lại trang" in again.content.decode()
    assert client.post(act_url(d, "approve")).status_code == 409
    assert client.post(act_url(d, "no_such_action")).status_code == 404
    assert StatusChange.objects.filter(dossier=d, action="receive").count() == 1


def test_wrong_role_gets_403(client, staff):
    d = dossier_at(staff, "submitted")
    response = client_for(client, staff.specialist).post(act_url(d, "receive"))
    assert response.status_code == 403
    assert "không có quyền" in response.content.decode()


def test_supplement_request_with_bad_date_keeps_what_was_typed(client, staff):
    d = dossier_at(staff, "specialist")
    response = client_for(client, staff.specialist).post(
        act_url(d, "request_supplement"),
        {"items": "Bản sao sổ hộ khẩu", "respond_by": "31/02/2026", "note": "Thiếu giấy tờ"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Hãy nhập hạn bổ sung" in body
    assert "Bản sao sổ hộ khẩu" in body and "Thiếu giấy tờ" in body
    assert '<details id="tt-request_supplement" open>' in body
    d.refresh_from_db()
    assert d.status == Status.PROCESSING


def test_a_value_over_4000_characters_is_refused_at_its_field_never_cut(client, staff):
    """The action's values were cut at 4,000 characters without a word; now the field says
    so and everything typed comes back whole."""
    d = dossier_at(staff, "specialist")
    items = "Bản sao sổ hộ khẩu; " * 250  # 5,000 characters
    respond_by = (timezone.localdate() + datetime.timedelta(days=10)).strftime("%d/%m/%Y")
    response = client_for(client, staff.specialist).post(
        act_url(d, "request_supplement"), {"items": items, "respond_by": respond_by, "note": "Thiếu giấy tờ"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert f"Tối đa 4000 ký tự; nội dung này có {len(items.strip())} ký tự." in body
    assert items.strip() in body  # what was typed, whole
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and not d.supplements.exists()


def test_result_needs_a_pdf_and_then_reaches_the_citizen(client, staff):
    d = dossier_at(staff, "issuing")
    client_for(client, staff.desk)
    data = {"number": "12/GCN", "issued_on": timezone.localdate().isoformat(), "summary": "Giấy chứng nhận"}
    response = client.post(act_url(d, "record_result"), data)
    assert response.status_code == 400 and "Hãy đính kèm văn bản kết quả" in response.content.decode()
    response = client.post(act_url(d, "record_result"), {**data, "file": files.png()})
    assert response.status_code == 400 and "phải là tệp PDF" in response.content.decode()
    assert client.post(act_url(d, "record_result"), {**data, "file": files.pdf()}).status_code == 302
    d.refresh_from_db()
    assert d.status == Status.RESOLVED
    client.force_login(d.owner)
    body = client.get(d.get_absolute_url()).content.decode()
    assert "Tải kết quả" in body and "12/GCN" in body
    result_url = reverse("dossiers:file", kwargs={"public_id": d.result.stored_file.public_id})
    assert client.get(result_url).status_code == 200


def test_assign_offers_the_agencys_departments_and_refuses_others(client, staff):
    d = dossier_at(staff, "received")
    client_for(client, staff.desk)
    body = client.get(reverse("desk:dossier", kwargs={"code": d.code})).content.decode()
    assert f'<option value="{DEPARTMENT}"' in body
    response = client.post(act_url(d, "assign"), {"department": "Phòng không có"})
    assert response.status_code == 400 and "không thuộc cơ quan" in response.content.decode()
    response = client.post(act_url(d, "assign"), {"department": DEPARTMENT, "handler": staff.other_specialist.pk})
    assert response.status_code == 400 and "không thuộc phòng" in response.content.decode()
    assert (
        client.post(act_url(d, "assign"), {"department": DEPARTMENT, "handler": staff.specialist.pk}).status_code == 302
    )
    d.refresh_from_db()
    assert (d.status, d.step, d.handler_id) == (Status.PROCESSING, Step.SPECIALIST, staff.specialist.pk)


def test_queue_filters_with_bad_input_say_which_field(client, staff):
    dossier_at(staff, "submitted")
    response = client_for(client, staff.desk).get("/can-bo/", {"tu": "32/13/2026", "den": "abc", "kenh": "9"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Ngày không hợp lệ" in body and "Kênh nộp không hợp lệ" in body
    assert 'value="32/13/2026"' in body
    response = client.get("/can-bo/", {"tu": "10/10/2026", "den": "01/10/2026"})
    assert "“Đến ngày” phải sau “Từ ngày”" in response.content.decode()


def test_search_by_code_name_and_id_number(client, staff):
    d = dossier_at(staff, "received")
    other = dossier_at(staff, "received")
    client_for(client, staff.desk)
    for q in (d.code, d.applicant_id_number, d.applicant_name.split()[-1]):
        body = client.get("/can-bo/", {"hang": "tat-ca", "q": q}).content.decode()
        assert d.code in body, q
        if q != d.applicant_name.split()[-1]:
            assert other.code not in body


def test_saved_filters_are_personal(client, staff):
    client_for(client, staff.desk)
    response = client.post(reverse("desk:filter_save"), {"name": "Quá hạn của tôi", "query": "hang=qua-han"})
    assert response.status_code == 302
    saved = SavedFilter.objects.get(user=staff.desk)
    assert "Quá hạn của tôi" in client.get("/can-bo/").content.decode()
    assert client.post(reverse("desk:filter_save"), {"name": "", "query": "x"}, follow=True).status_code == 200
    assert SavedFilter.objects.count() == 1
    client.force_login(staff.specialist)
    client.post(reverse("desk:filter_delete", kwargs={"pk": saved.pk}))
    assert SavedFilter.objects.filter(pk=saved.pk).exists()


def test_transfer_partner_sees_the_dossier_only_while_transferred(client, staff, other):
    d = dossier_at(staff, "specialist")
    client_for(client, staff.specialist)
    response = client.post(act_url(d, "transfer"), {"to_agency": other.agency.pk, "note": "Đề nghị xác minh"})
    assert response.status_code == 302
    client.force_login(other.desk)
    body = client.get("/can-bo/", {"hang": "lien-thong"}).content.decode()
    assert d.code in body
    page = client.get(reverse("desk:dossier", kwargs={"code": d.code})).content.decode()
    assert "chuyển đến cơ quan bạn để phối hợp" in page and 'id="tt-transfer_return"' in page
    assert client.post(act_url(d, "transfer_return"), {"note": "Đã xác minh, đúng"}).status_code == 302
    assert client.get(reverse("desk:dossier", kwargs={"code": d.code})).status_code == 404


def test_apology_page_shows_the_last_moment_and_refuses_a_second(client, staff):
    d = dossier_at(staff, "specialist")
    client_for(client, staff.leader)
    url = reverse("desk:dossier", kwargs={"code": d.code})
    assert "Chỉ được hẹn lại một lần" in client.get(url).content.decode()
    new_day = timezone.localtime(d.due_at).date() + datetime.timedelta(days=7)
    while new_day.weekday() >= 5:
        new_day += datetime.timedelta(days=1)
    response = client.post(act_url(d, "apologize"), {"new_due": new_day.isoformat(), "note": "Cần xác minh"})
    assert response.status_code == 302
    assert 'id="tt-apologize"' not in client.get(url).content.decode()
    response = client.post(act_url(d, "apologize"), {"new_due": new_day.isoformat(), "note": "Lần hai"})
    assert response.status_code == 409 and "chỉ được hẹn lại một lần" in response.content.decode()


def _queries(client, url) -> int:
    """Queries of a page with nothing cached (queue counts, procedure options)."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_page_query_counts_do_not_grow_with_the_data(client, staff):
    client_for(client, staff.desk)
    d = dossier_at(staff, "submitted")
    small_queue = _queries(client, "/can-bo/")
    small_page = _queries(client, reverse("desk:dossier", kwargs={"code": d.code}))
    for _ in range(6):
        dossier_at(staff, "submitted")
    big = dossier_at(staff, "resolved")
    assert _queries(client, "/can-bo/") == small_queue
    client.force_login(staff.desk)
    assert _queries(client, reverse("desk:dossier", kwargs={"code": big.code})) <= small_page + 4


# --- counter intake ---------------------------------------------------------------------------


def test_counter_intake_with_bad_then_good_input_and_activation(client, staff):
    version = submitted_dossier(staff.agency).procedure_version
    client_for(client, staff.desk)
    start = reverse("desk:intake_start")
    assert version.name in client.get(start, {"tim": version.name[:12]}).content.decode()
    bad = client.post(
        start,
        {
            "version": version.pk,
            "agency": staff.agency.pk,
            "channel": "1",
            "national_id": "12345",
            "full_name": "Lê Văn Tư",
        },
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "12 chữ số" in body and "Lê Văn Tư" in body
    response = client.post(
        start,
        {
            "version": version.pk,
            "agency": staff.agency.pk,
            "channel": "1",
            "national_id": "038087099001",
            "full_name": "Lê Văn Tư",
        },
    )
    assert response.status_code == 302
    edit = response["Location"]
    missing = client.post(edit, {"op": "receive", "f_noi_dung": "Cấp bản sao", "result_delivery": "counter"})
    assert missing.status_code == 400 and "Cấp bản sao" in missing.content.decode()
    # The procedure collects its fee before receipt (thu trước): how it was taken is asked for.
    assert 'id="err-fee_method"' in missing.content.decode()
    docs = Dossier.objects.get(applicant_id_number="038087099001").procedure_version.documents.filter(required=True)
    upload = {f"file_{doc.pk}": files.pdf() for doc in docs}
    done = client.post(
        edit,
        {
            "op": "receive",
            "f_noi_dung": "Cấp bản sao",
            "result_delivery": "counter",
            "original": [d.pk for d in docs],
            "fee_method": "cash",
            "fee_receipt_number": "BL-0015",
            **upload,
        },
    )
    assert done.status_code == 302, [line for line in done.content.decode().splitlines() if "errorlist" in line]
    d = Dossier.objects.get(applicant_id_number="038087099001")
    assert d.status == Status.RECEIVED and d.code and d.due_at
    assert all(doc.original_seen for doc in d.documents.all())
    page = client.get(done["Location"]).content.decode()
    code = page.split('class="activation">')[1].split("<")[0]
    assert len(code) == 8
    assert code not in client.get(done["Location"]).content.decode()  # shown once
    client.logout()
    wrong = client.post(
        "/kich-hoat/", {"national_id": "038087099001", "code": "AAAAAAAA", "password1": "Xuan-2026-vui"}
    )
    assert wrong.status_code == 400 and "mã kích hoạt không đúng" in wrong.content.decode()
    ok = client.post("/kich-hoat/", {"national_id": "038087099001", "code": code, "password1": "Xuan-2026-vui"})
    assert ok.status_code == 302
    assert d.code in client.get(reverse("dossiers:mine")).content.decode()


def test_only_desk_officers_take_in_paper_dossiers(client, staff):
    client_for(client, staff.specialist)
    assert client.get(reverse("desk:intake_start")).status_code == 403


def test_post_intake_needs_the_hand_over_record(client, staff):
    version = submitted_dossier(staff.agency).procedure_version
    client_for(client, staff.desk)
    citizen = CitizenFactory()
    response = client.post(
        reverse("desk:intake_start"),
        {
            "version": version.pk,
            "agency": staff.agency.pk,
            "channel": "3",
            "national_id": citizen.national_id,
            "full_name": citizen.full_name or "Nguyễn Văn An",
        },
    )
    edit = response["Location"]
    docs = version.documents.filter(required=True)
    upload = {f"file_{doc.pk}": files.pdf() for doc in docs}
    bad = client.post(
        edit, {"op": "receive", "f_noi_dung": "x", "result_delivery": "post", "postal_fee": "abc", **upload}
    )
    body = bad.content.decode()
    assert bad.status_code == 400
    for message in ("số biên bản giao nhận", "số hiệu bưu gửi", "thời điểm ký biên bản", "địa chỉ nhận kết quả"):
        assert message in body, message
    handed = timezone.localtime() - datetime.timedelta(hours=2)
    ok = client.post(
        edit,
        {
            "op": "receive",
            "f_noi_dung": "x",
            "result_delivery": "post",
            "delivery_address": "Thôn 1, xã Hoằng Hóa",
            "record_number": "BB-15",
            "tracking_number": "EB123456789VN",
            "postal_fee": "25000",
            "handed_over_at": handed.strftime("%Y-%m-%dT%H:%M"),
            "fee_method": "card",
            "fee_receipt_number": "BL-0016",
        },
    )
    assert ok.status_code == 302
    d = Dossier.objects.filter(owner=citizen).get()
    assert d.channel == 3 and d.postal_intake.record_number == "BB-15"
    assert abs((d.received_at - handed).total_seconds()) < 60
    assert "activation" not in client.get(ok["Location"]).content.decode().split("Đã tiếp nhận")[1][:0]


def test_intake_page_of_another_officer_is_not_found(client, staff):
    version = submitted_dossier(staff.agency).procedure_version
    client_for(client, staff.desk)
    response = client.post(
        reverse("desk:intake_start"),
        {
            "version": version.pk,
            "agency": staff.agency.pk,
            "channel": "1",
            "national_id": "038087099002",
            "full_name": "An",
        },
    )
    colleague = UserFactory(kind=AccountKind.OFFICER)
    StaffAssignmentFactory(user=colleague, agency=staff.agency, role=StaffRole.ONE_STOP_OFFICER)
    client.force_login(colleague)
    assert client.get(response["Location"]).status_code == 404


# --- the citizen's side of a supplement request ------------------------------------------------


def test_citizen_answers_a_supplement_request(client, staff):
    d = dossier_at(staff, "supplement")
    client.force_login(d.owner)
    detail = client.get(d.get_absolute_url()).content.decode()
    assert "Cơ quan yêu cầu bổ sung hồ sơ" in detail and "Bản sao Giấy khai sinh" in detail
    edit = reverse("dossiers:edit", kwargs={"public_id": d.public_id})
    assert "Gửi bổ sung" in client.get(edit).content.decode()
    response = client.post(edit, {"op": "submit", "f_noi_dung": "Cấp bản sao trích lục"})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and d.step == Step.SPECIALIST
    assert d.supplements.get().answered_at is not None
    # Not under a supplement request any more: the edit page is closed again.
    assert client.get(edit).status_code == 302


POINTS_EVERYWHERE = [
    "submitted",
    "received",
    "department",
    "specialist",
    "supplement",
    "approval",
    "issuing",
    "resolved",
]


def test_no_queue_of_another_agency_shows_or_counts_its_dossiers(client, staff, other):
    from desk.selectors import QUEUES

    codes = [dossier_at(staff, point).code for point in POINTS_EVERYWHERE]
    for officer in (other.desk, other.specialist, other.department_leader, other.leader, other.admin):
        client.force_login(officer)
        home = client.get("/can-bo/").content.decode()
        assert not re.search(r'class="count[^"]*">[1-9]', home), officer
        for queue in QUEUES:
            body = client.get("/can-bo/", {"hang": queue.key}).content.decode()
            assert not any(f'href="/can-bo/ho-so/{code}/"' in body for code in codes), (officer, queue.key)
        for code in codes:
            assert client.get(reverse("desk:dossier", kwargs={"code": code})).status_code == 404
    # The agency's own officers do find them.
    client.force_login(staff.leader)
    body = client.get("/can-bo/", {"hang": "tat-ca"}).content.decode()
    assert all(f'href="/can-bo/ho-so/{code}/"' in body for code in codes)


def test_documents_of_a_dossier_are_not_served_to_another_agency(client, staff, other):
    d = dossier_at(staff, "resolved")
    urls = [reverse("dossiers:file", kwargs={"public_id": doc.stored_file.public_id}) for doc in d.documents.all()]
    urls.append(reverse("dossiers:file", kwargs={"public_id": d.result.stored_file.public_id}))
    client.force_login(other.desk)
    assert all(client.get(url).status_code == 404 for url in urls)
    client.force_login(staff.specialist)
    assert all(client.get(url).status_code == 200 for url in urls)


def test_citizen_sees_why_the_dossier_was_refused(client, staff):
    d = dossier_at(staff, "submitted")
    client_for(client, staff.desk).post(act_url(d, "refuse"), {"note": "Không thuộc thẩm quyền của Sở"})
    client.force_login(d.owner)
    body = client.get(d.get_absolute_url()).content.decode()
    assert "Lý do không tiếp nhận" in body and "Không thuộc thẩm quyền của Sở" in body


# --- cached queue counts ------------------------------------------------------------------------


def _count(body: str, queue: str) -> int | None:
    found = re.search(rf'data-queue="{queue}">[^<]*<span class="count[^"]*">(\d+)</span>', body)
    return int(found.group(1)) if found else None


def _aggregates(ctx) -> int:
    return sum(q["sql"].startswith('SELECT (SELECT COUNT("dossiers_dossier"."id")') for q in ctx.captured_queries)


def test_queue_counts_are_kept_until_a_dossier_of_the_agency_changes(
    client, staff, other, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier_at(staff, "submitted")
    client_for(client, staff.desk)
    assert _count(client.get("/can-bo/").content.decode(), "cho-tiep-nhan") == 1

    # Nothing changed: the counts come from the cache, not from a second aggregate.
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/can-bo/").content.decode()
    assert _aggregates(ctx) == 0 and _count(body, "cho-tiep-nhan") == 1

    # Another agency's change leaves this agency's counts cached.
    with django_capture_on_commit_callbacks(execute=True):
        dossier_at(other, "submitted")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/can-bo/")
    assert _aggregates(ctx) == 0

    # A citizen submits here, then a second officer receives one: each committed change
    # is counted on the next page.
    with django_capture_on_commit_callbacks(execute=True):
        second = dossier_at(staff, "submitted")
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/can-bo/").content.decode()
    assert _aggregates(ctx) == 1 and _count(body, "cho-tiep-nhan") == 2
    with django_capture_on_commit_callbacks(execute=True):
        processing.dossier_act(dossier=second, action="receive", actor=staff.desk)
    body = client.get("/can-bo/").content.decode()
    assert _count(body, "cho-tiep-nhan") == 1 and _count(body, "moi-tiep-nhan") == 1


def test_a_rolled_back_change_does_not_touch_the_counts(client, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = dossier_at(staff, "submitted")
    client_for(client, staff.desk)
    client.get("/can-bo/")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        processing.dossier_act(dossier=d, action="receive", actor=staff.desk)
    # The callbacks were captured, not run: as if the transaction had been rolled back.
    assert callbacks
    with CaptureQueriesContext(connection) as ctx:
        client.get("/can-bo/")
    assert _aggregates(ctx) == 0


def test_transfer_and_its_return_update_both_agencies_counts(client, staff, other, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = dossier_at(staff, "specialist")
    client_for(client, other.desk)
    assert _count(client.get("/can-bo/").content.decode(), "lien-thong") == 0
    with django_capture_on_commit_callbacks(execute=True):
        processing.dossier_act(
            dossier=d,
            action="transfer",
            actor=staff.specialist,
            note="Xác minh",
            data={"to_agency": str(other.agency.pk)},
        )
    assert _count(client.get("/can-bo/").content.decode(), "lien-thong") == 1
    # Back from the guest agency: its count drops although the dossier no longer names it.
    with django_capture_on_commit_callbacks(execute=True):
        processing.dossier_act(dossier=d, action="transfer_return", actor=other.desk, note="Đã xác minh")
    assert _count(client.get("/can-bo/").content.decode(), "lien-thong") == 0


def test_every_queue_count_equals_the_dossiers_it_lists(staff, other):
    """The counts (scalar subqueries, ``_count_each``) and the lists (``queue_dossiers``)
    come from the same conditions: for every role, each count is the length of its list."""
    from desk import selectors

    for point in ["submitted", "submitted", "received", "specialist", "approval", "issuing", "resolved", "returned"]:
        dossier_at(staff, point)
    late = dossier_at(staff, "specialist")
    Dossier.objects.filter(pk=late.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    soon = dossier_at(staff, "received")
    Dossier.objects.filter(pk=soon.pk).update(
        due_at=deadlines.due_soon_until(timezone.now()) - datetime.timedelta(hours=1)
    )
    dossier_at(other, "submitted")  # another agency's: in nobody's counts here

    empty = selectors.QueueFilters()
    for officer in staff.by_role().values():
        scope = selectors.officer_scope(officer)
        now = timezone.now()
        for queue, count in selectors.queues_for(scope, now):
            if count is None:
                continue
            rows, more = selectors.queue_dossiers(queue.key, scope, empty, now=now)
            assert not more
            assert count == len(rows), (officer.full_name, queue.key)
    desk_counts = {q.key: n for q, n in selectors.queues_for(selectors.officer_scope(staff.desk))}
    assert desk_counts["cho-tiep-nhan"] == 2 and desk_counts["qua-han"] == 1 and desk_counts["sap-den-han"] == 1


def test_a_step_taken_by_the_system_shows_on_the_dossier_page(client, staff):
    """The payment confirmed by the gateway's IPN has no officer: the history says "Hệ thống"
    (this page failed on it until the province generator produced such rows)."""
    from dossiers import workflow

    dossier = dossier_at(staff, "specialist")
    pay_before(staff, dossier, "payment_confirmed")  # the ledger has it; the portal confirms
    processing.dossier_act(dossier=dossier, action="request_payment", actor=staff.specialist)
    workflow.dossier_transition(dossier=dossier, action="payment_confirmed", actor=workflow.SYSTEM)
    client.force_login(staff.desk)
    page = client.get(reverse("desk:dossier", args=[dossier.code]))
    assert page.status_code == 200 and "Hệ thống" in page.content.decode()


def test_queue_rows_show_each_dossier_escaped_with_its_deadline_and_handler(client, staff):
    late = dossier_at(staff, "specialist")
    Dossier.objects.filter(pk=late.pk).update(
        applicant_name="Lê <b>Văn</b> & Tám", due_at=timezone.now() - datetime.timedelta(hours=3)
    )
    late.refresh_from_db()
    fresh = dossier_at(staff, "submitted")
    body = client_for(client, staff.desk).get("/can-bo/", {"hang": "tat-ca"}).content.decode()
    row = re.search(rf'<tr class="late">.*?{re.escape(late.code)}.*?</tr>', body, re.S).group(0)
    assert f'href="/can-bo/ho-so/{late.code}/"' in row
    assert "Lê &lt;b&gt;Văn&lt;/b&gt; &amp; Tám" in row and "<b>Văn</b>" not in row
    assert late.applicant_id_number in row
    assert timezone.localtime(late.due_at).strftime("%d/%m/%Y %H:%M") + ' <strong class="late">quá hạn</strong>' in row
    handler = late.handler.full_name or late.handler.username
    assert f"{late.step_label}<br><small>{handler}</small>" in row
    fresh_row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{re.escape(fresh.code)}.*?</tr>", body, re.S).group(0)
    assert "quá hạn" not in fresh_row and "Trực tuyến" in fresh_row
    assert timezone.localtime(fresh.submitted_at).strftime("%d/%m/%Y %H:%M") in fresh_row
    # Nothing to list, and a filter to mend: each says so in the table.
    body = client.get("/can-bo/", {"hang": "tat-ca", "q": "không ai tên này"}).content.decode()
    assert '<td colspan="7" class="empty">Không có hồ sơ nào.</td>' in body
    body = client.get("/can-bo/", {"hang": "tat-ca", "tu": "31/02/2026"}).content.decode()
    assert '<td colspan="7" class="empty">Hãy sửa điều kiện lọc.</td>' in body


def test_filter_choices_keep_what_was_chosen(client, staff):
    dossier_at(staff, "received")
    body = client_for(client, staff.desk).get("/can-bo/", {"hang": "tat-ca", "kenh": "2", "trang-thai": "2"}).content
    body = body.decode()
    assert '<option value="2" selected>Trực tuyến</option>' in body
    assert re.search(r'<select id="trang-thai".*?<option value="2" selected>', body, re.S)
    assert body.count(" selected>") == 2


def test_a_name_search_in_all_dossiers_finds_its_own_and_those_transferred_to_it_once(client, staff, other):
    from desk import selectors

    mine = [dossier_at(staff, "received") for _ in range(3)]
    transferred = dossier_at(other, "specialist")
    elsewhere = dossier_at(other, "received")
    Dossier.objects.filter(pk__in=[d.pk for d in [*mine, transferred, elsewhere]]).update(
        applicant_name="Nguyễn Thị Mai"
    )
    client_for(client, other.specialist)
    assert (
        client.post(act_url(transferred, "transfer"), {"to_agency": staff.agency.pk, "note": "Xác minh"}).status_code
        == 302
    )
    client_for(client, staff.desk)
    body = client.get("/can-bo/", {"hang": "tat-ca", "q": "thị mai"}).content.decode()
    codes = re.findall(r'<a class="code" href="/can-bo/ho-so/([^/]+)/">', body)
    assert sorted(codes) == sorted([d.code for d in mine] + [transferred.code])  # newest first, each once
    assert elsewhere.code not in codes
    submitted = {d.code: d.submitted_at for d in Dossier.objects.filter(code__in=codes)}
    assert [submitted[c] for c in codes] == sorted(submitted.values(), reverse=True)
    # Paged: the same rows, in the same order, a page at a time.
    original = selectors.PER_PAGE
    selectors.PER_PAGE = 2
    try:
        first = client.get("/can-bo/", {"hang": "tat-ca", "q": "thị mai"}).content.decode()
        second = client.get("/can-bo/", {"hang": "tat-ca", "q": "thị mai", "trang": 2}).content.decode()
    finally:
        selectors.PER_PAGE = original
    pages = [re.findall(r'<a class="code" href="/can-bo/ho-so/([^/]+)/">', p) for p in (first, second)]
    assert pages[0] + pages[1] == codes and 'rel="next"' in first and 'rel="next"' not in second


def test_a_name_search_ignores_the_case_of_vietnamese_letters_on_either_database(client, staff):
    # SQLite's own LIKE folds ASCII letters only; PostgreSQL's UPPER folds "Đ", "Ỗ", "Ị" too,
    # and the embedded default answers the same (portal.db.icontains).
    found = dossier_at(staff, "received")
    not_found = dossier_at(staff, "received")
    Dossier.objects.filter(pk=found.pk).update(applicant_name="Đỗ Thị Ánh")
    Dossier.objects.filter(pk=not_found.pk).update(applicant_name="Đoàn Văn Ân")
    client_for(client, staff.desk)
    for queue in ("tat-ca", "moi-tiep-nhan"):
        for q in ("đỗ thị ánh", "ĐỖ THỊ ÁNH", "Đỗ tHị"):
            body = client.get("/can-bo/", {"hang": queue, "q": q}).content.decode()
            codes = re.findall(r'<a class="code" href="/can-bo/ho-so/([^/]+)/">', body)
            assert codes == [found.code], (queue, q)
        # The search box's % and _ are letters, not wildcards.
        body = client.get("/can-bo/", {"hang": queue, "q": "đ_ thị"}).content.decode()
        assert found.code not in body
