"""Registration of citizens and businesses: happy paths and every bad input at its field."""

import datetime
import html
import re

import pytest
from django.utils import timezone

from accounts.constants import AccountKind
from accounts.models import User
from tests.factories import CitizenFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Hoso-truc-tuyen-2026"
CITIZEN = {
    "national_id": "038087912345",
    "full_name": "Nguyễn Thị Hoa",
    "date_of_birth": "1987-05-02",
    "phone": "0912 345 678",
    "email": "hoa@example.vn",
    "password1": PASSWORD,
}
BUSINESS = {
    "tax_code": "0100109106",
    "organisation_name": "Công ty TNHH Thử nghiệm Thanh Hóa",
    "full_name": "Lê Văn Đại",
    "representative_id": "038087912345",
    "phone": "+84 987 654 321",
    "email": "lienhe@thunghiem.vn",
    "password1": PASSWORD,
}


def field_errors(content: str, name: str) -> str:
    """The text of the error list shown at field ``name`` ('' if none)."""
    match = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', content, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))) if match else ""


def input_tag(content: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', content)
    assert match, f"no input {name}"
    return match.group(0)


def assert_error_at(response, name: str, *fragments: str):
    content = response.content.decode()
    errors = field_errors(content, name)
    assert errors, f"no error at {name}"
    for fragment in fragments:
        assert fragment in errors, errors
    tag = input_tag(content, name)
    assert 'aria-invalid="true"' in tag
    assert f"id_{name}_error" in tag  # aria-describedby points at the message
    return content


def assert_kept(content: str, data: dict, *, skip=()):
    """Everything typed is shown again, except passwords."""
    for name, value in data.items():
        if name.startswith("password") or name in skip:
            continue
        assert f'value="{html.escape(value, quote=True)}"' in input_tag(content, name), name
    for name in ("password1",):
        if name in data:
            assert "value=" not in input_tag(content, name)


def post(client, data, url="/dang-ky/", **changes):
    return client.post(url, {**data, **changes})


def test_registration_page_renders_in_vietnamese_and_is_small(client):
    response = client.get("/dang-ky/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Đăng ký tài khoản công dân" in content
    assert 'type="date"' in input_tag(content, "date_of_birth")
    assert 'type="tel"' in input_tag(content, "phone")
    assert len(response.content) < 100 * 1024


def test_citizen_registers_and_is_logged_in(client):
    response = post(client, CITIZEN)
    assert response.status_code == 302
    assert response["Location"] == "/ho-so/"
    user = User.objects.get(username="038087912345")
    assert user.national_id == "038087912345"
    assert user.kind == AccountKind.CITIZEN
    assert user.full_name == "Nguyễn Thị Hoa"
    assert user.date_of_birth == datetime.date(1987, 5, 2)
    assert user.phone == "0912345678"
    assert user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    page = client.get("/ho-so/").content.decode()
    assert "Nguyễn Thị Hoa" in page  # name in the header


def test_date_of_birth_typed_as_dd_mm_yyyy_is_accepted(client):
    response = post(client, CITIZEN, date_of_birth="02/05/1987")
    assert response.status_code == 302
    assert User.objects.get(username="038087912345").date_of_birth == datetime.date(1987, 5, 2)


def test_registration_goes_to_a_safe_next(client):
    response = post(client, CITIZEN, next="/thu-tuc/")
    assert response["Location"] == "/thu-tuc/"


def test_registration_ignores_an_outside_next(client):
    response = post(client, CITIZEN, next="https://evil.example/")
    assert response["Location"] == "/ho-so/"


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("03808791234", "đúng 12 chữ số"),  # 11 digits
        ("03808791234a", "đúng 12 chữ số"),  # letters
        ("099087912345", "mã tỉnh"),  # province code 099 does not exist
        ("038287912345", "Chữ số thứ 4"),  # century digit 2 = born 2000s, but born 1987
        ("038086912345", "Chữ số thứ 5 và 6"),  # birth-year digits 86, but born 1987
    ],
)
def test_bad_id_number_is_shown_at_the_id_field_and_nothing_is_lost(client, number, fragment):
    response = post(client, CITIZEN, national_id=number)
    assert response.status_code == 200
    content = assert_error_at(response, "national_id", fragment)
    assert_kept(content, {**CITIZEN, "national_id": number})
    assert not User.objects.exists()
    assert "_auth_user_id" not in client.session


def test_duplicate_id_number(client):
    CitizenFactory(username="038087912345", national_id="038087912345")
    response = post(client, CITIZEN)
    assert_error_at(response, "national_id", "đã có tài khoản")
    assert User.objects.count() == 1


def test_duplicate_email_case_insensitive(client):
    UserFactory(email="Hoa@Example.VN")
    response = post(client, CITIZEN)
    content = assert_error_at(response, "email", "đã được dùng")
    assert_kept(content, CITIZEN)


def test_phone_or_email_is_required(client):
    response = post(client, CITIZEN, phone="", email="")
    assert_error_at(response, "phone", "ít nhất một")
    assert not User.objects.exists()


def test_email_alone_is_enough(client):
    assert post(client, CITIZEN, phone="").status_code == 302
    assert User.objects.get().phone == ""


@pytest.mark.parametrize("phone", ["012345678", "0212345678", "09123456789", "abc", "+8491234567"])
def test_bad_phone(client, phone):
    response = post(client, CITIZEN, phone=phone)
    content = assert_error_at(response, "phone", "10 chữ số")
    assert_kept(content, {**CITIZEN, "phone": phone})


def test_phone_with_country_code_is_stored_with_a_leading_zero(client):
    post(client, CITIZEN, phone="+84912345678")
    assert User.objects.get().phone == "0912345678"


def test_bad_email(client):
    response = post(client, CITIZEN, email="khong-phai-email")
    assert_error_at(response, "email", "không hợp lệ")


def test_weak_password(client):
    response = post(client, CITIZEN, password1="12345678")
    content = assert_error_at(response, "password1", "quá phổ biến")
    assert "hoàn toàn là số" in field_errors(content, "password1")
    assert_kept(content, CITIZEN)


def test_short_password(client):
    response = post(client, CITIZEN, password1="Ab1!")
    assert_error_at(response, "password1", "quá ngắn")


def test_future_date_of_birth(client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = post(client, CITIZEN, date_of_birth=tomorrow.isoformat())
    content = assert_error_at(response, "date_of_birth", "tương lai")
    assert_kept(content, {**CITIZEN, "date_of_birth": tomorrow.isoformat()})


def test_unparseable_date_of_birth(client):
    response = post(client, CITIZEN, date_of_birth="31/02/1987")
    assert_error_at(response, "date_of_birth", "không hợp lệ")


def test_typed_date_is_shown_back_in_the_form_a_date_input_can_display(client):
    response = post(client, CITIZEN, date_of_birth="02/05/1987", password1="khac")
    assert 'value="1987-05-02"' in input_tag(response.content.decode(), "date_of_birth")


def test_every_missing_field_is_marked(client):
    response = client.post("/dang-ky/", {})
    for name in ("national_id", "full_name", "date_of_birth", "password1"):
        assert_error_at(response, name, "Vui lòng nhập")


def test_logged_in_user_is_sent_home_from_registration(client):
    client.force_login(CitizenFactory())
    assert client.get("/dang-ky/")["Location"] == "/ho-so/"


# --- businesses -------------------------------------------------------------------


def test_business_registers(client):
    response = post(client, BUSINESS, url="/dang-ky/doanh-nghiep/")
    assert response.status_code == 302
    assert response["Location"] == "/ho-so/"
    user = User.objects.get(username="0100109106")
    assert user.kind == AccountKind.BUSINESS
    assert user.tax_code == "0100109106"
    assert user.organisation_name == "Công ty TNHH Thử nghiệm Thanh Hóa"
    assert user.full_name == "Lê Văn Đại"
    assert user.representative_id == "038087912345"
    assert user.national_id is None  # the representative may hold a citizen account too
    assert user.phone == "0987654321"
    assert "Công ty TNHH Thử nghiệm Thanh Hóa" in client.get("/tai-khoan/").content.decode()


def test_branch_tax_code(client):
    post(client, BUSINESS, url="/dang-ky/doanh-nghiep/", tax_code="0100109106-001")
    assert User.objects.get().username == "0100109106-001"


def test_representative_may_also_have_a_citizen_account(client):
    CitizenFactory(username="038087912345", national_id="038087912345")
    assert post(client, BUSINESS, url="/dang-ky/doanh-nghiep/").status_code == 302


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("010010910", "10 chữ số"),
        ("01001091061", "10 chữ số"),
        ("0100109106-01", "10 chữ số"),
        ("010010910A", "10 chữ số"),
        ("0100109107", "chữ số kiểm tra"),
    ],
)
def test_business_with_a_bad_tax_code(client, code, fragment):
    response = post(client, BUSINESS, url="/dang-ky/doanh-nghiep/", tax_code=code)
    content = assert_error_at(response, "tax_code", fragment)
    assert_kept(content, {**BUSINESS, "tax_code": code})
    assert not User.objects.exists()


def test_business_duplicate_tax_code(client):
    UserFactory(username="0100109106", tax_code="0100109106", kind=AccountKind.BUSINESS)
    response = post(client, BUSINESS, url="/dang-ky/doanh-nghiep/")
    assert_error_at(response, "tax_code", "đã có tài khoản")


def test_business_representative_id_is_validated(client):
    response = post(client, BUSINESS, url="/dang-ky/doanh-nghiep/", representative_id="099087912345")
    assert_error_at(response, "representative_id", "mã tỉnh")


def test_business_needs_phone_or_email(client):
    response = post(client, BUSINESS, url="/dang-ky/doanh-nghiep/", phone="", email="")
    assert_error_at(response, "phone", "ít nhất một")
