"""Catalog admin under bad input (Django test client, logged in as an admin).

Bad codes, bad fee amounts, forged edits of published versions, bad publish dates
and broken import files: each is refused with a Vietnamese message and changes
nothing in the database.
"""

import datetime

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from procedures import resources, services
from procedures.constants import VersionStatus
from procedures.models import (
    Agency,
    Fee,
    Field,
    LegalBasis,
    Procedure,
    ProcedureAgency,
    ProcedureVersion,
    RequiredDocument,
)
from tests.factories import AdminFactory, AgencyFactory, DraftVersionFactory, published_version
from tests.procedures import workbook

pytestmark = pytest.mark.django_db

ADMIN = "/quan-tri/procedures"
IMPORT_URL = f"{ADMIN}/procedureversion/import/"
PROCESS_URL = f"{ADMIN}/procedureversion/process_import/"
CODE_ERROR = "Mã thủ tục phải có dạng d.dddddd"


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


def catalog_state():
    """Everything an admin action under test could change."""
    return {
        "procedures": list(Procedure.objects.order_by("pk").values_list("pk", "national_code")),
        "versions": list(
            ProcedureVersion.objects.order_by("pk").values_list(
                "pk", "number", "status", "name", "steps", "service_level", "effective_from", "is_current"
            )
        ),
        "fees": list(Fee.objects.order_by("pk").values_list("pk", "version_id", "kind", "amount", "name")),
        "documents": list(RequiredDocument.objects.order_by("pk").values_list("pk", "version_id", "name")),
        "agency_roles": list(ProcedureAgency.objects.order_by("pk").values_list("pk", "version_id", "agency_id")),
        "legal": list(LegalBasis.objects.order_by("pk").values_list("pk", "version_id", "number")),
        "fields": list(Field.objects.order_by("pk").values_list("pk", "name")),
        "agencies": Agency.objects.count(),
    }


def body_of(response) -> str:
    return response.content.decode()


def form_data(response) -> dict:
    """The POST data a browser would send back for an admin change form, unchanged."""
    data = {}

    def add(form):
        for bound in form:
            field, name, value = bound.field, bound.html_name, bound.value()
            if isinstance(field, forms.FileField):
                continue
            if isinstance(field.widget, forms.CheckboxInput):
                if value:
                    data[name] = "on"
                continue
            if value is None:
                data[name] = ""
            elif isinstance(value, list | tuple):
                data[name] = [str(v) for v in value]
            else:
                formatted = field.widget.format_value(field.prepare_value(value))
                if isinstance(formatted, list):  # Select.format_value gives a list
                    formatted = formatted[0] if formatted else ""
                data[name] = "" if formatted is None else str(formatted)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    data["_save"] = "Lưu lại"
    return data


# --- procedure identity -----------------------------------------------------------


@pytest.mark.parametrize("code", ["1.23", "abc", "", "1.0011930", "1,001193", "1.00119a", " ", "1.001193\x00"])
def test_procedure_with_invalid_code_is_refused(admin_client, code):
    response = admin_client.post(f"{ADMIN}/procedure/add/", {"national_code": code, "_save": "Lưu lại"})
    assert response.status_code == 200
    assert CODE_ERROR in body_of(response)
    assert "national_code" in response.context["adminform"].form.errors
    assert Procedure.objects.count() == 0


def test_procedure_with_valid_code_is_created(admin_client):
    response = admin_client.post(f"{ADMIN}/procedure/add/", {"national_code": "1.001193", "_save": "Lưu lại"})
    assert response.status_code == 302
    assert Procedure.objects.filter(national_code="1.001193").exists()


def test_duplicate_procedure_code_is_refused(admin_client):
    Procedure.objects.create(national_code="1.001193")
    response = admin_client.post(f"{ADMIN}/procedure/add/", {"national_code": "1.001193", "_save": "Lưu lại"})
    assert response.status_code == 200
    assert "national_code" in response.context["adminform"].form.errors
    assert Procedure.objects.count() == 1


# --- draft change form ------------------------------------------------------------


@pytest.fixture
def draft():
    return DraftVersionFactory(name="Cấp giấy phép lái xe", parts__amount=135000)


def test_draft_change_form_round_trip_saves(admin_client, draft):
    """Control for the tests below: the unchanged form, with a new name, saves."""
    url = f"{ADMIN}/procedureversion/{draft.pk}/change/"
    data = form_data(admin_client.get(url))
    data["name"] = "Cấp, đổi giấy phép lái xe"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.name == "Cấp, đổi giấy phép lái xe"
    assert draft.fees.get().amount == 135000


@pytest.mark.parametrize("amount", ["-1", "-5000", "abc", "1.5", "12345678901", "1e3", ""])
def test_bad_fee_amount_is_refused_and_nothing_saved(admin_client, draft, amount):
    url = f"{ADMIN}/procedureversion/{draft.pk}/change/"
    data = form_data(admin_client.get(url))
    assert data["fees-TOTAL_FORMS"] == "1"
    before = catalog_state()
    data["name"] = "Tên đã sửa nhưng không được lưu"
    data["steps"] = "Một bước khác"
    data["fees-0-amount"] = amount

    response = admin_client.post(url, data)

    assert response.status_code == 200
    fee_formset = next(i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == "fees")
    errors = fee_formset.errors[0].get("amount")
    assert errors, fee_formset.errors
    assert not any("Ensure" in e or "Enter a" in e or "required" in e for e in errors), errors
    assert "errorlist" in body_of(response)
    assert catalog_state() == before


def test_new_fee_line_with_negative_amount_is_refused(admin_client, draft):
    url = f"{ADMIN}/procedureversion/{draft.pk}/change/"
    data = form_data(admin_client.get(url))
    before = catalog_state()
    data.update(
        {
            "fees-TOTAL_FORMS": "2",
            "fees-1-kind": "phi",
            "fees-1-name": "Phí thẩm định",
            "fees-1-amount": "-1",
            "fees-1-version": str(draft.pk),
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert catalog_state() == before


# --- published versions are read-only --------------------------------------------


@pytest.fixture
def published():
    return published_version(name="Đăng ký khai sinh", parts__amount=8000)


def test_published_change_form_is_read_only(admin_client, published):
    response = admin_client.get(f"{ADMIN}/procedureversion/{published.pk}/change/")
    assert response.status_code == 200
    body = body_of(response)
    assert 'name="name"' not in body
    assert 'name="steps"' not in body
    assert 'name="fees-0-amount"' not in body
    assert "Tạo bản nháp mới từ phiên bản này" in body


def test_forged_post_does_not_change_a_published_version(admin_client, published):
    before = catalog_state()
    fee = published.fees.get()
    forged = {
        "name": "Đã bị sửa trái phép",
        "steps": "Bước giả mạo",
        "service_level": "4",
        "status": "draft",
        "fees-TOTAL_FORMS": "2",
        "fees-INITIAL_FORMS": "1",
        "fees-MIN_NUM_FORMS": "0",
        "fees-MAX_NUM_FORMS": "1000",
        "fees-0-id": str(fee.pk),
        "fees-0-version": str(published.pk),
        "fees-0-kind": "le_phi",
        "fees-0-name": "Lệ phí",
        "fees-0-amount": "1",
        "fees-0-DELETE": "on",
        "fees-1-version": str(published.pk),
        "fees-1-kind": "phi",
        "fees-1-name": "Phí mới",
        "fees-1-amount": "999",
        "_save": "Lưu lại",
    }
    response = admin_client.post(f"{ADMIN}/procedureversion/{published.pk}/change/", forged)
    assert response.status_code in (200, 302, 403)
    assert catalog_state() == before


def test_published_version_cannot_be_deleted(admin_client, published):
    before = catalog_state()
    response = admin_client.post(f"{ADMIN}/procedureversion/{published.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert catalog_state() == before


def test_publish_view_refuses_a_published_version(admin_client, published):
    before = catalog_state()
    response = admin_client.post(
        f"{ADMIN}/procedureversion/{published.pk}/cong-bo/", {"effective_from": "2030-01-01"}, follow=True
    )
    assert "Phiên bản này đã được công bố." in body_of(response)
    assert catalog_state() == before


# --- publishing -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Hãy nhập ngày hiệu lực."),
        ("   ", "Ngày không hợp lệ"),
        ("abc", "Ngày không hợp lệ"),
        ("31/02/2026", "Ngày không hợp lệ"),
        ("2026-13-01", "Ngày không hợp lệ"),
        ("1/1", "Ngày không hợp lệ"),
        ("99999-01-01", "Ngày không hợp lệ"),
        ("2026-01-01\x00", "Ngày không hợp lệ"),
    ],
)
def test_publish_with_bad_date_shows_error_and_keeps_draft(admin_client, draft, value, message):
    before = catalog_state()
    response = admin_client.post(f"{ADMIN}/procedureversion/{draft.pk}/cong-bo/", {"effective_from": value})
    assert response.status_code == 200
    assert message in body_of(response)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    assert catalog_state() == before


def test_publish_before_latest_effective_date_is_refused(admin_client, published):
    draft = services.version_create_draft(procedure=published.procedure)
    before = catalog_state()
    earlier = published.effective_from - datetime.timedelta(days=1)
    response = admin_client.post(
        f"{ADMIN}/procedureversion/{draft.pk}/cong-bo/", {"effective_from": earlier.strftime("%d/%m/%Y")}
    )
    assert response.status_code == 200
    assert "Ngày hiệu lực không được trước ngày hiệu lực" in body_of(response)
    assert catalog_state() == before


def test_publish_incomplete_draft_lists_what_is_missing(admin_client):
    draft = DraftVersionFactory(name="Thủ tục thiếu hồ sơ", applicants="")
    draft.documents.all().delete()
    draft.agency_roles.all().delete()
    ProcedureVersion.objects.filter(pk=draft.pk).update(steps="", at_province=False)
    url = f"{ADMIN}/procedureversion/{draft.pk}/cong-bo/"

    page = body_of(admin_client.get(url))
    for part in ("trình tự thực hiện", "thành phần hồ sơ", "đối tượng thực hiện", "cơ quan thực hiện", "cấp thực hiện"):
        assert part in page

    before = catalog_state()
    response = admin_client.post(url, {"effective_from": timezone.localdate().isoformat()})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "Hồ sơ thủ tục còn thiếu" in errors
    assert "trình tự thực hiện" in errors and "thành phần hồ sơ" in errors
    assert catalog_state() == before


def test_publish_complete_draft(admin_client, draft):
    response = admin_client.post(
        f"{ADMIN}/procedureversion/{draft.pk}/cong-bo/", {"effective_from": timezone.localdate().strftime("%d/%m/%Y")}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED and draft.is_current


# --- import (the catalog workbook: procedures.resources) --------------------------------


def post_import(client, name: str, content: bytes):
    return client.post(IMPORT_URL, {"import_file": SimpleUploadedFile(name, content)})


def assert_refused(response, before, *messages):
    assert response.status_code == 200
    assert response.context["confirm_form"] is None
    body = body_of(response)
    for message in messages:
        assert message in body, message
    assert catalog_state() == before


@pytest.fixture
def agency():
    return AgencyFactory(code="000.00.06.H56", name="Sở Giao thông vận tải")


def test_good_file_previews_each_change_then_confirm_writes_one_draft(admin_client, published):
    """Control for the tests below: an edited export goes through preview and confirm."""
    code = published.procedure.national_code
    content = workbook.edit(resources.catalog_workbook(), code, **{"Tên thủ tục": "Đăng ký khai sinh lưu động"})
    before = catalog_state()
    response = post_import(admin_client, "danh-muc.xlsx", content)
    assert response.status_code == 200
    body = body_of(response)
    assert "Đăng ký khai sinh lưu động" in body and "Xác nhận nhập" in body
    [change] = response.context["plan"].changes
    assert [(f.label, f.old, f.new) for f in change.fields] == [
        ("Tên thủ tục", "Đăng ký khai sinh", "Đăng ký khai sinh lưu động")
    ]
    assert catalog_state() == before  # the preview left nothing behind

    confirm = response.context["confirm_form"]
    response = admin_client.post(PROCESS_URL, {**confirm.initial, "confirm": "Xác nhận nhập"})
    assert response.status_code == 302
    draft = published.procedure.versions.get(status=VersionStatus.DRAFT)
    assert draft.name == "Đăng ký khai sinh lưu động" and not draft.is_current
    published.refresh_from_db()
    assert published.name == "Đăng ký khai sinh" and published.is_current
    # confirmed twice: the file is gone, nothing more is written
    after = catalog_state()
    response = admin_client.post(PROCESS_URL, {**confirm.initial, "confirm": "Xác nhận nhập"}, follow=True)
    assert "Tệp tạm của lần nhập này không còn" in body_of(response)
    assert catalog_state() == after


def test_unchanged_export_previews_nothing_to_do(admin_client, published):
    response = post_import(admin_client, "danh-muc.xlsx", resources.catalog_workbook())
    assert "Tệp không thay đổi gì so với danh mục" in body_of(response)
    assert response.context["confirm_form"] is None


def test_confirm_after_the_catalog_changed_shows_the_new_preview_instead(admin_client, published):
    code = published.procedure.national_code
    content = workbook.edit(resources.catalog_workbook(), code, **{"Mức độ": 3})
    response = post_import(admin_client, "danh-muc.xlsx", content)
    confirm = response.context["confirm_form"]
    draft = services.version_create_draft(procedure=published.procedure)
    draft.service_level = 3  # someone made the same edit meanwhile
    draft.save()
    before = catalog_state()
    response = admin_client.post(PROCESS_URL, {**confirm.initial, "confirm": "Xác nhận nhập"})
    assert response.status_code == 200
    assert "Danh mục đã thay đổi từ lúc xem trước" in body_of(response)
    assert catalog_state() == before


def test_garbage_bytes_named_xlsx(admin_client, published):
    before = catalog_state()
    response = post_import(admin_client, "danh-muc.xlsx", b"\x00\x01\x02 not a spreadsheet \xff" * 40)
    assert_refused(response, before, "Không đọc được tệp")


def test_csv_file_is_refused(admin_client, published):
    before = catalog_state()
    response = post_import(admin_client, "danh-muc.csv", "Mã thủ tục,Tên thủ tục\n1.000001,Tên\n".encode())
    assert_refused(response, before, "Không đọc được tệp", "Excel (.xlsx)")


def test_no_file(admin_client, published):
    before = catalog_state()
    response = admin_client.post(IMPORT_URL, {})
    assert_refused(response, before, "Hãy chọn tệp Excel")


def test_file_missing_a_sheet_or_columns(admin_client, published):
    before = catalog_state()
    response = post_import(admin_client, "la.xlsx", workbook.write({"Sheet": [{"Foo": 1}]}))
    assert_refused(response, before, "Tệp thiếu trang “Thủ tục”")
    sheets = workbook.read(resources.catalog_workbook())
    content = workbook.write(sheets, headers={**workbook.SHEETS, "Thủ tục": ["Mã thủ tục", "Tên thủ tục"]})
    response = post_import(admin_client, "thieu-cot.xlsx", content)
    assert_refused(response, before, "Trang “Thủ tục” thiếu cột", "“Cách nộp”")


@pytest.mark.parametrize(
    ("sheet", "cells", "message"),
    [
        ("Cơ quan thực hiện", {"Mã cơ quan": "000.00.99.H99"}, "Không có cơ quan mang mã 000.00.99.H99"),
        ("Phí, lệ phí", {"Số tiền (đồng)": "-5000"}, "cột “Số tiền (đồng)”: Số tiền “-5000” không hợp lệ"),
        ("Thủ tục", {"Mức độ": "5"}, "dòng 2, cột “Mức độ”: Mức độ phải là 1, 2, 3 hoặc 4"),
    ],
)
def test_one_bad_cell_imports_nothing(admin_client, published, sheet, cells, message):
    other = published_version(name="Cấp giấy phép xây dựng")
    content = workbook.edit(resources.catalog_workbook(), other.procedure.national_code, **{"Mức độ": 4})
    content = workbook.edit(content, published.procedure.national_code, sheet, **cells)
    before = catalog_state()
    response = post_import(admin_client, "mot-dong-loi.xlsx", content)
    assert_refused(response, before, message, "chưa nhập gì")


def test_forged_confirm_with_missing_temp_file(admin_client, published):
    before = catalog_state()
    for token in ("../../etc/passwd", "0" * 32):
        response = admin_client.post(PROCESS_URL, {"token": token, "fingerprint": "0" * 64, "confirm": "1"})
        assert response.status_code == 302
    assert catalog_state() == before


def test_procedure_code_is_read_only_once_created(client):
    from django.urls import reverse

    from tests.factories import AdminFactory, published_version

    version = published_version()
    client.force_login(AdminFactory())
    url = reverse("admin:procedures_procedure_change", args=[version.procedure.pk])
    response = client.post(url, {"national_code": "9.999999"})
    version.procedure.refresh_from_db()
    assert version.procedure.national_code != "9.999999"
    assert response.status_code in (200, 302)


def test_uploads_left_unconfirmed_are_removed_after_a_day(admin_client, published):
    import os
    import time

    from procedures.admin import _import_dir

    content = workbook.edit(resources.catalog_workbook(), published.procedure.national_code, **{"Mức độ": 3})
    response = post_import(admin_client, "danh-muc.xlsx", content)
    token = response.context["confirm_form"].initial["token"]
    waiting = _import_dir() / f"{token}.xlsx"
    assert waiting.is_file()
    os.utime(waiting, (time.time() - 25 * 3600,) * 2)
    post_import(admin_client, "khac.xlsx", content)  # any later import cleans up
    assert not waiting.exists()
