"""The catalog's Excel round trip (procedures.resources, services.catalog_import_apply).

The export holds the versions in force, one row per procedure keyed by its code, with
every field the round trip keeps; importing it back changes nothing; an edited cell
changes that field of that procedure's draft and nothing else; bad cells are named by
sheet, row and column, and then nothing is written.
"""

import datetime
import io
import sqlite3
import threading

import openpyxl
import pytest
from django.db import connection, connections
from django.utils import timezone

from procedures import resources, services
from procedures.constants import AgencyRole, ApprovalChain, FeeCollection, FeeKind, VersionStatus
from procedures.models import Fee, ProcedureAgency, ProcedureVersion
from tests.factories import AgencyFactory, DraftVersionFactory, FieldFactory
from tests.procedures import workbook
from tests.procedures.workbook import SHEET_AGENCIES, SHEET_FEES, SHEET_PROCEDURES, snapshot

pytestmark = pytest.mark.django_db


def rich_version(**kwargs) -> ProcedureVersion:
    """Two published versions (the old one differing everywhere), the second in force with
    two named fees (one with an online amount), two agencies (one with its own level) and
    a non-default approval chain and fee collection."""
    field = FieldFactory(name="Hộ tịch")
    first = DraftVersionFactory(name="Tên của phiên bản 1", service_level=2, **kwargs)
    first = services.version_publish(version=first, effective_from=datetime.date(2024, 1, 1))
    draft = services.version_create_draft(procedure=first.procedure)
    draft.name = "Đăng ký khai sinh"
    draft.service_level = 3
    draft.channel_online = True
    draft.fee_collection = FeeCollection.AFTER
    draft.approval_chain = ApprovalChain.BOTH
    draft.time_limit_note = "Trường hợp cần xác minh: thêm 5 ngày"
    draft.for_organisations = True
    draft.save()
    draft.fields.set([field])
    Fee.objects.filter(version=draft).delete()
    Fee.objects.create(
        version=draft, kind=FeeKind.LEVY, name="Lệ phí đăng ký khai sinh", amount=8000, online_amount=4000
    )
    Fee.objects.create(version=draft, kind=FeeKind.CHARGE, name="Phí cấp bản sao trích lục", amount=3000, code="P01")
    other = AgencyFactory(name="UBND phường Hạc Thành")
    ProcedureAgency.objects.create(version=draft, agency=other, role=AgencyRole.COORDINATING, service_level=4)
    return services.version_publish(version=draft, effective_from=datetime.date(2025, 7, 1))


def plan_of(content: bytes):
    return resources.plan_catalog_import(content)


def apply(content: bytes):
    plan = plan_of(content)
    assert plan.errors == []
    return plan, services.catalog_import_apply(changes=plan.changes)


# --- the export ---------------------------------------------------------------------------


def test_export_holds_the_versions_in_force_one_row_per_procedure_with_every_part():
    current = rich_version()
    sheets = workbook.read(resources.catalog_workbook())
    [row] = sheets[SHEET_PROCEDURES]  # version 1 is not exported (it was, and the last row won)
    assert row["Mã thủ tục"] == current.procedure.national_code
    assert row["Phiên bản"] == 2
    assert row["Tên thủ tục"] == "Đăng ký khai sinh"
    assert row["Mức độ"] == 3
    assert row["Trình ký kết quả"] == ApprovalChain.BOTH.label
    assert row["Hình thức thu phí, lệ phí"] == FeeCollection.AFTER.label
    assert row["Thời hạn giải quyết"] == 5 and row["Đơn vị thời hạn"] == "ngày làm việc"
    assert row["Ghi chú thời hạn"] == "Trường hợp cần xác minh: thêm 5 ngày"
    assert "Trực tuyến" in row["Cách nộp"]
    fees = {
        (f["Loại"], f["Nội dung"], f["Số tiền (đồng)"], f["Số tiền khi nộp trực tuyến (đồng)"])
        for f in sheets[SHEET_FEES]
    }
    assert fees == {
        ("Lệ phí", "Lệ phí đăng ký khai sinh", 8000, 4000),
        ("Phí", "Phí cấp bản sao trích lục", 3000, None),
    }
    roles = {(a["Vai trò"], a["Mức độ tại cơ quan"]) for a in sheets[SHEET_AGENCIES]}
    assert roles == {(AgencyRole.IMPLEMENTING.label, None), (AgencyRole.COORDINATING.label, 4)}


def test_a_text_starting_with_equals_is_exported_as_text_not_a_formula():
    rich_version(applicants='=HYPERLINK("http://x")')
    book = openpyxl.load_workbook(io.BytesIO(resources.catalog_workbook()))
    sheet = book[SHEET_PROCEDURES]
    column = [c.value for c in sheet[1]].index("Đối tượng thực hiện")
    cell = sheet.cell(row=2, column=column + 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


# --- the round trip -----------------------------------------------------------------------


def test_round_trip_without_edits_changes_nothing():
    rich_version()
    DraftVersionFactory()  # a procedure never published: not exported, untouched
    before = snapshot()
    plan, drafts = apply(resources.catalog_workbook())
    assert plan.changes == [] and drafts == [] and plan.unchanged == 1
    assert snapshot() == before


def test_round_trip_of_the_demo_catalog_changes_nothing():
    from portal.demo.loader import _load_catalog, _load_reference

    _load_reference()
    _load_catalog()
    assert ProcedureVersion.objects.filter(is_current=True).count() > 300
    before = snapshot()
    content = resources.catalog_workbook()
    plan, drafts = apply(content)
    assert (plan.changes, drafts) == ([], [])
    assert plan.unchanged == ProcedureVersion.objects.filter(is_current=True).count()
    assert snapshot() == before
    assert not ProcedureVersion.objects.filter(status=VersionStatus.DRAFT).exists()


def test_one_edited_cell_changes_that_field_of_that_procedure_only():
    current = rich_version()
    other = rich_version()
    code = current.procedure.national_code
    before = snapshot()
    content = workbook.edit(resources.catalog_workbook(), code, **{"Tên thủ tục": "Đăng ký khai sinh (sửa)"})
    plan = plan_of(content)
    [change] = plan.changes
    assert change.code == code and plan.unchanged == 1
    assert [(f.label, f.old, f.new) for f in change.fields] == [
        ("Tên thủ tục", "Đăng ký khai sinh", "Đăng ký khai sinh (sửa)")
    ]
    assert snapshot() == before  # the preview wrote nothing

    [draft] = services.catalog_import_apply(changes=plan.changes)
    assert draft.procedure == current.procedure and draft.status == VersionStatus.DRAFT and draft.number == 3
    assert draft.name == "Đăng ký khai sinh (sửa)"
    # everything else as in force: the fees' names, the agency's own level, the chain
    assert resources.version_record(draft) == {**resources.version_record(current), "name": "Đăng ký khai sinh (sửa)"}
    assert draft.documents.count() == current.documents.count()
    assert not other.procedure.versions.filter(status=VersionStatus.DRAFT).exists()
    assert ProcedureVersion.objects.filter(status=VersionStatus.DRAFT).count() == 1


def test_fee_and_agency_edits_reach_the_draft():
    current = rich_version()
    code = current.procedure.national_code
    content = resources.catalog_workbook()
    content = workbook.edit(content, code, SHEET_FEES, **{"Số tiền khi nộp trực tuyến (đồng)": "2.000"})
    sheets = workbook.read(content)
    sheets[SHEET_AGENCIES] = [a for a in sheets[SHEET_AGENCIES] if a["Vai trò"] != AgencyRole.COORDINATING.label]
    plan = plan_of(workbook.write(sheets))
    [change] = plan.changes
    assert sorted(change.values) == ["agencies", "fees"]
    fees = next(f for f in change.fields if f.key == "fees")
    assert "trực tuyến 4.000 đ" in fees.old and "trực tuyến 2.000 đ" in fees.new
    [draft] = services.catalog_import_apply(changes=plan.changes)
    levy = draft.fees.get(kind=FeeKind.LEVY)
    assert (levy.name, levy.amount, levy.online_amount) == ("Lệ phí đăng ký khai sinh", 8000, 2000)
    assert draft.agency_roles.count() == 1


def test_an_edit_goes_into_the_open_draft_and_keeps_its_other_edits():
    current = rich_version()
    draft = services.version_create_draft(procedure=current.procedure)
    draft.steps = "Bước 1: sửa trên bản nháp"
    draft.save()
    code = current.procedure.national_code
    exported = resources.catalog_workbook()
    assert plan_of(exported).changes == []  # the row as in force: the open draft is left alone
    plan, drafts = apply(workbook.edit(exported, code, **{"Mức độ": 4}))
    assert [f.key for f in plan.changes[0].fields] == ["service_level"]
    assert drafts[0].pk == draft.pk
    draft.refresh_from_db()
    assert (draft.service_level, draft.steps) == (4, "Bước 1: sửa trên bản nháp")


def test_a_new_code_opens_a_new_procedure_with_a_first_draft():
    current = rich_version()
    sheets = workbook.read(resources.catalog_workbook())
    for sheet in sheets.values():
        for row in sheet:
            row["Mã thủ tục"] = "2.000123"
    sheets[SHEET_PROCEDURES][0]["Phiên bản"] = None
    plan, [draft] = apply(workbook.write(sheets))
    assert plan.changes[0].is_new
    assert draft.procedure.national_code == "2.000123" and draft.number == 1
    assert resources.version_record(draft) == resources.version_record(current)


# --- the defects: every version exported, every row into one draft -----------------------


def test_two_rows_of_one_procedure_are_refused_instead_of_the_last_winning():
    current = rich_version()
    sheets = workbook.read(resources.catalog_workbook())
    old = dict(sheets[SHEET_PROCEDURES][0], **{"Tên thủ tục": "Tên của phiên bản 1"})
    sheets[SHEET_PROCEDURES].append(old)
    before = snapshot()
    plan = plan_of(workbook.write(sheets))
    assert plan.changes == []
    assert plan.errors == [
        f"Trang “Thủ tục”, dòng 3, cột “Mã thủ tục”: Thủ tục {current.procedure.national_code} đã có ở dòng 2; "
        "mỗi thủ tục chỉ một dòng."
    ]
    assert snapshot() == before


def test_a_file_exported_before_a_newer_version_was_published_is_refused():
    current = rich_version()
    content = workbook.edit(resources.catalog_workbook(), current.procedure.national_code, **{"Phiên bản": 1})
    plan = plan_of(content)
    assert plan.changes == []
    assert "Tệp ghi phiên bản 1 nhưng thủ tục" in plan.errors[0] and "phiên bản 2" in plan.errors[0]


# --- bad cells: named by sheet, row and column; nothing written ---------------------------


@pytest.mark.parametrize(
    ("sheet", "cells", "message"),
    [
        (
            SHEET_AGENCIES,
            {"Mã cơ quan": "000.00.99.H99"},
            "Trang “Cơ quan thực hiện”, dòng 2, cột “Mã cơ quan”: "
            "Không có cơ quan mang mã 000.00.99.H99 trong danh mục cơ quan.",
        ),
        (SHEET_AGENCIES, {"Mã cơ quan": "So Tu phap"}, "cột “Mã cơ quan”: Mã cơ quan “So Tu phap” không đúng dạng"),
        (SHEET_AGENCIES, {"Vai trò": "Chủ trì"}, "cột “Vai trò”: Vai trò “Chủ trì” không hợp lệ"),
        (SHEET_AGENCIES, {"Mức độ tại cơ quan": 7}, "cột “Mức độ tại cơ quan”: Mức độ phải là 1, 2, 3 hoặc 4"),
        (
            SHEET_FEES,
            {"Số tiền (đồng)": "-5000"},
            "Trang “Phí, lệ phí”, dòng 2, cột “Số tiền (đồng)”: Số tiền “-5000” không hợp lệ",
        ),
        (SHEET_FEES, {"Số tiền (đồng)": 12.5}, "cột “Số tiền (đồng)”: Số tiền “12.5” không hợp lệ"),
        (SHEET_FEES, {"Số tiền khi nộp trực tuyến (đồng)": "abc"}, "cột “Số tiền khi nộp trực tuyến (đồng)”"),
        (SHEET_FEES, {"Loại": "Thuế"}, "cột “Loại”: Loại “Thuế” không hợp lệ"),
        (SHEET_FEES, {"Nội dung": ""}, "cột “Nội dung”: Thiếu nội dung phí, lệ phí."),
        (SHEET_PROCEDURES, {"Mức độ": "5"}, "Trang “Thủ tục”, dòng 2, cột “Mức độ”: Mức độ phải là 1, 2, 3 hoặc 4"),
        (SHEET_PROCEDURES, {"Mức độ": "cao"}, "cột “Mức độ”: Mức độ phải là 1, 2, 3 hoặc 4 (đang là “cao”)"),
        (SHEET_PROCEDURES, {"Tên thủ tục": ""}, "cột “Tên thủ tục”: Thiếu tên thủ tục."),
        (SHEET_PROCEDURES, {"Cấp thực hiện": "Quận"}, "cột “Cấp thực hiện”: Cấp thực hiện “Quận” không hợp lệ"),
        (SHEET_PROCEDURES, {"Lĩnh vực": "Không có"}, "cột “Lĩnh vực”: Không có lĩnh vực “Không có”"),
        (SHEET_PROCEDURES, {"Thời hạn giải quyết": "năm ngày"}, "cột “Thời hạn giải quyết”: Thời hạn “năm ngày”"),
        (SHEET_PROCEDURES, {"Đơn vị thời hạn": "tuần"}, "cột “Đơn vị thời hạn”: Đơn vị thời hạn phải là"),
        (SHEET_PROCEDURES, {"Trình ký kết quả": "Chủ tịch"}, "cột “Trình ký kết quả”: Trình ký “Chủ tịch”"),
        (SHEET_PROCEDURES, {"Hình thức thu phí, lệ phí": "Thu giữa"}, "Hình thức thu “Thu giữa” không hợp lệ"),
        (SHEET_PROCEDURES, {"Mã thủ tục": "1.23"}, "cột “Mã thủ tục”: Mã thủ tục “1.23” không đúng dạng"),
    ],
)
def test_a_bad_cell_is_named_and_nothing_is_written(sheet, cells, message):
    good = rich_version()
    other = rich_version()
    code = good.procedure.national_code
    content = workbook.edit(resources.catalog_workbook(), other.procedure.national_code, **{"Tên thủ tục": "Sửa"})
    content = workbook.edit(content, code, sheet, **cells)
    before = snapshot()
    plan = plan_of(content)
    assert plan.changes == []
    assert any(message in error for error in plan.errors), plan.errors
    [header] = cells  # only that cell's messages (one per edited row), none caused by it
    assert header == "Mã thủ tục" or all(f"Trang “{sheet}”" in e and f"cột “{header}”" in e for e in plan.errors), (
        plan.errors
    )
    assert snapshot() == before


def test_a_file_that_is_not_the_catalog_workbook_is_refused():
    with pytest.raises(resources.CatalogFileError, match="Không đọc được tệp"):
        plan_of(b"Ma thu tuc,Ten\n1.000001,abc\n")
    plan = plan_of(workbook.write({"Trang khác": [{"a": 1}]}))
    assert "Tệp thiếu trang “Thủ tục”" in plan.errors[0]
    plan = plan_of(workbook.write({SHEET_PROCEDURES: [], SHEET_FEES: [], SHEET_AGENCIES: []}))
    assert plan.errors == ["Trang “Thủ tục” không có dòng thủ tục nào."]
    sheets = {SHEET_PROCEDURES: [{"Mã thủ tục": "1.000001"}], SHEET_FEES: [], SHEET_AGENCIES: []}
    plan = plan_of(workbook.write(sheets, headers={SHEET_PROCEDURES: ["Mã thủ tục", "Tên thủ tục"]}))
    assert plan.errors[0].startswith("Trang “Thủ tục” thiếu cột: “Mức độ”")


# --- the embedded default: the preview takes no write lock --------------------------------


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock")
def test_preview_does_not_wait_for_another_writer_on_sqlite(transactional_db, settings):
    """django-import-export's preview was a dry run inside a transaction, which on the
    embedded default (BEGIN IMMEDIATE) takes the write lock for the whole catalog: with the
    demo's beat or another admin writing, it waited and failed with "database is locked"
    (and made them wait). The preview only reads now; the confirmation writes briefly."""
    current = rich_version()
    content = workbook.edit(resources.catalog_workbook(), current.procedure.national_code, **{"Mức độ": 4})
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=1, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        done = []

        def preview():
            try:
                done.append(plan_of(content))
            finally:
                connections.close_all()

        worker = threading.Thread(target=preview)
        worker.start()
        worker.join(timeout=10)
        assert done and [c.code for c in done[0].changes] == [current.procedure.national_code]
    finally:
        other.execute("ROLLBACK")
        other.close()
    services.catalog_import_apply(changes=done[0].changes)
    assert current.procedure.versions.get(status=VersionStatus.DRAFT).service_level == 4


def test_an_edit_of_a_procedure_with_a_version_published_for_later_is_refused():
    current = rich_version()
    code = current.procedure.national_code
    content = workbook.edit(resources.catalog_workbook(), code, **{"Mức độ": 4})
    draft = services.version_create_draft(procedure=current.procedure)
    later = timezone.localdate() + datetime.timedelta(days=30)
    services.version_publish(version=draft, effective_from=later)
    plan = plan_of(content)
    assert plan.changes == []
    assert f"hiệu lực từ ngày {later:%d/%m/%Y}, chưa áp dụng" in plan.errors[0]
    assert plan_of(resources.catalog_workbook()).errors == []  # an unedited row is fine


def test_a_procedure_without_any_agency_row_is_refused():
    current = rich_version()
    sheets = workbook.read(resources.catalog_workbook())
    sheets[SHEET_AGENCIES] = []
    plan = plan_of(workbook.write(sheets))
    assert plan.errors == [
        f"Trang “Thủ tục”, dòng 2, cột “Mã thủ tục”: Thủ tục {current.procedure.national_code} chưa có cơ quan "
        "thực hiện nào ở trang “Cơ quan thực hiện”."
    ]
