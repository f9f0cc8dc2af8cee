"""The KPI figures as an Excel workbook (openpyxl, write-only: a year of a province in
seconds) and as a PDF (WeasyPrint, the same tables)."""

from __future__ import annotations

import io

from django.utils import timezone

from . import indices

PROCESSING_COLUMNS = (
    ("carried", "Kỳ trước chuyển sang"),
    ("received", "Tiếp nhận trong kỳ"),
    ("received_online", "trong đó trực tuyến"),
    ("received_post", "trong đó bưu chính"),
    ("ended", "Đã giải quyết, kết thúc"),
    ("ended_early", "Trước hạn"),
    ("ended_on_time", "Đúng hạn"),
    ("ended_late", "Quá hạn"),
    ("open_end", "Đang giải quyết"),
    ("open_late", "trong đó quá hạn"),
)


def _indicator_header() -> list[str]:
    header = ["Cơ quan / cấp", "Tổng điểm", "Xếp loại"]
    for name, max_points in indices.GROUPS.values():
        header.append(f"{name} ({max_points})")
    for indicator in indices.INDICATORS:
        header.append(f"{indicator.code} {indicator.name} (%)")
    return header


def _num(value):
    return float(value) if value is not None else None


def _indicator_row(label: str, evaluation: indices.Evaluation) -> list:
    row = [label, _num(evaluation.total), evaluation.band]
    row += [_num(g.points) for g in evaluation.groups]
    row += [_num(evaluation.score(i.code).rate) for i in indices.INDICATORS]
    return row


def _rows_of(board: dict):
    yield "Toàn bộ phạm vi báo cáo", board["figures"], board["evaluation"]
    for tier in board["tiers"]:
        yield f"{tier['label']} ({tier['agencies']} cơ quan)", tier["figures"], tier["evaluation"]
    for row in board["rows"]:
        yield row["agency"].name, row["figures"], row["evaluation"]


def xlsx(board: dict, procedure_rows: list[dict], *, scope: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)

    def header(sheet, values):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    period = board["period"]
    made = timezone.localtime().strftime("%d/%m/%Y %H:%M")
    sheet = book.create_sheet("Chỉ số 766")
    sheet.append([f"Bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg) – {period.label} – {scope}"])
    sheet.append([f"Lập lúc {made}; điểm của từng nhóm theo thang điểm của nhóm, tổng điểm trên 100."])
    header(sheet, _indicator_header())
    for label, _, evaluation in _rows_of(board):
        sheet.append(_indicator_row(label, evaluation))

    sheet = book.create_sheet("Tình hình giải quyết")
    sheet.append([f"Tình hình, kết quả giải quyết thủ tục hành chính – {period.label}"])
    header(sheet, ["Cơ quan / cấp", *(label for _, label in PROCESSING_COLUMNS)])
    for label, figures, _ in _rows_of(board):
        sheet.append([label, *(figures.get(key, 0) for key, _ in PROCESSING_COLUMNS)])

    sheet = book.create_sheet("Dịch vụ công trực tuyến")
    header(
        sheet,
        [
            "Cơ quan",
            "DVC mức 3 (một phần)",
            "mức 3 có phát sinh hồ sơ",
            "DVC mức 4 (toàn trình)",
            "mức 4 có phát sinh hồ sơ",
            "Hồ sơ tiếp nhận",
            "Tiếp nhận trực tuyến",
            "Tỷ lệ trực tuyến (%)",
        ],
    )
    for row in board["rows"]:
        f = row["figures"]
        received = f.get("received", 0)
        sheet.append(
            [
                row["agency"].name,
                f.get("level3", 0),
                f.get("level3_used", 0),
                f.get("level4", 0),
                f.get("level4_used", 0),
                received,
                f.get("received_online", 0),
                round(100 * f.get("received_online", 0) / received, 2) if received else None,
            ]
        )

    sheet = book.create_sheet("Theo thủ tục")
    header(
        sheet,
        [
            "Mã thủ tục",
            "Tên thủ tục",
            "Tiếp nhận",
            "Trực tuyến",
            "Đã giải quyết",
            "Thời gian TB (ngày làm việc)",
            "Bắt đầu nộp trực tuyến",
            "Đã nộp",
            "Được tiếp nhận",
            "Đã trả kết quả",
            "Bỏ dở (%)",
        ],
    )
    for r in procedure_rows:
        sheet.append(
            [
                r["code"],
                r["name"],
                r["received"],
                r["received_online"],
                r["resolved"],
                r["average_days"],
                r["started_online"],
                r["cohort_submitted"],
                r["cohort_received"],
                r["cohort_returned"],
                r["abandon_rate"],
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf(board: dict, procedure_rows: list[dict], *, scope: str, request=None) -> bytes:
    from printing.services import pdf_render

    return pdf_render(
        template="reports/pdf.html",
        context={
            "board": board,
            "columns": PROCESSING_COLUMNS,
            "groups": indices.GROUPS,
            "procedures": procedure_rows[:300],
            "made": timezone.localtime(),
            "scope": scope,
        },
    )
