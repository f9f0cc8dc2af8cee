"""Reading and editing the catalog workbook in tests (procedures.resources): the sheets as
lists of dicts by header, one cell changed, written back to bytes."""

import io

import openpyxl

from procedures.models import Fee, Procedure, ProcedureAgency, ProcedureVersion
from procedures.resources import SHEET_AGENCIES, SHEET_FEES, SHEET_PROCEDURES, SHEETS


def read(content: bytes) -> dict[str, list[dict]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheets = {}
    for title in book.sheetnames:
        rows = list(book[title].iter_rows(values_only=True))
        headers = list(rows[0]) if rows else []
        sheets[title] = [dict(zip(headers, row, strict=False)) for row in rows[1:]]
    return sheets


def write(sheets: dict[str, list[dict]], headers: dict[str, list[str]] | None = None) -> bytes:
    headers = headers or SHEETS
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        columns = headers.get(title) or (list(rows[0]) if rows else [])
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(h) for h in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def edit(content: bytes, code: str, sheet: str = SHEET_PROCEDURES, **cells) -> bytes:
    """The workbook with ``cells`` (header → value) changed on ``code``'s rows of ``sheet``."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    ws = book[sheet]
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == code:
            for header, value in cells.items():
                row[headers.index(header)].value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def snapshot():
    """Every row the import could write, as plain values."""
    return {
        "procedures": list(Procedure.objects.order_by("pk").values_list("pk", "national_code")),
        "versions": list(
            ProcedureVersion.objects.order_by("pk").values_list(
                *[f.attname for f in ProcedureVersion._meta.concrete_fields if f.name not in ("updated_at",)]
            )
        ),
        "fields": list(ProcedureVersion.fields.through.objects.order_by("pk").values_list("pk", "procedureversion_id")),
        "fees": list(Fee.objects.order_by("pk").values_list()),
        "roles": list(ProcedureAgency.objects.order_by("pk").values_list()),
    }


__all__ = ["SHEET_AGENCIES", "SHEET_FEES", "SHEET_PROCEDURES", "edit", "read", "snapshot", "write"]
