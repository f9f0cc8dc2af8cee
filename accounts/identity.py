"""The 12-digit personal identification number (số định danh cá nhân, số CCCD).

Layout (ND 137/2015 Art. 13; research vietnam-domain.md §8.1): digits 1–3 the
province (or country) of birth registration, digit 4 century and gender, digits 5–6
the last two digits of the birth year, digits 7–12 random. There is no check digit.
The number is validated against what the person tells us; legal gender or birth
date are never derived from it.
"""

import datetime

from django.core.exceptions import ValidationError

# Province codes of birth registration (TT 07/2016/TT-BCA annex), before the 2025
# mergers; they do not change with them since they record the place of registration.
PROVINCE_CODES = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
    "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
    "017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang",
    "025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình",
    "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị",
    "046": "Thừa Thiên Huế", "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
    "054": "Phú Yên", "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước",
    "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa - Vũng Tàu",
    "079": "Thành phố Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang", "083": "Bến Tre",
    "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang",
    "092": "Cần Thơ", "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip


def century_digits(year: int) -> tuple[str, str]:
    """Digit 4 for a birth year: (male, female). 1900s → 0/1, 2000s → 2/3, … 2300s → 8/9."""
    index = (year // 100) - 19
    if not 0 <= index <= 4:
        raise ValueError("năm sinh ngoài phạm vi 1900–2399")
    return str(2 * index), str(2 * index + 1)


def validate_personal_id(number: str, *, date_of_birth: datetime.date | None = None) -> str:
    """Check a 12-digit personal identification number; returns it cleaned.

    Raises ``ValidationError`` with a Vietnamese message naming what is wrong.
    """
    cleaned = (number or "").strip().replace(" ", "")
    if not cleaned.isdigit() or len(cleaned) != 12:
        raise ValidationError("Số định danh cá nhân phải gồm đúng 12 chữ số.", code="length")
    if cleaned[:3] not in PROVINCE_CODES:
        raise ValidationError("Ba chữ số đầu (mã tỉnh nơi đăng ký khai sinh) không hợp lệ.", code="province")
    if date_of_birth is not None:
        try:
            male, female = century_digits(date_of_birth.year)
        except ValueError:
            raise ValidationError("Ngày sinh không hợp lệ.", code="dob") from None
        if cleaned[3] not in (male, female):
            raise ValidationError("Chữ số thứ 4 (thế kỷ sinh và giới tính) không khớp với năm sinh.", code="century")
        if cleaned[4:6] != f"{date_of_birth.year % 100:02d}":
            raise ValidationError("Chữ số thứ 5 và 6 phải là hai số cuối của năm sinh.", code="birth_year")
    return cleaned


# Weights of the tax code check digit (as in python-stdnum ``vn.mst``; checked against
# real codes such as 0100109106 and 0100047516).
TAX_CODE_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def validate_tax_code(code: str) -> str:
    """Check an enterprise/tax code (mã số doanh nghiệp, mã số thuế); returns it cleaned.

    Ten digits, the tenth a check digit over the first nine; a branch adds a dash and
    three digits (``0100109106-001``).
    """
    cleaned = (code or "").strip().replace(" ", "").replace(".", "")
    main, dash, branch = cleaned.partition("-")
    if not main.isdigit() or len(main) != 10 or (dash and (not branch.isdigit() or len(branch) != 3)):
        raise ValidationError(
            "Mã số thuế gồm 10 chữ số; chi nhánh thêm dấu gạch ngang và 3 chữ số (ví dụ 0100109106-001).",
            code="format",
        )
    if main[:2] == "00" or main[2:9] == "0000000" or branch == "000":
        raise ValidationError("Mã số thuế không hợp lệ.", code="component")
    remainder = sum(int(d) * w for d, w in zip(main[:9], TAX_CODE_WEIGHTS, strict=True)) % 11
    if str(10 - remainder) != main[9]:
        raise ValidationError(
            "Mã số thuế không đúng (chữ số kiểm tra không khớp). Vui lòng kiểm tra lại.", code="check"
        )
    return cleaned


def normalize_phone(number: str) -> str:
    """A Vietnamese mobile number as ten digits starting with 0; raises ``ValidationError``.

    Accepts spaces, dots and dashes, and the +84 (or 84) country prefix.
    """
    cleaned = (number or "").strip()
    for sep in " .-()":
        cleaned = cleaned.replace(sep, "")
    if cleaned.startswith("+84"):
        cleaned = "0" + cleaned[3:]
    elif cleaned.startswith("84") and len(cleaned) == 11:
        cleaned = "0" + cleaned[2:]
    if not (cleaned.isdigit() and len(cleaned) == 10 and cleaned[0] == "0" and cleaned[1] in "35789"):
        raise ValidationError(
            "Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 (hoặc +84).", code="phone"
        )
    return cleaned
