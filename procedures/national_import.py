"""Importer for the national procedure database's JSON package (gói tin CSDL quốc gia về TTHC).

The package is a list of records with UPPER-CASE field names as delivered by the
national database (research §3.2): ``MATTHC``, ``TENTTHC``, ``CAPTHUCHIEN[]``,
``CACHTHUCTHUCHIEN[]``, ``THANHPHANHOSO[]`` and so on.

Rules:

* Every record is checked first; one bad record and nothing is written
  (``NationalImportError`` lists every bad field, record by record).
* Each record fills its procedure's *draft* (opening one copied from the latest
  version if needed); published versions are never touched. With ``publish=True``
  each imported draft is published, and a publishing failure rolls everything back.
* Importing the same package twice changes nothing: a record identical to the raw
  record stored on the procedure's latest version is counted as unchanged.
"""

import dataclasses
import datetime
import hashlib
import json
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from portal.text import fold, slugify_vi

from .constants import NATIONAL_CODE_PATTERN, NATIONAL_TIER_CODES, AgencyRole, FeeKind, ServiceLevel, Tier, TimeUnit
from .models import (
    Agency,
    Case,
    Fee,
    LegalBasis,
    Procedure,
    ProcedureAgency,
    ProcedureVersion,
    RequiredDocument,
)
from .models import Field as CatalogField
from .services import version_create_draft, version_publish

MAX_FEE_AMOUNT = 10_000_000_000
MAX_TIME_LIMIT = Decimal("9999")
MAX_DOCUMENT_COUNT = 50
PACKAGE_LIST_KEYS = ("data", "result", "items", "records", "value")

TIER_FLAGS = {
    Tier.MINISTRY: "at_ministry",
    Tier.PROVINCE: "at_province",
    Tier.DISTRICT: "at_district",
    Tier.COMMUNE: "at_commune",
}

#: KENH in CACHTHUCTHUCHIEN: 1 trực tiếp, 2 trực tuyến, 3 dịch vụ bưu chính công ích.
CHANNELS = {"1": "counter", "2": "online", "3": "post"}
CHANNEL_LABELS = {
    "counter": "nộp trực tiếp",
    "online": "nộp trực tuyến",
    "post": "nộp qua dịch vụ bưu chính công ích",
}

#: Folded unit words (letters and spaces only) → TimeUnit.
TIME_UNITS = {
    "": TimeUnit.WORKING_DAYS,
    "ngay lam viec": TimeUnit.WORKING_DAYS,
    "working days": TimeUnit.WORKING_DAYS,
    "ngay": TimeUnit.DAYS,
    "ngay lich": TimeUnit.DAYS,
    "days": TimeUnit.DAYS,
    "gio": TimeUnit.HOURS,
    "gio lam viec": TimeUnit.HOURS,
    "hours": TimeUnit.HOURS,
}

AGENCY_ROLE_KEYS = (
    ("COQUANTHUCHIEN", AgencyRole.IMPLEMENTING),
    ("COQUANCOTHAMQUYEN", AgencyRole.COMPETENT),
    ("COQUANDUOCUYQUYEN", AgencyRole.DELEGATED),
    ("COQUANPHOIHOP", AgencyRole.COORDINATING),
)

ORGANISATION_WORDS = ("to chuc", "doanh nghiep", "hop tac xa", "co quan", "don vi", "chi nhanh", "van phong dai dien")
INDIVIDUAL_WORDS = ("cong dan", "ca nhan", "nguoi", "ho gia dinh", "can bo", "cong chuc", "vien chuc", "tre em")

_VND_NUMBER = re.compile(r"^(\d{1,3}(?:[.\s]\d{3})+|\d+)(?:[.,]0{1,2})?(?!\d)")
_VND_CURRENCY = re.compile(r"^\s*(?:vnd|dong|d)\b\.?")
_VND_TAIL_OK = re.compile(r"^\s*(?:$|/|\(|-\s|;)")
_FREE_WORDS = ("khong", "mien", "0 dong", "0 d")
_url_validator = URLValidator(schemes=["http", "https"])


# --- errors and report ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class RowError:
    """One problem in one record: record number (from 1), its MATTHC, the field and a message."""

    index: int
    code: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"Bản ghi {self.index}" if self.index else "Gói tin"
        where += f" ({self.code})" if self.code else ""
        return f"{where} – {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class NationalImportError(Exception):
    """The package was refused; nothing was saved. ``errors`` lists every problem found."""

    def __init__(self, errors: list[RowError], warnings: list[str] | None = None):
        self.errors = list(errors)
        self.warnings = list(warnings or [])
        records = len({e.index for e in self.errors})
        super().__init__(
            f"Không nhập được gói tin: {len(self.errors)} lỗi trong {records} bản ghi; chưa có dữ liệu nào được lưu."
        )


class NationalPackageError(ValueError):
    """The file is not a readable package (not JSON, wrong encoding, empty, wrong shape)."""


@dataclasses.dataclass
class ImportReport:
    """What an import did, record by record."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    published: int = 0
    warnings: list[str] = dataclasses.field(default_factory=list)
    created_codes: list[str] = dataclasses.field(default_factory=list)
    updated_codes: list[str] = dataclasses.field(default_factory=list)
    unchanged_codes: list[str] = dataclasses.field(default_factory=list)
    published_codes: list[str] = dataclasses.field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        return (
            f"Đã xử lý {self.total} bản ghi: tạo mới {self.created}, cập nhật {self.updated}, "
            f"không thay đổi {self.unchanged}, đã công bố {self.published}, cảnh báo {len(self.warnings)}."
        )


# --- loading a package ------------------------------------------------------------------------------


def national_package_load(source: bytes | str | Path | BinaryIO) -> list:
    """Read a package from bytes, a path or a binary file and return its list of records.

    Accepts a JSON list of records, an object holding the list under ``data``,
    ``result`` or ``items`` (also one level deeper, e.g. ``{"result": {"data": [...]}}``)
    or a single record object. Raises ``NationalPackageError`` with a Vietnamese message.
    """
    if isinstance(source, Path):
        try:
            raw = source.read_bytes()
        except FileNotFoundError:
            raise NationalPackageError(f"Không tìm thấy tệp “{source}”.") from None
        except OSError as exc:
            raise NationalPackageError(f"Không đọc được tệp “{source}”: {exc.strerror or exc}.") from None
    elif isinstance(source, str):
        raw = source.encode("utf-8")
    elif isinstance(source, bytes | bytearray):
        raw = bytes(source)
    else:
        raw = source.read()
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
    return _parse_package_bytes(raw)


def _parse_package_bytes(raw: bytes) -> list:
    if not raw.strip():
        raise NationalPackageError("Tệp gói tin trống, không có dữ liệu để nhập.")
    try:
        utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
        text = raw.decode("utf-16") if utf16 else raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NationalPackageError(
            "Tệp gói tin không phải văn bản mã hóa UTF-8; hãy lưu lại tệp JSON với mã hóa UTF-8."
        ) from None
    if not text.strip():
        raise NationalPackageError("Tệp gói tin trống, không có dữ liệu để nhập.")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NationalPackageError(
            f"Tệp gói tin không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno}): {_json_reason(exc.msg)}."
        ) from None
    records = _find_record_list(data)
    if records is None:
        raise NationalPackageError(
            "Gói tin phải là một danh sách bản ghi thủ tục (mảng JSON) hoặc một đối tượng chứa danh sách "
            "đó dưới khóa “data”, “result” hoặc “items”."
        )
    if not records:
        raise NationalPackageError("Gói tin không có bản ghi thủ tục nào.")
    return records


def _json_reason(msg: str) -> str:
    reasons = {
        "Expecting value": "thiếu giá trị hoặc có ký tự không hợp lệ",
        "Extra data": "có dữ liệu thừa sau phần JSON",
        "Unterminated string starting at": "chuỗi ký tự chưa được đóng",
        "Expecting property name enclosed in double quotes": "tên trường phải đặt trong dấu nháy kép",
        "Expecting ',' delimiter": "thiếu dấu phẩy",
        "Expecting ':' delimiter": "thiếu dấu hai chấm",
    }
    return reasons.get(msg, "sai cú pháp")


def _find_record_list(data: Any, depth: int = 0) -> list | None:
    if isinstance(data, list):
        return data
    if not isinstance(data, dict) or depth > 1:
        return None
    if "MATTHC" in data or "TENTTHC" in data:
        return [data]
    lowered = {str(key).lower(): value for key, value in data.items()}
    for key in PACKAGE_LIST_KEYS:
        if key in lowered:
            found = _find_record_list(lowered[key], depth + 1)
            if found is not None:
                return found
    return None


def record_hash(record: Any) -> str:
    """A stable fingerprint of a raw record (keys sorted), to recognise unchanged records."""
    payload = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# --- reading one record ------------------------------------------------------------------------------


@dataclasses.dataclass
class _Document:
    code: str
    name: str
    originals: int
    copies: int
    form_name: str
    form_url: str
    replacing_result_code: str


@dataclasses.dataclass
class _Case:
    name: str
    documents: list[_Document]


@dataclasses.dataclass
class _Parsed:
    """A record turned into values ready for the models."""

    index: int
    code: str
    raw: dict
    values: dict = dataclasses.field(default_factory=dict)
    tiers: list[str] = dataclasses.field(default_factory=list)
    fields: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    cases: list[_Case] = dataclasses.field(default_factory=list)
    with_cases: bool = False
    fees: list[dict] = dataclasses.field(default_factory=list)
    legal_bases: list[dict] = dataclasses.field(default_factory=list)
    agencies: list[tuple[Agency, str]] = dataclasses.field(default_factory=list)


class _RecordReader:
    """Parses and checks one raw record, collecting errors and warnings."""

    def __init__(self, index: int, record: Any):
        self.index = index
        self.record = record
        self.code = ""
        self.errors: list[RowError] = []
        self.warnings: list[str] = []

    # helpers
    def error(self, field: str, message: str) -> None:
        self.errors.append(RowError(self.index, self.code, field, message))

    def _has_error(self, path: str) -> bool:
        return any(e.field == path or e.field.startswith(f"{path}[") for e in self.errors)

    def warn(self, message: str) -> None:
        where = f"Bản ghi {self.index}" + (f" ({self.code})" if self.code else "")
        self.warnings.append(f"{where}: {message}")

    def text(self, source: dict, key: str, path: str | None = None, max_length: int | None = None) -> str:
        path = path or key
        value = source.get(key)
        if value is None:
            return ""
        if isinstance(value, bool):
            self.error(path, "Giá trị phải là văn bản, không phải đúng/sai.")
            return ""
        if isinstance(value, int | float | Decimal):
            value = int(value) if isinstance(value, float) and value.is_integer() else value
            return str(value)
        if not isinstance(value, str):
            self.error(path, "Giá trị phải là văn bản.")
            return ""
        value = value.strip()
        if max_length and len(value) > max_length:
            self.error(path, f"Dài quá {max_length} ký tự (đang có {len(value)}).")
            return value[:max_length]
        return value

    def items(self, source: dict, key: str, path: str | None = None, scalar_key: str | None = None) -> list[dict]:
        path = path or key
        value = source.get(key)
        if value is None or value == "":
            return []
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list):
            if scalar_key and isinstance(value, str | int):
                return [{scalar_key: value}]
            self.error(path, "Phải là một danh sách (mảng JSON).")
            return []
        result = []
        for n, item in enumerate(value, start=1):
            if isinstance(item, dict):
                result.append(item)
            elif scalar_key and isinstance(item, str | int) and not isinstance(item, bool):
                result.append({scalar_key: item})
            else:
                self.error(f"{path}[{n}]", "Phần tử phải là một đối tượng JSON.")
        return result

    def url(self, value: str, path: str) -> str:
        if not value:
            return ""
        try:
            _url_validator(value)
        except ValidationError:
            self.warn(f"{path}: đường dẫn “{value[:80]}” không hợp lệ nên được bỏ qua.")
            return ""
        if len(value) > 500:
            self.warn(f"{path}: đường dẫn dài quá 500 ký tự nên được bỏ qua.")
            return ""
        return value

    def date(self, value: str, path: str) -> datetime.date | None:
        if not value:
            return None
        parsed = parse_national_date(value)
        if parsed is None:
            self.error(path, f"Ngày “{value[:30]}” không hợp lệ; hãy ghi dạng dd/mm/yyyy hoặc yyyy-mm-dd.")
        return parsed

    # the record
    def read(self) -> _Parsed | None:
        record = self.record
        if not isinstance(record, dict):
            self.error("", "Bản ghi phải là một đối tượng JSON (dạng {…}).")
            return None
        code = self.text(record, "MATTHC")
        if code and re.match(NATIONAL_CODE_PATTERN, code):
            self.code = code
        if not code:
            self.error("MATTHC", "Thiếu mã thủ tục.")
        elif not self.code:
            self.error("MATTHC", f"Mã thủ tục “{code[:40]}” không đúng dạng d.dddddd (ví dụ 1.001193).")
        name = self.text(record, "TENTTHC")
        if not name:
            self.error("TENTTHC", "Thiếu tên thủ tục.")
        elif len(name) > 500:
            self.error("TENTTHC", f"Tên thủ tục dài quá 500 ký tự (đang có {len(name)}).")

        parsed = _Parsed(index=self.index, code=self.code, raw=record)
        values = parsed.values
        values["name"] = name
        values["description"] = self.text(record, "MOTA")
        values["keywords"] = self._keywords(record)
        values["conditions"] = self.text(record, "YEUCAU")
        values["receiving_address"] = self._address(record)
        values["decision_number"], values["decision_date"] = self._decision(record)

        parsed.tiers = self._tiers(record)
        parsed.fields = self._fields(record)
        values["steps"] = self._steps(record)
        self._channels(record, parsed)
        self._applicants(record, values)
        values["results"] = self._results(record)
        self._documents(record, parsed)
        parsed.legal_bases = self._legal_bases(record)
        parsed.agencies = self._agencies(record)
        self._service_level(record, values)
        return parsed

    def _results(self, record: dict) -> str:
        names = []
        for n, item in enumerate(self.items(record, "KETQUATHUCHIEN"), start=1):
            name = self.text(item, "TENKETQUA", f"KETQUATHUCHIEN[{n}].TENKETQUA")
            if name and name not in names:
                names.append(name)
        return "\n".join(names)

    def _keywords(self, record: dict) -> str:
        value = record.get("TUKHOA")
        if isinstance(value, list):
            value = ", ".join(str(v).strip() for v in value if str(v).strip())
            record = {"TUKHOA": value}
        text = self.text(record, "TUKHOA")
        if len(text) > 500:
            self.warn("TUKHOA dài quá 500 ký tự nên được cắt bớt.")
        return text[:500]

    def _address(self, record: dict) -> str:
        value = record.get("DIACHITIEPNHAN")
        if isinstance(value, list):
            lines = []
            for item in value:
                if isinstance(item, dict):
                    lines.append(" – ".join(str(v).strip() for v in item.values() if str(v or "").strip()))
                elif str(item or "").strip():
                    lines.append(str(item).strip())
            return "\n".join(line for line in lines if line)
        return self.text(record, "DIACHITIEPNHAN")

    def _decision(self, record: dict) -> tuple[str, datetime.date | None]:
        value = record.get("QUYETDINH")
        number, date_text = "", ""
        if isinstance(value, dict):
            for key in ("SOQUYETDINH", "SOVANBAN", "SOKYHIEU", "SO"):
                number = number or self.text(value, key, f"QUYETDINH.{key}")
            for key in ("NGAYQUYETDINH", "NGAYBANHANH", "NGAYKY"):
                date_text = date_text or self.text(value, key, f"QUYETDINH.{key}")
        elif isinstance(value, list):
            first = next((v for v in value if isinstance(v, dict)), None)
            if first:
                return self._decision({"QUYETDINH": first})
        else:
            number = self.text(record, "QUYETDINH")
        number = number or self.text(record, "IDQUYETDINHCONGBO")
        if len(number) > 100:
            self.warn("Số quyết định công bố dài quá 100 ký tự nên được cắt bớt.")
        decision_date = parse_national_date(date_text) if date_text else None
        return number[:100], decision_date

    def _tiers(self, record: dict) -> list[str]:
        tiers: list[str] = []
        items = self.items(record, "CAPTHUCHIEN", scalar_key="CAPTHUCHIEN")
        for n, item in enumerate(items, start=1):
            code = self.text(item, "CAPTHUCHIEN", f"CAPTHUCHIEN[{n}].CAPTHUCHIEN")
            if code not in NATIONAL_TIER_CODES:
                self.error(
                    f"CAPTHUCHIEN[{n}].CAPTHUCHIEN",
                    f"Cấp thực hiện “{code[:20]}” không hợp lệ (0 Bộ, 1 Tỉnh, 2 Huyện, 3 Xã).",
                )
                continue
            tier = NATIONAL_TIER_CODES[code]
            if tier not in tiers:
                tiers.append(tier)
        if not items and not self._has_error("CAPTHUCHIEN"):
            self.error("CAPTHUCHIEN", "Thiếu cấp thực hiện.")
        return tiers

    def _fields(self, record: dict) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for n, item in enumerate(self.items(record, "LINHVUCTHUCHIEN"), start=1):
            code = self.text(item, "MALINHVUC", f"LINHVUCTHUCHIEN[{n}].MALINHVUC", max_length=30)
            name = self.text(item, "TENLINHVUC", f"LINHVUCTHUCHIEN[{n}].TENLINHVUC", max_length=255)
            if code or name:
                found.append((code, name or code))
        return found

    def _steps(self, record: dict) -> str:
        groups = self.items(record, "TRINHTUTHUCHIEN")
        lines: list[str] = []
        for n, group in enumerate(groups, start=1):
            case = self.text(group, "TRUONGHOP", f"TRINHTUTHUCHIEN[{n}].TRUONGHOP")
            if case and len(groups) > 1:
                lines.append(f"{case.rstrip(':')}:")
            for m, step in enumerate(self.items(group, "TRINHTU", f"TRINHTUTHUCHIEN[{n}].TRINHTU"), start=1):
                text = self.text(step, "TENTRINHTU", f"TRINHTUTHUCHIEN[{n}].TRINHTU[{m}].TENTRINHTU")
                lines += [line.strip() for line in text.splitlines() if line.strip()]
        return "\n".join(lines)

    def _channels(self, record: dict, parsed: _Parsed) -> None:
        values = parsed.values
        flags = {"counter": False, "online": False, "post": False}
        times: list[tuple[str, Decimal | None, str, str, str]] = []  # channel, amount, unit, unit text, note
        fee_lines: dict[tuple, dict] = {}
        fee_channels: dict[tuple, set[str]] = {}
        zero_notes: list[str] = []
        channels_with_fees: set[str] = set()

        for n, item in enumerate(self.items(record, "CACHTHUCTHUCHIEN"), start=1):
            path = f"CACHTHUCTHUCHIEN[{n}]"
            kenh = self.text(item, "KENH", f"{path}.KENH")
            channel = CHANNELS.get(kenh)
            if channel is None:
                self.warn(f"{path}.KENH: kênh “{kenh[:20]}” không rõ (1 trực tiếp, 2 trực tuyến, 3 bưu chính).")
            else:
                flags[channel] = True
            for m, entry in enumerate(self.items(item, "THOIGIAN", f"{path}.THOIGIAN"), start=1):
                tpath = f"{path}.THOIGIAN[{m}]"
                amount, unit, unit_text = self._time_limit(entry, tpath)
                note = self.text(entry, "MOTA", f"{tpath}.MOTA")
                times.append((channel or "", amount, unit, unit_text, note))
                for k, fee in enumerate(self.items(entry, "PHILEPHI", f"{tpath}.PHILEPHI"), start=1):
                    line = self._fee(fee, f"{tpath}.PHILEPHI[{k}]")
                    if line is None:
                        continue
                    if channel:
                        channels_with_fees.add(channel)
                    if line["amount"] == 0:
                        label = FeeKind(line["kind"]).label
                        zero = f"{label}: {line.pop('amount_text') or 'Không'}"
                        if line["description"]:
                            zero += f" – {line['description']}"
                        if zero not in zero_notes:
                            zero_notes.append(zero)
                        continue
                    line.pop("amount_text")
                    key = (line["kind"], line["code"], line["amount"], line["name"], line["description"])
                    fee_lines.setdefault(key, line)
                    fee_channels.setdefault(key, set()).add(channel or "")

        if not any(flags.values()):
            flags["counter"] = True
        values["channel_counter"] = flags["counter"]
        values["channel_online"] = flags["online"]
        values["channel_post"] = flags["post"]

        # Fee lines found on only some channels say so in their description.
        fees = []
        for key, line in fee_lines.items():
            used = fee_channels[key] - {""}
            if len(channels_with_fees) > 1 and used and used != channels_with_fees:
                where = ", ".join(CHANNEL_LABELS[c] for c in ("counter", "online", "post") if c in used)
                prefix = f"Áp dụng khi {where}."
                line["description"] = f"{prefix} {line['description']}".strip()
            fees.append(line)
        parsed.fees = fees
        values["fee_note"] = "\n".join(zero_notes)

        # The time limit: the in-person channel's first entry, else the first entry.
        values["time_limit"] = None
        values["time_limit_unit"] = TimeUnit.WORKING_DAYS
        values["time_limit_note"] = ""
        if not times:
            return
        primary = next((t for t in times if t[0] == "counter"), times[0])
        _, amount, unit, unit_text, note = primary
        note_lines = [note] if note else []
        if amount is not None and unit is None:
            note_lines.insert(0, f"{_decimal_text(amount)} {unit_text}")
            amount = None
        values["time_limit"] = amount
        values["time_limit_unit"] = unit or TimeUnit.WORKING_DAYS
        for channel, other_amount, other_unit, other_unit_text, _ in times:
            if (other_amount, other_unit) == (primary[1], primary[2]) or other_amount is None:
                continue
            label = CHANNEL_LABELS.get(channel, "kênh khác").capitalize()
            unit_label = TimeUnit(other_unit).label if other_unit else other_unit_text
            line = f"{label}: {_decimal_text(other_amount)} {unit_label}."
            if line not in note_lines:
                note_lines.append(line)
        values["time_limit_note"] = "\n".join(note_lines)

    def _time_limit(self, entry: dict, path: str) -> tuple[Decimal | None, str | None, str]:
        text = self.text(entry, "THOIGIANGIAIQUYET", f"{path}.THOIGIANGIAIQUYET")
        unit_text = self.text(entry, "DONVITINH", f"{path}.DONVITINH")
        unit_key = " ".join(re.sub(r"[^a-z]+", " ", fold(unit_text)).split())
        unit = TIME_UNITS.get(unit_key)
        if not text:
            return None, unit, unit_text
        try:
            amount = Decimal(text.replace(",", "."))
        except InvalidOperation:
            self.error(f"{path}.THOIGIANGIAIQUYET", f"Thời hạn “{text[:30]}” phải là một số, ví dụ 5 hoặc 0,5.")
            return None, unit, unit_text
        if not amount.is_finite() or amount < 0 or amount > MAX_TIME_LIMIT:
            self.error(f"{path}.THOIGIANGIAIQUYET", "Thời hạn phải là số từ 0 đến 9999.")
            return None, unit, unit_text
        if unit is None:
            self.warn(
                f"{path}.DONVITINH: đơn vị thời hạn “{unit_text[:30]}” không thuộc ngày làm việc, ngày hoặc giờ; "
                "thời hạn được ghi vào phần ghi chú."
            )
        return amount.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), unit, unit_text

    def _fee(self, fee: dict, path: str) -> dict | None:
        code = self.text(fee, "MAPHILEPHI", f"{path}.MAPHILEPHI")
        description = self.text(fee, "MOTA", f"{path}.MOTA")
        unit = self.text(fee, "DONVI", f"{path}.DONVI")
        raw_amount = fee.get("SOTIEN")
        try:
            amount = parse_vnd(raw_amount)
        except ValueError as exc:
            self.error(f"{path}.SOTIEN", str(exc))
            return None
        kind = fee_kind(code, description)
        name = FeeKind(kind).label
        folded_unit = fold(unit).strip()
        if folded_unit and folded_unit not in {"dong", "vnd", "d", "vn dong"}:
            name = f"{name} ({unit})"
        return {
            "kind": kind,
            "code": code[:50],
            "name": name[:500],
            "amount": amount,
            "amount_text": raw_amount.strip() if isinstance(raw_amount, str) else "",
            "description": description,
        }

    def _applicants(self, record: dict, values: dict) -> None:
        names = []
        for n, item in enumerate(self.items(record, "DOITUONGTHUCHIEN"), start=1):
            name = self.text(item, "TENDOITUONG", f"DOITUONGTHUCHIEN[{n}].TENDOITUONG")
            if name and name not in names:
                names.append(name)
        extra = self.text(record, "MOTADOITUONGTHUCHIEN")
        values["applicants"] = "\n".join(names + ([extra] if extra and extra not in names else []))
        folded = [fold(name) for name in names]
        organisations = any(word in text for text in folded for word in ORGANISATION_WORDS)
        individuals = any(
            any(word in text for word in INDIVIDUAL_WORDS) and not any(word in text for word in ORGANISATION_WORDS)
            for text in folded
        )
        values["for_individuals"] = individuals or not organisations
        values["for_organisations"] = organisations

    def _documents(self, record: dict, parsed: _Parsed) -> None:
        groups = self.items(record, "THANHPHANHOSO")
        cases = []
        for n, group in enumerate(groups, start=1):
            path = f"THANHPHANHOSO[{n}]"
            case_name = self.text(group, "TRUONGHOP", f"{path}.TRUONGHOP", max_length=500)
            documents = []
            for m, item in enumerate(self.items(group, "GIAYTO", f"{path}.GIAYTO"), start=1):
                dpath = f"{path}.GIAYTO[{m}]"
                name = self.text(item, "TENGIAYTO", f"{dpath}.TENGIAYTO", max_length=1000)
                if not name:
                    if not self._has_error(f"{dpath}.TENGIAYTO"):
                        self.error(f"{dpath}.TENGIAYTO", "Thiếu tên giấy tờ.")
                    continue
                originals = self._count(item, "SOBANCHINH", f"{dpath}.SOBANCHINH")
                copies = self._count(item, "SOBANSAO", f"{dpath}.SOBANSAO")
                if originals is None and copies is None:
                    originals, copies = 1, 0
                form_name = self.text(item, "TENMAUDON", f"{dpath}.TENMAUDON")
                if len(form_name) > 255:
                    self.warn(f"{dpath}.TENMAUDON: tên mẫu đơn dài quá 255 ký tự nên được cắt bớt.")
                replacing = self.text(item, "MA_KQ_THAYTHE", f"{dpath}.MA_KQ_THAYTHE", max_length=50)
                documents.append(
                    _Document(
                        code=self.text(item, "MAGIAYTO", f"{dpath}.MAGIAYTO", max_length=50),
                        name=name,
                        originals=originals or 0,
                        copies=copies or 0,
                        form_name=form_name[:255],
                        form_url=self.url(self.text(item, "URL", f"{dpath}.URL"), f"{dpath}.URL"),
                        replacing_result_code=replacing,
                    )
                )
            cases.append(_Case(name=case_name, documents=documents))
        parsed.cases = cases
        parsed.with_cases = len(cases) > 1 or any(case.name for case in cases)

    def _count(self, item: dict, key: str, path: str) -> int | None:
        value = item.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = self.text(item, key, path)
        if not re.fullmatch(r"\d+", text) or int(text) > MAX_DOCUMENT_COUNT:
            self.error(path, f"Số bản “{text[:20]}” phải là số nguyên từ 0 đến {MAX_DOCUMENT_COUNT}.")
            return 0
        return int(text)

    def _legal_bases(self, record: dict) -> list[dict]:
        found = []
        for n, item in enumerate(self.items(record, "CANCUPHAPLY"), start=1):
            path = f"CANCUPHAPLY[{n}]"
            number = self.text(item, "SOVANBAN", f"{path}.SOVANBAN", max_length=100)
            title = self.text(item, "TENVANBAN", f"{path}.TENVANBAN", max_length=1000)
            if not number and not title:
                continue
            issuer = self.text(item, "COQUANBANHANH", f"{path}.COQUANBANHANH")
            found.append(
                {
                    "number": number or "Không số",
                    "title": title or number,
                    "issuer": issuer[:255],
                    "issued_on": self.date(self.text(item, "NGAYBANHANH"), f"{path}.NGAYBANHANH"),
                    "effective_on": self.date(self.text(item, "NGAYHIEULUC"), f"{path}.NGAYHIEULUC"),
                    "url": self.url(self.text(item, "DIACHITRUYCAP", f"{path}.DIACHITRUYCAP"), f"{path}.DIACHITRUYCAP"),
                }
            )
        return found

    def _agencies(self, record: dict) -> list[tuple[Agency, str]]:
        wanted: list[tuple[str, str, str]] = []
        for key, role in AGENCY_ROLE_KEYS:
            for n, item in enumerate(self.items(record, key), start=1):
                code = self.text(item, "MADONVI", f"{key}[{n}].MADONVI")
                name = self.text(item, "TENDONVI", f"{key}[{n}].TENDONVI")
                if code or name:
                    wanted.append((code, name, role))
        known = {a.code: a for a in Agency.objects.filter(code__in=[code for code, _, _ in wanted if code])}
        found: list[tuple[Agency, str]] = []
        for code, name, role in wanted:
            agency = known.get(code)
            if agency is None:
                who = f"mã {code}" if code else "không có mã"
                self.warn(
                    f"cơ quan “{name or code}” ({who}, {AgencyRole(role).label.lower()}) chưa có trong danh mục "
                    "cơ quan nên được bỏ qua."
                )
                continue
            if (agency, role) not in found:
                found.append((agency, role))
        return found

    def _service_level(self, record: dict, values: dict) -> None:
        level_text = self.text(record, "MUCDO")
        if level_text:
            if level_text not in {"1", "2", "3", "4"}:
                self.error("MUCDO", f"Mức độ phải là 1, 2, 3 hoặc 4 (đang là “{level_text[:20]}”).")
                level = ServiceLevel.FORMS
            else:
                level = int(level_text)
        else:
            level = ServiceLevel.PARTIAL if values.get("channel_online") else ServiceLevel.FORMS
        values["service_level"] = level
        values["max_service_level"] = level


def parse_vnd(value: Any) -> int:
    """Whole đồng from a SOTIEN value: 8000, "8.000", "8.000 đồng", "8000đ/bản" → 8000; "Không" → 0.

    Raises ``ValueError`` with a Vietnamese message for anything else (negative,
    fractional, over 10 billion, unreadable text).
    """
    if value is None:
        return 0
    if isinstance(value, bool):
        raise ValueError("Số tiền không hợp lệ.")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"Số tiền “{value}” phải là số nguyên đồng.")
        value = int(value)
    if isinstance(value, int):
        amount = value
    elif isinstance(value, str):
        text = " ".join(value.split())
        folded = fold(text)
        if not folded or folded.startswith(_FREE_WORDS) or folded in {"0", "-"}:
            return 0
        match = _VND_NUMBER.match(folded)
        rest = folded[match.end() :] if match else ""
        if match:
            rest = _VND_CURRENCY.sub("", rest, count=1)
        if not match or not _VND_TAIL_OK.match(rest):
            raise ValueError(
                f"Số tiền “{text[:40]}” không hợp lệ: cần số nguyên đồng, không âm, ví dụ “8.000 đồng” hoặc “Không”."
            )
        amount = int(re.sub(r"\D", "", match.group(1)))
    else:
        raise ValueError("Số tiền phải là số hoặc văn bản.")
    if amount < 0:
        raise ValueError("Số tiền không được âm.")
    if amount > MAX_FEE_AMOUNT:
        raise ValueError("Số tiền vượt quá 10 tỷ đồng, hãy kiểm tra lại.")
    return amount


def fee_kind(code: str, description: str) -> str:
    """Phí or lệ phí: by the words in MAPHILEPHI, then in MOTA; else code "2" is lệ phí, other codes phí."""
    folded_code = fold(code).strip()
    folded_text = fold(description).strip()
    if "le phi" in folded_code or "lephi" in folded_code.replace(" ", ""):
        return FeeKind.LEVY
    if "phi" in folded_code:
        return FeeKind.CHARGE
    if folded_text.startswith("le phi"):
        return FeeKind.LEVY
    if folded_text.startswith("phi"):
        return FeeKind.CHARGE
    if "le phi" in folded_text:
        return FeeKind.LEVY
    if folded_code == "2":
        return FeeKind.LEVY
    return FeeKind.CHARGE


def parse_national_date(value: str) -> datetime.date | None:
    """dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy or ISO (with or without time) → date; otherwise None."""
    text = value.strip()
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?", text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
        match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?", text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
    except ValueError:
        return None
    return None


def _decimal_text(amount: Decimal) -> str:
    return f"{amount.normalize():f}".replace(".", ",")


# --- the import ----------------------------------------------------------------------------------------


def national_package_validate(*, records: list) -> tuple[list[_Parsed], list[RowError], list[str]]:
    """Check every record; return the parsed records, the errors and the warnings."""
    parsed_records: list[_Parsed] = []
    errors: list[RowError] = []
    warnings: list[str] = []
    seen: dict[str, int] = {}
    if not isinstance(records, list):
        return [], [RowError(0, "", "", "Gói tin phải là một danh sách bản ghi.")], []
    for index, record in enumerate(records, start=1):
        reader = _RecordReader(index, record)
        parsed = reader.read()
        if reader.code:
            if reader.code in seen:
                reader.error("MATTHC", f"Mã thủ tục {reader.code} trùng với bản ghi {seen[reader.code]}.")
            else:
                seen[reader.code] = index
        errors += reader.errors
        warnings += reader.warnings
        if parsed is not None and not reader.errors:
            parsed_records.append(parsed)
    return parsed_records, errors, warnings


@transaction.atomic
def national_package_import(
    *,
    records: list[dict],
    publish: bool = False,
    effective_from: datetime.date | None = None,
    user=None,
) -> ImportReport:
    """Import a national package into drafts (and publish them if asked); all or nothing.

    Raises ``NationalImportError`` (nothing saved) if any record is invalid or if
    publishing any imported draft fails.
    """
    parsed_records, errors, warnings = national_package_validate(records=records)
    if errors:
        raise NationalImportError(errors, warnings)

    report = ImportReport(warnings=warnings)
    if publish and effective_from is None:
        effective_from = timezone.localdate()
    to_publish: list[tuple[_Parsed, ProcedureVersion]] = []
    field_cache: dict[tuple[str, str], CatalogField] = {}

    for parsed in parsed_records:
        procedure = Procedure.objects.filter(national_code=parsed.code).first()
        latest = procedure.versions.order_by("-number").first() if procedure else None
        if latest is not None and _same_record(latest.raw_national_record, parsed.raw):
            report.unchanged += 1
            report.unchanged_codes.append(parsed.code)
            if publish and not latest.is_published:
                to_publish.append((parsed, latest))
            continue
        if latest is None:
            if procedure is None:
                procedure = Procedure.objects.create(national_code=parsed.code)
            version = ProcedureVersion(procedure=procedure, number=1, name=parsed.values["name"])
            report.created += 1
            report.created_codes.append(parsed.code)
        else:
            version = version_create_draft(procedure=procedure)
            report.updated += 1
            report.updated_codes.append(parsed.code)
        _write_version(version, parsed, field_cache)
        if publish:
            to_publish.append((parsed, version))

    publish_errors = []
    for parsed, version in to_publish:
        try:
            version_publish(version=version, effective_from=effective_from, user=user)
        except ValidationError as exc:
            message = " ".join(exc.messages)
            publish_errors.append(RowError(parsed.index, parsed.code, "", f"Không công bố được: {message}"))
            continue
        report.published += 1
        report.published_codes.append(parsed.code)
    if publish_errors:
        raise NationalImportError(publish_errors, report.warnings)
    return report


def _same_record(stored: Any, record: dict) -> bool:
    return stored is not None and record_hash(stored) == record_hash(record)


def _write_version(version: ProcedureVersion, parsed: _Parsed, field_cache: dict) -> None:
    """Overwrite a draft's content and parts with a parsed record."""
    for name, value in parsed.values.items():
        setattr(version, name, value)
    for tier, flag in TIER_FLAGS.items():
        setattr(version, flag, tier in parsed.tiers)
    version.raw_national_record = parsed.raw
    version.save()
    version.fields.set([_field_for(code, name, field_cache) for code, name in parsed.fields])

    # Keep what only the portal knows: form files an admin uploaded (matched by document
    # code or name) …
    form_files: dict[tuple[str, str], str] = {}
    for doc in version.documents.exclude(form_file=""):
        if doc.code:
            form_files.setdefault(("code", doc.code), doc.form_file.name)
        form_files.setdefault(("name", doc.name), doc.form_file.name)
    # … and the service level an admin set for an agency.
    agency_levels = {
        (row.agency_id, row.role): row.service_level for row in version.agency_roles.exclude(service_level=None)
    }
    version.documents.all().delete()
    version.cases.all().delete()
    version.fees.all().delete()
    version.legal_bases.all().delete()
    version.agency_roles.all().delete()

    order = 0
    for case_order, case in enumerate(parsed.cases):
        case_row = None
        if parsed.with_cases:
            case_row = Case.objects.create(
                version=version, name=case.name or f"Trường hợp {case_order + 1}", order=case_order
            )
        for doc in case.documents:
            form_file = form_files.get(("code", doc.code)) if doc.code else None
            form_file = form_file or form_files.get(("name", doc.name), "")
            RequiredDocument.objects.create(
                version=version,
                case=case_row,
                code=doc.code,
                name=doc.name,
                originals=doc.originals,
                copies=doc.copies,
                form_name=doc.form_name,
                form_url=doc.form_url,
                form_file=form_file,
                replacing_result_code=doc.replacing_result_code,
                replaceable_by_lookup=bool(doc.replacing_result_code),
                order=order,
            )
            order += 1
    for line in parsed.fees:
        Fee.objects.create(version=version, **line)
    for basis in parsed.legal_bases:
        LegalBasis.objects.create(version=version, **basis)
    for agency, role in parsed.agencies:
        ProcedureAgency.objects.create(
            version=version, agency=agency, role=role, service_level=agency_levels.get((agency.pk, role))
        )


def _field_for(code: str, name: str, cache: dict) -> CatalogField:
    key = (code, name)
    if key in cache:
        return cache[key]
    found = None
    if code:
        found = CatalogField.objects.filter(code=code).first()
    if found is None:
        found = CatalogField.objects.filter(name__iexact=name).first()
    if found is None:
        base = slugify_vi(name)[:110] or "linh-vuc"
        slug, n = base, 2
        while CatalogField.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        field_code = code or slug[:30]
        while CatalogField.objects.filter(code=field_code).exists():
            field_code = f"{slug[:24]}-{n}"
            n += 1
        found = CatalogField.objects.create(code=field_code, name=name[:255], slug=slug)
    cache[key] = found
    return found
