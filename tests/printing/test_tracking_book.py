"""Mẫu 07, the tracking book: rows, PDF read with pypdf, Excel read with openpyxl."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from printing import services
from tests.dossiers.staff import agency_staff, dossier_at
from tests.printing.helpers import local_day, page_count, pdf_text

pytestmark = pytest.mark.django_db


def days_ago(days: int, hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 15)))


@pytest.fixture
def book(staff):
    """Three dossiers of the agency received 20 and 10 days ago and today (returned),
    one received 60 days ago, one of another agency, one never received."""
    old = dossier_at(staff, "received", now=days_ago(60))
    first = dossier_at(staff, "received", now=days_ago(20))
    second = dossier_at(staff, "specialist", now=days_ago(10, hour=14))
    third = dossier_at(staff, "returned")
    other = dossier_at(agency_staff(), "received", now=days_ago(10))
    waiting = dossier_at(staff, "submitted")
    return {"old": old, "first": first, "second": second, "third": third, "other": other, "waiting": waiting}


def period(days: int = 30) -> dict:
    today = timezone.localdate()
    return {"date_from": today - datetime.timedelta(days=days), "date_to": today}


def test_rows_are_the_agency_dossiers_received_in_the_period_in_order(staff, book):
    rows = services.tracking_book_rows(agency=staff.agency, **period())

    assert [r.code for r in rows] == [book["first"].code, book["second"].code, book["third"].code]
    assert [r.number for r in rows] == [1, 2, 3]
    first = rows[0]
    assert first.applicant_name == book["first"].applicant_name
    assert first.procedure == book["first"].procedure_version.name
    assert first.address == "Thôn 3, xã Hoằng Tiến" and first.phone == book["first"].applicant_phone
    assert first.sets == 1
    assert first.officer == "Trần Thị Mai"
    assert first.received_at == book["first"].received_at and first.due_at == book["first"].due_at
    assert first.returned_at is None and rows[2].returned_at is not None
    assert rows[2].note == "Đã trả kết quả"


def test_period_bounds_are_whole_local_days(staff, book):
    day = timezone.localdate() - datetime.timedelta(days=10)
    rows = services.tracking_book_rows(agency=staff.agency, date_from=day, date_to=day)
    assert [r.code for r in rows] == [book["second"].code]


def test_period_is_checked():
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.tracking_book_check_period(date_from=today, date_to=today - datetime.timedelta(days=1))
    assert "date_to" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.tracking_book_check_period(date_from=today - datetime.timedelta(days=366), date_to=today)
    services.tracking_book_check_period(date_from=today - datetime.timedelta(days=365), date_to=today)


def test_pdf_book(staff, book):
    data = services.tracking_book_pdf(agency=staff.agency, **period())

    assert data.startswith(b"%PDF-") and page_count(data) == 1
    text = pdf_text(data)
    assert "SỔ THEO DÕI HỒ SƠ" in text and "SỞ TƯ PHÁP" in text
    today = timezone.localdate()
    assert f"Từ ngày {today - datetime.timedelta(days=30):%d/%m/%Y} đến ngày {today:%d/%m/%Y}" in text
    squeezed = "".join(text.split())  # narrow columns wrap codes and names
    for key in ("first", "second", "third"):
        assert book[key].code in squeezed
        assert "".join(book[key].applicant_name.split()) in squeezed
    assert book["old"].code not in squeezed and book["other"].code not in squeezed
    assert local_day(book["first"].received_at) in text
    assert "Tổng số: 3 hồ sơ." in text


def test_empty_pdf_book_says_so(staff):
    text = pdf_text(services.tracking_book_pdf(agency=staff.agency, **period()))
    assert "Không có hồ sơ nào được tiếp nhận trong khoảng thời gian này." in text


def test_pdf_book_refuses_too_many_rows(staff, book, monkeypatch):
    monkeypatch.setattr(services, "BOOK_PDF_MAX_ROWS", 2)
    with pytest.raises(ValidationError) as error:
        services.tracking_book_pdf(agency=staff.agency, **period())
    assert "Excel" in error.value.message_dict["format"][0]


def test_xlsx_book(staff, book):
    data = services.tracking_book_xlsx(agency=staff.agency, **period())

    sheet = load_workbook(io.BytesIO(data)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "SỞ TƯ PHÁP" and values[1][0] == "SỔ THEO DÕI HỒ SƠ"
    header = values[4]
    assert header == services.BOOK_COLUMNS
    assert header[:4] == ["STT", "Mã hồ sơ", "Nội dung", "Số lượng (bộ)"]
    rows = values[5:]
    assert [r[1] for r in rows] == [book["first"].code, book["second"].code, book["third"].code]
    first = dict(zip(header, rows[0], strict=True))
    assert first["STT"] == 1 and first["Số lượng (bộ)"] == 1
    assert first["Họ tên chủ hồ sơ"] == book["first"].applicant_name
    assert first["Người nhận hồ sơ"] == "Trần Thị Mai"
    received = timezone.localtime(book["first"].received_at)
    assert abs(first["Ngày nhận hồ sơ"] - received.replace(tzinfo=None)) < datetime.timedelta(seconds=1)
    assert isinstance(first["Ngày hẹn trả"], datetime.datetime)
    assert first["Ngày trả kết quả"] is None
    assert isinstance(dict(zip(header, rows[2], strict=True))["Ngày trả kết quả"], datetime.datetime)
