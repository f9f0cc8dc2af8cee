"""Excel import and export of the catalog.

The procedure catalog goes out and comes back as one workbook, keyed by the national
code (DECISIONS §37): the sheet "Thủ tục" has one row per procedure, the version in force
(``is_current``) with its number; "Phí, lệ phí" one row per fee line; "Cơ quan thực hiện"
one row per agency role with its own service level. Headers are in Vietnamese, as admins
see them. ``catalog_workbook`` writes it; ``plan_catalog_import`` reads one back and says,
procedure by procedure and field by field, what importing it would change, without
writing anything; ``services.catalog_import_apply`` then writes those changes into one
draft per procedure, in one short transaction. A row identical to the version in force
changes nothing; a bad cell is reported at its sheet, row and column, and then nothing
is imported. Documents, cases, legal bases and e-form fields are not in the workbook: a
draft keeps them as copied from the version in force.

Agencies use django-import-export (``AgencyResource``).
"""

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal, InvalidOperation

import openpyxl
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.utils import timezone
from import_export import fields, resources, widgets
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from portal.text import fold, slugify_vi
from portal.uploads import OFFICE_MAX_UNPACKED

from .constants import (
    AGENCY_CODE_PATTERN,
    NATIONAL_CODE_PATTERN,
    AgencyRole,
    ApprovalChain,
    FeeCollection,
    FeeKind,
    Tier,
    TimeUnit,
    VersionStatus,
)
from .models import Agency, Procedure, ProcedureAgency, ProcedureVersion
from .models import Field as CatalogField

LIST_SEPARATORS = re.compile(r"[;\n]+")

TIER_WORDS = {
    "bo": Tier.MINISTRY,
    "cap bo": Tier.MINISTRY,
    "0": Tier.MINISTRY,
    "tinh": Tier.PROVINCE,
    "cap tinh": Tier.PROVINCE,
    "1": Tier.PROVINCE,
    "huyen": Tier.DISTRICT,
    "cap huyen": Tier.DISTRICT,
    "2": Tier.DISTRICT,
    "xa": Tier.COMMUNE,
    "cap xa": Tier.COMMUNE,
    "3": Tier.COMMUNE,
}
TIER_FLAG = {
    Tier.MINISTRY: "at_ministry",
    Tier.PROVINCE: "at_province",
    Tier.DISTRICT: "at_district",
    Tier.COMMUNE: "at_commune",
}
UNIT_WORDS = {
    "ngay lam viec": TimeUnit.WORKING_DAYS,
    "working_days": TimeUnit.WORKING_DAYS,
    "ngay": TimeUnit.DAYS,
    "days": TimeUnit.DAYS,
    "gio": TimeUnit.HOURS,
    "gio lam viec": TimeUnit.HOURS,
    "hours": TimeUnit.HOURS,
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _split(value) -> list[str]:
    return [part.strip() for part in LIST_SEPARATORS.split(_text(value)) if part.strip()]


class RequiredTextWidget(widgets.Widget):
    def __init__(self, label: str, max_length: int):
        self.label = label
        self.max_length = max_length
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            raise ValueError(f"Thiếu {self.label}.")
        if len(text) > self.max_length:
            raise ValueError(f"{self.label.capitalize()} dài quá {self.max_length} ký tự.")
        return text


class OptionalTextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return _text(value)

    def render(self, value, obj=None, **kwargs):
        return value or ""


# --- the catalog workbook ---------------------------------------------------------------

SHEET_PROCEDURES = "Thủ tục"
SHEET_FEES = "Phí, lệ phí"
SHEET_AGENCIES = "Cơ quan thực hiện"
CODE_HEADER = "Mã thủ tục"
NUMBER_HEADER = "Phiên bản"
EMPTY = "(trống)"
XLSX_MAX_BYTES = 20 * 1024 * 1024
CELL_MAX = 32_767  # the most characters an Excel cell holds: a longer text cannot make the round trip
TIER_ORDER = (Tier.PROVINCE, Tier.COMMUNE, Tier.DISTRICT, Tier.MINISTRY)
TIER_SHORT = {Tier.PROVINCE: "Tỉnh", Tier.COMMUNE: "Xã", Tier.DISTRICT: "Huyện", Tier.MINISTRY: "Bộ"}
CHANNELS = (("counter", "Trực tiếp"), ("post", "Bưu chính công ích"), ("online", "Trực tuyến"))
CHANNEL_WORDS = {
    "truc tiep": "counter",
    "nop truc tiep": "counter",
    "buu chinh": "post",
    "buu chinh cong ich": "post",
    "dich vu buu chinh cong ich": "post",
    "truc tuyen": "online",
    "nop truc tuyen": "online",
}
AUDIENCES = (("individual", "Cá nhân"), ("organisation", "Tổ chức, doanh nghiệp"))
AUDIENCE_WORDS = {
    "ca nhan": "individual",
    "to chuc": "organisation",
    "doanh nghiep": "organisation",
    "to chuc, doanh nghiep": "organisation",
}


def clean_text(value) -> str:
    """A cell or a stored text as the workbook compares it: no characters a spreadsheet
    cannot hold, one kind of line break, no spaces around."""
    text = _text(value).replace("\r\n", "\n").replace("\r", "\n")
    return ILLEGAL_CHARACTERS_RE.sub("", text).strip()


def _choice_parser(choices, words: dict | None, what: str, default=None):
    """A cell holding one of ``choices`` (TextChoices): its label, its value, or a word."""
    by_word = {fold(label): value for value, label in choices.choices}
    by_word.update({fold(value): value for value in choices.values})
    by_word.update(words or {})
    allowed = ", ".join(f"“{label}”" for label in choices.labels)

    def parse(value):
        word = fold(clean_text(value))
        if not word and default is not None:
            return default
        if word in by_word:
            return by_word[word]
        starting = {choice for known, choice in by_word.items() if len(word) >= 6 and known.startswith(word)}
        if len(starting) == 1:
            return starting.pop()
        raise ValueError(f"{what} “{clean_text(value)[:40]}” không hợp lệ; ghi một trong: {allowed}.")

    return parse


def _text_parser(max_length: int, what: str, required: bool = False):
    def parse(value):
        text = clean_text(value)
        if required and not text:
            raise ValueError(f"Thiếu {what}.")
        if len(text) > max_length:
            raise ValueError(f"{what.capitalize()} dài quá {max_length} ký tự.")
        return text

    return parse


def _level(value, *, required: bool = True):
    text = clean_text(value)
    if not text and not required:
        return None
    if text not in {"1", "2", "3", "4"}:
        raise ValueError(f"Mức độ phải là 1, 2, 3 hoặc 4 (đang là “{text[:20]}”).")
    return int(text)


def _vnd(value, *, required: bool = True):
    """Whole đồng: "100.000", "100000" and "100 000 đ" are all 100000."""
    text = clean_text(value)
    if not text:
        if required:
            raise ValueError("Thiếu số tiền.")
        return None
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"Số tiền “{text[:30]}” không hợp lệ: chỉ ghi số nguyên đồng, không âm, ví dụ 100000.")
    digits = re.sub(r"[\s.]|đ|d|vnd", "", fold(text).replace("dong", ""))
    if fold(text) == "khong":
        digits = "0"
    if not digits.isdigit():
        raise ValueError(f"Số tiền “{text[:30]}” không hợp lệ: chỉ ghi số nguyên đồng, không âm, ví dụ 100000.")
    amount = int(digits)
    if amount > 10_000_000_000:
        raise ValueError("Số tiền vượt quá 10 tỷ đồng, hãy kiểm tra lại.")
    return amount


def _time_limit(value):
    text = clean_text(value).replace(",", ".")
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"Thời hạn “{text[:20]}” phải là một số, ví dụ 5 hoặc 0,5.") from None
    if not amount.is_finite() or amount < 0 or amount > 9999:
        raise ValueError("Thời hạn phải từ 0 đến 9999.")
    if amount != amount.quantize(Decimal("0.1")):
        raise ValueError("Thời hạn ghi tối đa một chữ số thập phân, ví dụ 0,5.")
    return amount.quantize(Decimal("0.1"))


def _time_unit(value):
    text = fold(clean_text(value))
    if not text:
        return TimeUnit.WORKING_DAYS
    if text not in UNIT_WORDS:
        raise ValueError("Đơn vị thời hạn phải là “ngày làm việc”, “ngày” hoặc “giờ làm việc”.")
    return UNIT_WORDS[text].value


def _words(value, words: dict, order: tuple, what: str, allowed: str) -> tuple:
    found = set()
    for part in LIST_SEPARATORS.split(clean_text(value)):
        word = fold(part.strip())
        if not word:
            continue
        if word not in words:
            raise ValueError(f"{what} “{part.strip()[:30]}” không hợp lệ ({allowed}).")
        found.add(words[word])
    return tuple(item for item in order if item in found)


def _tiers(value) -> tuple:
    found = set()
    for part in re.split(r"[;,\n]+", clean_text(value)):
        word = fold(part.strip())
        if not word:
            continue
        if word not in TIER_WORDS:
            raise ValueError(f"Cấp thực hiện “{part.strip()[:30]}” không hợp lệ (Tỉnh, Xã, Huyện hoặc Bộ).")
        found.add(TIER_WORDS[word])
    if not found:
        raise ValueError("Thiếu cấp thực hiện (Tỉnh, Xã…).")
    return tuple(tier.value for tier in TIER_ORDER if tier in found)


def _channels(value) -> tuple:
    return _words(value, CHANNEL_WORDS, tuple(k for k, _ in CHANNELS), "Cách nộp", "Trực tiếp, Bưu chính, Trực tuyến")


def _audience(value) -> tuple:
    return _words(value, AUDIENCE_WORDS, tuple(k for k, _ in AUDIENCES), "Đối tượng", "Cá nhân; Tổ chức, doanh nghiệp")


class Column:
    """A column of the "Thủ tục" sheet: its header, how a cell becomes a value (or a
    Vietnamese message) and back, and how the preview shows a value."""

    def __init__(self, key: str, header: str, parse, cell=None, show=None):
        self.key, self.header, self.parse = key, header, parse
        self.cell = cell or (lambda value: value)
        self.show = show or (lambda value, names: value if value not in ("", None) else EMPTY)


def _show_labels(pairs):
    labels = dict(pairs)
    return lambda value, names: ", ".join(str(labels.get(v, v)) for v in value) or EMPTY


def _show_choice(choices):
    return lambda value, names: str(choices(value).label) if value else EMPTY


def _decimal_text(value) -> str:
    return "" if value is None else f"{value.normalize():f}".replace(".", ",")


PROCEDURE_COLUMNS = [
    Column("name", "Tên thủ tục", _text_parser(500, "tên thủ tục", required=True)),
    Column("service_level", "Mức độ", _level, show=lambda v, names: str(v)),
    Column(
        "tiers",
        "Cấp thực hiện",
        _tiers,
        cell=lambda v: ", ".join(TIER_SHORT[Tier(t)] for t in v),
        show=lambda v, names: ", ".join(TIER_SHORT[Tier(t)] for t in v),
    ),
    Column(
        "fields",
        "Lĩnh vực",
        lambda value: tuple(_split(value)),  # matched against the catalog by the reader
        cell=lambda v: "; ".join(v),
        show=lambda v, names: "; ".join(names.get(("field", c), c) for c in v) or EMPTY,
    ),
    Column(
        "channels",
        "Cách nộp",
        _channels,
        cell=lambda v: "; ".join(dict(CHANNELS)[c] for c in v),
        show=_show_labels(CHANNELS),
    ),
    Column(
        "time_limit",
        "Thời hạn giải quyết",
        _time_limit,
        cell=lambda v: None if v is None else (int(v) if v == v.to_integral() else float(v)),
        show=lambda v, names: _decimal_text(v) or EMPTY,
    ),
    Column(
        "time_limit_unit", "Đơn vị thời hạn", _time_unit, cell=lambda v: TimeUnit(v).label, show=_show_choice(TimeUnit)
    ),
    Column("time_limit_note", "Ghi chú thời hạn", _text_parser(CELL_MAX, "ghi chú thời hạn")),
    Column("applicants", "Đối tượng thực hiện", _text_parser(CELL_MAX, "đối tượng thực hiện")),
    Column(
        "audience",
        "Dành cho",
        _audience,
        cell=lambda v: "; ".join(dict(AUDIENCES)[a] for a in v),
        show=_show_labels(AUDIENCES),
    ),
    Column("steps", "Trình tự thực hiện", _text_parser(CELL_MAX, "trình tự thực hiện")),
    Column("results", "Kết quả thực hiện", _text_parser(CELL_MAX, "kết quả thực hiện")),
    Column("conditions", "Yêu cầu, điều kiện", _text_parser(CELL_MAX, "yêu cầu, điều kiện")),
    Column("receiving_address", "Địa chỉ tiếp nhận", _text_parser(CELL_MAX, "địa chỉ tiếp nhận")),
    Column(
        "fee_collection",
        "Hình thức thu phí, lệ phí",
        _choice_parser(FeeCollection, {"thu truoc": "before", "thu sau": "after"}, "Hình thức thu", "before"),
        cell=lambda v: FeeCollection(v).label,
        show=_show_choice(FeeCollection),
    ),
    Column("fee_note", "Ghi chú phí, lệ phí", _text_parser(CELL_MAX, "ghi chú phí, lệ phí")),
    Column(
        "approval_chain",
        "Trình ký kết quả",
        _choice_parser(ApprovalChain, None, "Trình ký", ApprovalChain.DEPARTMENT.value),
        cell=lambda v: ApprovalChain(v).label,
        show=_show_choice(ApprovalChain),
    ),
    Column("description", "Mô tả", _text_parser(CELL_MAX, "mô tả")),
    Column("keywords", "Từ khóa", _text_parser(500, "từ khóa")),
]
PROCEDURE_HEADERS = [CODE_HEADER, NUMBER_HEADER] + [c.header for c in PROCEDURE_COLUMNS]
FEE_HEADERS = [
    CODE_HEADER,
    "Loại",
    "Mã phí, lệ phí",
    "Nội dung",
    "Số tiền (đồng)",
    "Số tiền khi nộp trực tuyến (đồng)",
    "Đối tượng miễn, giảm",
    "Mô tả",
]
AGENCY_HEADERS = [CODE_HEADER, "Mã cơ quan", "Tên cơ quan", "Vai trò", "Mức độ tại cơ quan"]
SHEETS = {SHEET_PROCEDURES: PROCEDURE_HEADERS, SHEET_FEES: FEE_HEADERS, SHEET_AGENCIES: AGENCY_HEADERS}
LABELS = {c.key: c.header for c in PROCEDURE_COLUMNS} | {"fees": SHEET_FEES, "agencies": SHEET_AGENCIES}

_fee_kind = _choice_parser(FeeKind, {"phi": "phi", "le phi": "le_phi"}, "Loại")
_agency_role = _choice_parser(AgencyRole, None, "Vai trò", AgencyRole.IMPLEMENTING.value)


def _sort_key(row: tuple) -> tuple:
    return tuple((1, "") if item is None else (0, item) for item in row)


def version_record(version: ProcedureVersion) -> dict:
    """A version as the workbook holds it (every value in the form the reader gives).
    Fees and agency roles are compared as sets of lines, whatever their order."""
    record = {c.key: clean_text(getattr(version, c.key)) for c in PROCEDURE_COLUMNS if hasattr(version, c.key)}
    record.update(
        service_level=version.service_level,
        tiers=tuple(t.value for t in TIER_ORDER if getattr(version, TIER_FLAG[t])),
        fields=tuple(sorted(f.code for f in version.fields.all())),
        channels=tuple(k for k, _ in CHANNELS if getattr(version, f"channel_{k}")),
        time_limit=None if version.time_limit is None else version.time_limit.quantize(Decimal("0.1")),
        time_limit_unit=version.time_limit_unit,
        audience=tuple(
            k
            for k, flag in (("individual", version.for_individuals), ("organisation", version.for_organisations))
            if flag
        ),
        fee_collection=version.fee_collection,
        approval_chain=version.approval_chain,
        fees=tuple(
            sorted(
                (
                    (
                        f.kind,
                        clean_text(f.code),
                        clean_text(f.name),
                        f.amount,
                        f.online_amount,
                        clean_text(f.exemptions),
                        clean_text(f.description),
                    )
                    for f in version.fees.all()
                ),
                key=_sort_key,
            )
        ),
        agencies=tuple(
            sorted(((r.agency.code, r.role, r.service_level) for r in version.agency_roles.all()), key=_sort_key)
        ),
    )
    return record


def _record_versions():
    return ProcedureVersion.objects.select_related("procedure").prefetch_related(
        "fields",
        "fees",
        Prefetch("agency_roles", queryset=ProcedureAgency.objects.select_related("agency").order_by("pk")),
    )


def _string_cell(sheet, value):
    """A cell that holds ``value`` as typed: a text starting with "=" stays text, not a formula."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def catalog_workbook() -> bytes:
    """The catalog in force as an Excel workbook: one row per procedure (its current
    version, numbered), its fee lines and agency roles on their own sheets."""
    book = openpyxl.Workbook(write_only=True)
    sheets = {}
    for title, headers in SHEETS.items():
        sheet = book.create_sheet(title)
        sheet.append(headers)
        sheets[title] = sheet
    versions = _record_versions().filter(is_current=True).order_by("procedure__national_code")
    names = {}
    for version in versions:
        code = version.procedure.national_code
        record = version_record(version)
        row = [code, version.number] + [c.cell(record[c.key]) for c in PROCEDURE_COLUMNS]
        sheets[SHEET_PROCEDURES].append([_string_cell(sheets[SHEET_PROCEDURES], v) for v in row])
        for kind, fee_code, name, amount, online, exemptions, description in record["fees"]:
            row = [code, FeeKind(kind).label, fee_code, name, amount, online, exemptions, description]
            sheets[SHEET_FEES].append([_string_cell(sheets[SHEET_FEES], v) for v in row])
        for role in version.agency_roles.all():
            names[role.agency.code] = role.agency.name
        for agency_code, role, level in record["agencies"]:
            row = [code, agency_code, names[agency_code], AgencyRole(role).label, level]
            sheets[SHEET_AGENCIES].append([_string_cell(sheets[SHEET_AGENCIES], v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class CatalogFileError(ValueError):
    """The file as a whole cannot be read as the catalog workbook."""


def _open_workbook(content: bytes):
    if len(content) > XLSX_MAX_BYTES:
        raise CatalogFileError("Tệp lớn quá 20 MB; danh mục xuất từ trang quản trị nhỏ hơn nhiều.")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > OFFICE_MAX_UNPACKED:
                raise CatalogFileError("Tệp giải nén ra quá lớn; hãy dùng tệp xuất từ trang quản trị.")
        return openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except CatalogFileError:
        raise
    except Exception:
        raise CatalogFileError(
            "Không đọc được tệp: hãy chọn tệp Excel (.xlsx) xuất từ trang quản trị (nút “Xuất Excel”)."
        ) from None


def _sheet_rows(book, title: str, headers: list[str], errors: list[str]):
    """(row number, {header: cell}) of a sheet's non-empty rows; a missing sheet or
    column is one message."""
    if title not in book.sheetnames:
        errors.append(f"Tệp thiếu trang “{title}”. Hãy dùng tệp xuất từ trang quản trị.")
        return []
    rows = book[title].iter_rows(values_only=True)
    header_row = next(rows, None) or ()
    found = [clean_text(h) for h in header_row]
    missing = [h for h in headers if h not in found and h != NUMBER_HEADER]
    if missing:
        errors.append(f"Trang “{title}” thiếu cột: " + ", ".join(f"“{h}”" for h in missing) + ".")
        return []
    index = {h: found.index(h) for h in headers if h in found}
    result = []
    for number, row in enumerate(rows, start=2):
        cells = {h: (row[i] if i < len(row) else None) for h, i in index.items()}
        if all(clean_text(v) == "" for v in cells.values()):
            continue
        result.append((number, cells))
    return result


def _where(title: str, number: int, header: str | None = None) -> str:
    return f"Trang “{title}”, dòng {number}" + (f", cột “{header}”" if header else "")


def read_catalog_workbook(content: bytes) -> tuple[dict, dict, list[str]]:
    """The workbook's procedures: ({code: record}, {code: (row number, exported version
    number or None)}, messages). Every bad cell gives one message naming its sheet, row
    and column; the file is read only, nothing is written."""
    book = _open_workbook(content)
    errors: list[str] = []
    sheets = {title: _sheet_rows(book, title, headers, errors) for title, headers in SHEETS.items()}
    book.close()
    if errors:
        return {}, {}, errors
    if not sheets[SHEET_PROCEDURES]:
        return {}, {}, [f"Trang “{SHEET_PROCEDURES}” không có dòng thủ tục nào."]

    field_codes = dict(CatalogField.objects.values_list("code", "code"))
    field_names = {fold(name): code for code, name in CatalogField.objects.values_list("code", "name")}
    agency_codes = set(Agency.objects.values_list("code", flat=True))
    records: dict[str, dict] = {}
    rows: dict[str, tuple[int, int | None]] = {}

    for number, cells in sheets[SHEET_PROCEDURES]:
        code = clean_text(cells[CODE_HEADER])
        if not code:
            errors.append(f"{_where(SHEET_PROCEDURES, number, CODE_HEADER)}: Thiếu mã thủ tục.")
            continue
        if not re.match(NATIONAL_CODE_PATTERN, code):
            errors.append(
                f"{_where(SHEET_PROCEDURES, number, CODE_HEADER)}: Mã thủ tục “{code[:40]}” không đúng dạng "
                "d.dddddd (ví dụ 1.001193)."
            )
            continue
        if code in rows:
            errors.append(
                f"{_where(SHEET_PROCEDURES, number, CODE_HEADER)}: Thủ tục {code} đã có ở dòng {rows[code][0]}; "
                "mỗi thủ tục chỉ một dòng."
            )
            continue
        exported = clean_text(cells.get(NUMBER_HEADER))
        if exported and not exported.isdigit():
            errors.append(f"{_where(SHEET_PROCEDURES, number, NUMBER_HEADER)}: Phiên bản phải là một số.")
            exported = ""
        rows[code] = (number, int(exported) if exported else None)
        record = {}
        for column in PROCEDURE_COLUMNS:
            try:
                record[column.key] = column.parse(cells[column.header])
            except ValueError as exc:
                errors.append(f"{_where(SHEET_PROCEDURES, number, column.header)}: {exc}")
        if "fields" in record:
            codes = []
            for item in record["fields"]:
                known = field_codes.get(item) or field_names.get(fold(item))
                if known is None:
                    errors.append(
                        f"{_where(SHEET_PROCEDURES, number, 'Lĩnh vực')}: Không có lĩnh vực “{item[:60]}” "
                        "trong danh mục lĩnh vực."
                    )
                else:
                    codes.append(known)
            record["fields"] = tuple(sorted(set(codes)))
        record["fees"], record["agencies"] = [], []
        records[code] = record

    fee_parsers = (
        _fee_kind,
        _text_parser(50, "mã phí, lệ phí"),
        _text_parser(500, "nội dung phí, lệ phí", required=True),
        _vnd,
        lambda v: _vnd(v, required=False),
        _text_parser(CELL_MAX, "đối tượng miễn, giảm"),
        _text_parser(CELL_MAX, "mô tả"),
    )
    for number, cells in sheets[SHEET_FEES]:
        record = _owner(records, cells, SHEET_FEES, number, errors)
        line, ok = [], True
        for header, parse in zip(FEE_HEADERS[1:], fee_parsers, strict=True):
            try:
                line.append(parse(cells[header]))
            except ValueError as exc:
                errors.append(f"{_where(SHEET_FEES, number, header)}: {exc}")
                ok = False
        if record is not None and ok:
            record["fees"].append(tuple(line))

    with_agency_rows = set()
    for number, cells in sheets[SHEET_AGENCIES]:
        record = _owner(records, cells, SHEET_AGENCIES, number, errors)
        with_agency_rows.add(clean_text(cells[CODE_HEADER]))
        at = _where(SHEET_AGENCIES, number, "Mã cơ quan")
        agency = clean_text(cells["Mã cơ quan"])
        ok = True
        if not agency:
            errors.append(f"{at}: Thiếu mã cơ quan.")
            ok = False
        elif not re.match(AGENCY_CODE_PATTERN, agency):
            errors.append(f"{at}: Mã cơ quan “{agency[:30]}” không đúng dạng 000.00.06.H56.")
            ok = False
        elif agency not in agency_codes:
            errors.append(f"{at}: Không có cơ quan mang mã {agency} trong danh mục cơ quan.")
            ok = False
        try:
            role = _agency_role(cells["Vai trò"])
        except ValueError as exc:
            errors.append(f"{_where(SHEET_AGENCIES, number, 'Vai trò')}: {exc}")
            ok = False
        try:
            level = _level(cells["Mức độ tại cơ quan"], required=False)
        except ValueError as exc:
            errors.append(f"{_where(SHEET_AGENCIES, number, 'Mức độ tại cơ quan')}: {exc}")
            ok = False
        if record is not None and ok:
            if any(a == agency and r == role for a, r, _ in record["agencies"]):
                errors.append(f"{at}: Cơ quan {agency} đã có vai trò này ở dòng trên.")
            record["agencies"].append((agency, role, level))

    for code, record in records.items():
        record["fees"] = tuple(sorted(record["fees"], key=_sort_key))
        record["agencies"] = tuple(sorted(record["agencies"], key=_sort_key))
        if code not in with_agency_rows:  # (a bad agency row has its own message)
            errors.append(
                f"{_where(SHEET_PROCEDURES, rows[code][0], CODE_HEADER)}: Thủ tục {code} chưa có cơ quan thực hiện "
                f"nào ở trang “{SHEET_AGENCIES}”."
            )
    return records, rows, errors


def _owner(records: dict, cells: dict, title: str, number: int, errors: list[str]) -> dict | None:
    code = clean_text(cells[CODE_HEADER])
    if code in records:
        return records[code]
    if not code:
        errors.append(f"{_where(title, number, CODE_HEADER)}: Thiếu mã thủ tục.")
    else:
        errors.append(
            f"{_where(title, number, CODE_HEADER)}: Thủ tục {code[:40]} không có ở trang “{SHEET_PROCEDURES}” "
            "(hoặc dòng của nó có lỗi)."
        )
    return None


# --- what an import would change ----------------------------------------------------------


@dataclass
class FieldChange:
    key: str
    label: str
    old: str
    new: str


@dataclass
class ProcedureChange:
    """What importing one row does to one procedure: the values it writes into the
    procedure's draft (opened from ``source_id`` if there is none yet)."""

    code: str
    name: str
    row: int
    procedure_id: int | None = None
    source_id: int | None = None
    draft_id: int | None = None
    values: dict = dataclass_field(default_factory=dict)
    fields: list[FieldChange] = dataclass_field(default_factory=list)

    @property
    def is_new(self) -> bool:
        return self.procedure_id is None


@dataclass
class ImportPlan:
    changes: list[ProcedureChange] = dataclass_field(default_factory=list)
    unchanged: int = 0
    errors: list[str] = dataclass_field(default_factory=list)

    def fingerprint(self) -> str:
        """Names exactly what the preview showed, so that a confirmation applies that and
        nothing else (the catalog or the file may have changed in between)."""
        parts = [
            (c.code, c.procedure_id, c.source_id, c.draft_id, sorted((k, repr(v)) for k, v in c.values.items()))
            for c in self.changes
        ]
        return hashlib.sha256(repr(parts).encode()).hexdigest()


def _show_lines(key: str, lines: tuple, names: dict) -> list[str]:
    if key == "fees":
        return [
            f"{FeeKind(kind).label} · {name} · {amount:,} đ".replace(",", ".")
            + ("" if online is None else f" · trực tuyến {online:,} đ".replace(",", "."))
            + (f" · mã {code}" if code else "")
            + (f" · miễn, giảm: {exemptions}" if exemptions else "")
            + (f" · {description}" if description else "")
            for kind, code, name, amount, online, exemptions, description in lines
        ]
    return [
        f"{code} {names.get(('agency', code), '')} · {AgencyRole(role).label}"
        + ("" if level is None else f" · mức {level}")
        for code, role, level in lines
    ]


def _nothing(key: str):
    """The "old" value of a new procedure's field, for the preview."""
    return () if key in ("fees", "agencies") else None


def _field_change(key: str, old, new, names: dict) -> FieldChange:
    if key in ("fees", "agencies"):
        removed = [line for line in old if line not in new]
        added = [line for line in new if line not in old]
        return FieldChange(
            key,
            LABELS[key],
            "\n".join(_show_lines(key, tuple(removed), names)) or EMPTY,
            "\n".join(_show_lines(key, tuple(added), names)) or EMPTY,
        )
    column = next(c for c in PROCEDURE_COLUMNS if c.key == key)
    old_text = EMPTY if old is None else str(column.show(old, names))
    return FieldChange(key, LABELS[key], old_text, str(column.show(new, names)))


def plan_catalog_import(content: bytes) -> ImportPlan:
    """What importing the workbook would change, procedure by procedure, field by field;
    only reads. A row changes what differs from the version it was exported from (the one
    in force), written into the procedure's draft: a row identical to the version in force
    changes nothing, and leaves an open draft as it is."""
    records, rows, errors = read_catalog_workbook(content)
    plan = ImportPlan(errors=errors)
    if errors:
        return plan
    procedures = {p.national_code: p for p in Procedure.objects.filter(national_code__in=list(records))}
    versions = {}
    for version in (
        _record_versions()
        .filter(procedure__in=procedures.values())
        .filter(Q(is_current=True) | Q(status=VersionStatus.DRAFT))
    ):
        versions[(version.procedure_id, "draft" if version.status == VersionStatus.DRAFT else "current")] = version
    upcoming = dict(
        ProcedureVersion.objects.filter(
            procedure__in=procedures.values(),
            status=VersionStatus.PUBLISHED,
            is_current=False,
            effective_from__gt=timezone.localdate(),
        ).values_list("procedure_id", "effective_from")
    )
    names = {("field", c): f"{c} – {n}" for c, n in CatalogField.objects.values_list("code", "name")}
    names |= {("agency", c): n for c, n in Agency.objects.values_list("code", "name")}
    for code, record in records.items():
        row, exported = rows[code]
        procedure = procedures.get(code)
        change = ProcedureChange(code=code, name=record["name"], row=row)
        if procedure is None:
            change.values = dict(record)
            change.fields = [_field_change(key, _nothing(key), value, names) for key, value in record.items()]
            plan.changes.append(change)
            continue
        current = versions.get((procedure.pk, "current"))
        draft = versions.get((procedure.pk, "draft"))
        source = current or draft or _record_versions().filter(procedure=procedure).order_by("-number").first()
        if current is not None and exported is not None and exported != current.number:
            plan.errors.append(
                f"{_where(SHEET_PROCEDURES, row, NUMBER_HEADER)}: Tệp ghi phiên bản {exported} nhưng thủ tục {code} "
                f"đang áp dụng phiên bản {current.number}. Hãy xuất lại danh mục rồi sửa trên tệp mới."
            )
            continue
        base = version_record(source)
        target = version_record(draft) if draft is not None else base
        edited = {key: value for key, value in record.items() if value != base[key]}
        if edited and procedure.pk in upcoming:
            # The next draft must follow the version already published for a later day, not
            # the one in force the row was compared with: edited on the admin's pages.
            plan.errors.append(
                f"{_where(SHEET_PROCEDURES, row, CODE_HEADER)}: Thủ tục {code} đã có phiên bản công bố, hiệu lực "
                f"từ ngày {upcoming[procedure.pk]:%d/%m/%Y}, chưa áp dụng; hãy sửa thủ tục này trên trang quản trị."
            )
            continue
        change.procedure_id, change.source_id = procedure.pk, source.pk
        change.draft_id = draft.pk if draft is not None else None
        change.values = {key: value for key, value in edited.items() if value != target[key]}
        change.fields = [_field_change(key, target[key], value, names) for key, value in change.values.items()]
        if change.values:
            plan.changes.append(change)
        else:
            plan.unchanged += 1
    if plan.errors:
        plan.changes = []
    return plan


class AgencyResource(resources.ModelResource):
    code = fields.Field(attribute="code", column_name="Mã định danh")
    name = fields.Field(attribute="name", column_name="Tên cơ quan", widget=RequiredTextWidget("tên cơ quan", 255))
    short_name = fields.Field(attribute="short_name", column_name="Tên viết tắt", widget=OptionalTextWidget())
    tier = fields.Field(attribute="tier", column_name="Cấp")
    parent = fields.Field(
        attribute="parent", column_name="Mã cơ quan cấp trên", widget=widgets.ForeignKeyWidget(Agency, field="code")
    )
    address = fields.Field(attribute="address", column_name="Địa chỉ", widget=OptionalTextWidget())
    phone = fields.Field(attribute="phone", column_name="Điện thoại", widget=OptionalTextWidget())
    email = fields.Field(attribute="email", column_name="Thư điện tử", widget=OptionalTextWidget())
    effective_from = fields.Field(
        attribute="effective_from", column_name="Hiệu lực từ", widget=widgets.DateWidget(coerce_to_string=False)
    )
    effective_to = fields.Field(
        attribute="effective_to", column_name="Hết hiệu lực từ", widget=widgets.DateWidget(coerce_to_string=False)
    )
    successor = fields.Field(
        attribute="successor", column_name="Mã cơ quan kế thừa", widget=widgets.ForeignKeyWidget(Agency, field="code")
    )

    class Meta:
        model = Agency
        import_id_fields = ["code"]
        fields = [
            "code",
            "name",
            "short_name",
            "tier",
            "parent",
            "address",
            "phone",
            "email",
            "effective_from",
            "effective_to",
            "successor",
        ]
        clean_model_instances = True
        skip_unchanged = True

    def before_import_row(self, row, **kwargs):
        tier = fold(_text(row.get("Cấp")))
        if tier in TIER_WORDS:
            row["Cấp"] = TIER_WORDS[tier].value

    def before_save_instance(self, instance, row, **kwargs):
        if not instance.slug:
            base = slugify_vi(instance.name)[:100] or "co-quan"
            slug, n = base, 2
            while Agency.objects.filter(slug=slug).exclude(pk=instance.pk).exists():
                slug, n = f"{base}-{n}", n + 1
            instance.slug = slug

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        errors.setdefault("slug", None)
        try:
            instance.full_clean(exclude=list(errors.keys()), validate_unique=validate_unique)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        real = {k: v for k, v in errors.items() if v}
        if real:
            raise ValidationError(real)
