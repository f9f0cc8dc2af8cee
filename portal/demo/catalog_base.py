"""The compact row format of the demo catalog and its expansion into full records.

Each ``catalog_*`` module lists procedures with :func:`P`; the loader expands a row
with :func:`expand` into everything a ``ProcedureVersion`` needs (steps, channels,
documents, fees, agencies, legal basis, electronic-form questions).

Document specs are short strings:

* ``"Tờ khai đăng ký khai sinh@Mẫu tờ khai đăng ký khai sinh"`` – 1 original, form name after ``@``;
* ``"~Giấy chứng nhận quyền sử dụng đất"`` – 1 copy instead of an original; ``"2~…"`` two copies;
* ``"2x…"`` – two originals; ``"?…"`` – optional; ``"=…"`` – presented only (xuất trình);
* ``"#…"`` – may be replaced by a look-up in a national database (e.g. CSDL quốc gia về dân cư).

Time limits: ``"5"`` (working days), ``"15n"`` (calendar days), ``"8g"`` (working hours);
anything else is a note (``time_limit`` left empty, e.g. "Ngay trong ngày làm việc").
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

COMMUNES = "XA"  # the agency key of commune-tier procedures: every commune and ward implements them

AUDIENCE = {
    "CN": ("Công dân Việt Nam, người nước ngoài cư trú tại tỉnh Thanh Hóa", True, False),
    "TC": ("Doanh nghiệp, tổ chức kinh tế, cơ quan, tổ chức có liên quan", False, True),
    "CNTC": ("Cá nhân, tổ chức trong nước và nước ngoài có yêu cầu", True, True),
}

PROVINCE_ADDRESS = (
    "Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa, số 28 Đại lộ Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa; "
    "hoặc Cổng Dịch vụ công quốc gia (dichvucong.gov.vn)."
)
COMMUNE_ADDRESS = (
    "Bộ phận Một cửa của Ủy ban nhân dân xã, phường nơi cư trú hoặc nơi có trụ sở; "
    "hoặc Cổng Dịch vụ công quốc gia (dichvucong.gov.vn)."
)

# Legal basis used when a row names none, by field code.
FIELD_LAWS = {
    "TP-HT": ["LHT", "ND123", "TT04", "TT85"],
    "TP-NCN": ["LNCN", "ND19"],
    "TP-CT": ["ND23", "TT01_2020", "TT226"],
    "TP-LLTP": ["LLLTP", "ND111", "TT244"],
    "TP-CC": ["LCC"],
    "TP-LS": ["LLS"],
    "TP-TGPL": ["LTGPL"],
    "TP-HGCS": ["LHGCS"],
    "TP-BTNN": ["LTNBT"],
    "XD-XD": ["LXD", "LXD62", "ND175"],
    "XD-NO": ["LNO", "LKDBDS"],
    "XD-QH": ["LQH", "LXD"],
    "XD-DB": ["LDB", "LTTATGT", "ND158"],
    "XD-DTND": ["LGTDTND"],
    "CA-GPLX": ["LTTATGT", "TT12_2025", "TT37_2023"],
    "CA-XNC": ["LXNC"],
    "TC-DKKD": ["LDN", "ND168"],
    "TC-HTX": ["LHTX"],
    "TC-DT": ["LDT", "ND31"],
    "TC-TC": ["LNSNN"],
    "TC-TSC": ["LTSC", "ND151"],
    "TC-GIA": ["LGIA"],
    "CT-TM": ["LTM", "ND09"],
    "CT-LTHH": ["LTM", "ND105", "ND83"],
    "CT-XTTM": ["LTM", "ND81"],
    "CT-DIEN": ["LDL"],
    "CT-HC": ["LHC"],
    "CT-VLN": ["LVLN"],
    "CT-CNDP": ["ND55"],
    "ATTP": ["LATTP", "ND15"],
    "NV-LD": ["BLLD", "ND145"],
    "NV-VL": ["LVL", "ND28"],
    "NV-LDNN": ["BLLD", "ND152", "ND70_2023"],
    "NV-NCC": ["PLUDNCC", "ND131"],
    "NV-TDKT": ["LTDKT", "ND98"],
    "NV-CCVC": ["LCBCC", "LVC"],
    "NV-TCPCP": ["ND126", "ND93"],
    "NV-VTLT": ["LLT"],
    "YT-BTXH": ["ND20", "LNKT"],
    "YT-TE": ["LTE", "ND56"],
    "YT-KCB": ["LKCB", "ND96"],
    "YT-DUOC": ["LDUOC", "ND54"],
    "YT-TTBYT": ["ND98_2021"],
    "YT-GDYK": ["LKCB", "ND96"],
    "GD-GD": ["LGD", "ND125"],
    "GD-VBCC": ["LGD"],
    "GD-GDNN": ["LGDNN"],
    "MT-DD": ["LDD", "ND101", "ND102"],
    "MT-DKBD": ["ND99"],
    "MT-MT": ["LBVMT", "ND08"],
    "MT-TNN": ["LTNN"],
    "MT-KS": ["LKS"],
    "NN-TT": ["LTT"],
    "NN-CNTY": ["LCN", "LTY"],
    "NN-TS": ["LTS"],
    "NN-LN": ["LLN"],
    "NN-TL": ["LTL", "ND67_2018"],
    "NN-PCTT": ["LPCTT"],
    "NN-NN": ["LCNC"],
    "VH-VH": ["ND110", "ND54_2019"],
    "VH-DSVH": ["LDSVH"],
    "VH-NTBD": ["ND144"],
    "VH-GD": ["ND86"],
    "VH-TV": ["LTHV"],
    "VH-TDTT": ["LTDTT", "ND36"],
    "VH-QC": ["LQC"],
    "VH-DL": ["LDLICH", "ND168_2017"],
    "DT-TG": ["LTNTG", "ND95", "ND124"],
    "DT-TN": ["LTNTG", "ND95"],
    "KH-KHCN": ["LKHCN", "ND08_2014"],
    "KH-ATBX": ["LNLNT"],
    "KH-TCDL": ["LCLSP"],
    "KH-BC": ["LBC"],
    "KH-XB": ["LXB"],
    "KH-PTTH": ["ND72"],
    "TT-TCD": ["LTCD"],
    "TT-KN": ["LKN"],
    "TT-TC": ["LTCAO", "ND46_2024"],
    "TT-XLD": ["LKN", "LTCAO"],
    "CA-CT": ["LCTRU"],
    "CA-CCUOC": ["LCCUOC"],
    "QS-NVQS": ["LNVQS"],
}

# Electronic-form questions used for level 3–4 procedures that define none: key, label, kind, choices.
GENERIC_FORM = [
    ("noi_dung_de_nghi", "Nội dung đề nghị", "textarea", ""),
    ("so_luong_ban", "Số lượng bản kết quả đề nghị cấp", "number", ""),
]
ORGANISATION_FORM = [
    ("ten_to_chuc", "Tên doanh nghiệp, tổ chức đề nghị", "text", ""),
    ("ma_so_doanh_nghiep", "Mã số doanh nghiệp/mã số thuế", "text", ""),
    ("noi_dung_de_nghi", "Nội dung đề nghị", "textarea", ""),
]

_TIME = re.compile(r"^(\d+(?:[.,]\d+)?)([ng]?)$")
_COUNT = re.compile(r"^(\d+)([x~])")


@dataclass
class Doc:
    name: str
    originals: int = 1
    copies: int = 0
    required: bool = True
    presented_only: bool = False
    replaceable_by_lookup: bool = False
    form_name: str = ""


@dataclass
class Row:
    code: str
    name: str
    field: str
    agency: str
    level: int
    time: str
    docs: list
    result: str
    fees: tuple = ()
    who: str = "CN"
    laws: list | None = None
    cases: list | None = None
    conditions: str = ""
    form: list | None = None
    steps: list | None = None
    applicants: str = ""
    keywords: str = ""
    description: str = ""
    coordinating: list = field(default_factory=list)
    history: dict | None = None  # an older published version: overrides of this row's values

    @property
    def at_commune(self) -> bool:
        return self.agency == COMMUNES


def P(code, name, field, agency, level, time, docs, result, **extra) -> Row:
    """One procedure row; see the module docstring for the compact notations."""
    return Row(code, name, field, agency, level, str(time), list(docs), result, **extra)


def parse_doc(spec: str) -> Doc:
    text = spec.strip()
    doc = Doc(name="")
    while text and text[0] in "?=#":
        flag, text = text[0], text[1:]
        if flag == "?":
            doc.required = False
        elif flag == "=":
            doc.presented_only = True
        else:
            doc.replaceable_by_lookup = True
    match = _COUNT.match(text)
    if match:
        count = int(match.group(1))
        if match.group(2) == "x":
            doc.originals = count
        else:
            doc.originals, doc.copies = 0, count
        text = text[match.end() :]
    elif text.startswith("~"):
        doc.originals, doc.copies = 0, 1
        text = text[1:]
    name, _, form_name = text.partition("@")
    doc.name = name.strip()
    doc.form_name = form_name.strip()
    return doc


def parse_time(text: str) -> tuple[Decimal | None, str, str]:
    """``(time_limit, unit, note)`` from the compact notation."""
    match = _TIME.match(text.strip())
    if not match:
        return None, "working_days", text
    unit = {"": "working_days", "n": "days", "g": "hours"}[match.group(2)]
    return Decimal(match.group(1).replace(",", ".")), unit, ""


def default_steps(row: Row, agency_name: str) -> list[str]:
    if row.steps:
        return [f"Bước {n}: {text}" for n, text in enumerate(row.steps, start=1)]
    where = "Bộ phận Một cửa Ủy ban nhân dân cấp xã" if row.at_commune else "Trung tâm Phục vụ hành chính công tỉnh"
    channels = "trực tiếp, qua dịch vụ bưu chính công ích"
    if row.level >= 3:
        channels += " hoặc trực tuyến trên Cổng Dịch vụ công"
    steps = [
        f"Tổ chức, cá nhân chuẩn bị hồ sơ theo quy định và nộp {channels} tại {where}.",
        "Công chức Bộ phận Một cửa kiểm tra tính đầy đủ, hợp lệ của hồ sơ; nếu đầy đủ thì tiếp nhận, cấp Giấy tiếp "
        "nhận hồ sơ và hẹn trả kết quả; nếu chưa đầy đủ thì hướng dẫn một lần để bổ sung, hoàn thiện.",
        f"{agency_name} thẩm định hồ sơ, trình người có thẩm quyền xem xét, quyết định.",
    ]
    if row.level >= 4:
        steps.append("Kết quả được trả qua tài khoản trên Cổng Dịch vụ công, bản điện tử có giá trị như bản giấy.")
    else:
        steps.append("Tổ chức, cá nhân nhận kết quả tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích.")
    return [f"Bước {n}: {text}" for n, text in enumerate(steps, start=1)]


def form_questions(row: Row) -> list[tuple[str, str, str, str]]:
    if row.form:
        return list(row.form)
    if row.who == "TC":
        return ORGANISATION_FORM
    return GENERIC_FORM


SAME_DAY = (
    "Ngay trong ngày tiếp nhận yêu cầu; trường hợp nhận hồ sơ sau 15 giờ mà không giải quyết được ngay "
    "thì trả kết quả trong ngày làm việc tiếp theo."
)
ID_PRESENTED = "=Hộ chiếu, thẻ Căn cước hoặc giấy tờ tùy thân có ảnh còn giá trị sử dụng của người yêu cầu"
RESIDENCE_LOOKUP = "#?Giấy tờ chứng minh nơi cư trú (khi không khai thác được từ Cơ sở dữ liệu quốc gia về dân cư)"
POWER_OF_ATTORNEY = "?Văn bản ủy quyền được chứng thực (trường hợp ủy quyền thực hiện thủ tục)"
BUSINESS_REGISTRATION = "#~Giấy chứng nhận đăng ký doanh nghiệp hoặc giấy tờ tương đương"
