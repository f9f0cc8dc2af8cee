"""Shared by the printing tests: read a stored PDF's text, move dossiers with events on."""

import datetime
import io
import unicodedata

from django.utils import timezone
from pypdf import PdfReader

from dossiers import deadlines


def pdf_text(data: bytes) -> str:
    """All text of a PDF, NFC-normalised, whitespace collapsed to single spaces."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def form_text(form) -> str:
    with form.file.open("rb") as fh:
        return pdf_text(fh.read())


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def local_day(value: datetime.datetime) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y}"


def local_moment(value: datetime.datetime) -> str:
    value = timezone.localtime(value)
    return f"{value:%H} giờ {value:%M} phút, ngày {value:%d/%m/%Y}"


def next_working_day_after(value: datetime.datetime) -> datetime.date:
    day = timezone.localtime(value).date() + datetime.timedelta(days=1)
    while not deadlines.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day
