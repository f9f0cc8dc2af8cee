"""Profile page, password change and password reset by e-mail."""

import datetime
import html
import re

import pytest
from django.core import mail

from accounts.constants import AccountKind
from tests.factories import CitizenFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Matkhau@2026"
NEW_PASSWORD = "Mat-khau-moi-2027"


def field_errors(content: str, name: str) -> str:
    match = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', content, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))) if match else ""


def input_tag(content: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', content)
    return match.group(0) if match else ""


@pytest.fixture
def citizen(client):
    user = CitizenFactory(
        username="038087912345",
        national_id="038087912345",
        full_name="Nguyễn Văn An",
        email="an@example.vn",
        phone="0912345678",
    )
    client.force_login(user)
    return user


def profile_data(**changes):
    data = {
        "full_name": "Nguyễn Văn An",
        "date_of_birth": "1987-05-02",
        "phone": "0912345678",
        "email": "an@example.vn",
        "address": "12 Lê Lợi, phường Hạc Thành, Thanh Hóa",
    }
    data.update(changes)
    return data


def test_profile_needs_login(client):
    assert client.get("/tai-khoan/")["Location"] == "/dang-nhap/?next=/tai-khoan/"


def test_profile_shows_the_id_number_read_only(client, citizen):
    response = client.get("/tai-khoan/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "038087912345" in content
    assert input_tag(content, "national_id") == ""  # not an editable field
    assert len(response.content) < 100 * 1024


def test_profile_edit(client, citizen):
    response = client.post("/tai-khoan/", profile_data(full_name="  Nguyễn   Văn Anh ", phone="+84 987 654 321"))
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.full_name == "Nguyễn Văn Anh"
    assert citizen.phone == "0987654321"
    assert citizen.address == "12 Lê Lợi, phường Hạc Thành, Thanh Hóa"
    assert "Đã lưu thông tin tài khoản" in client.get("/tai-khoan/").content.decode()


def test_id_number_cannot_be_changed_through_the_form(client, citizen):
    client.post("/tai-khoan/", profile_data(national_id="001087912345"))
    citizen.refresh_from_db()
    assert citizen.national_id == "038087912345"


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"phone": "12345"}, "phone", "10 chữ số"),
        ({"email": "khong-hop-le"}, "email", "không hợp lệ"),
        ({"phone": "", "email": ""}, "phone", "ít nhất một"),
        ({"full_name": ""}, "full_name", "Vui lòng nhập"),
        ({"date_of_birth": "2101-01-01"}, "date_of_birth", "tương lai"),
        ({"date_of_birth": "1988-05-02"}, "date_of_birth", "Chữ số thứ 5 và 6"),  # ID says born 1987
        ({"date_of_birth": "2007-05-02"}, "date_of_birth", "Chữ số thứ 4"),  # 2000s: digit 4 would be 2 or 3
    ],
)
def test_profile_bad_input_is_shown_at_the_field(client, citizen, changes, field, fragment):
    data = profile_data(**changes)
    response = client.post("/tai-khoan/", data)
    content = response.content.decode()
    assert response.status_code == 200
    assert fragment in field_errors(content, field)
    assert 'aria-invalid="true"' in input_tag(content, field)
    assert f'value="{data["address"]}"' in input_tag(content, "address")  # nothing lost
    citizen.refresh_from_db()
    assert citizen.phone == "0912345678" and citizen.email == "an@example.vn"
    assert citizen.date_of_birth == datetime.date(1987, 5, 2)
    assert "Nguyễn Văn An" in content  # header keeps the saved name


def test_profile_email_taken_by_someone_else(client, citizen):
    UserFactory(email="trung@example.vn")
    response = client.post("/tai-khoan/", profile_data(email="TRUNG@example.vn"))
    assert "đã được dùng" in field_errors(response.content.decode(), "email")


def test_profile_sets_a_missing_id_number_once(client):
    user = UserFactory(username="nguoidung", full_name="Trần Thị Bình")
    client.force_login(user)
    response = client.post(
        "/tai-khoan/", profile_data(full_name="Trần Thị Bình", national_id="038187912345", date_of_birth="1987-05-02")
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.national_id == "038187912345"
    response = client.post("/tai-khoan/", profile_data(national_id="038187000000"))
    user.refresh_from_db()
    assert user.national_id == "038187912345"


def test_profile_checks_a_new_id_number_against_the_date_of_birth(client):
    user = UserFactory(username="nguoidung")
    client.force_login(user)
    response = client.post("/tai-khoan/", profile_data(national_id="038287912345"))
    assert "Chữ số thứ 4" in field_errors(response.content.decode(), "national_id")


def test_business_profile(client):
    user = UserFactory(
        username="0100109106",
        tax_code="0100109106",
        kind=AccountKind.BUSINESS,
        organisation_name="Công ty A",
        full_name="Lê Văn Đại",
        representative_id="038087912345",
    )
    client.force_login(user)
    content = client.get("/tai-khoan/").content.decode()
    assert "0100109106" in content and input_tag(content, "tax_code") == ""
    data = {
        "organisation_name": "Công ty B",
        "full_name": "Lê Thị Em",
        "representative_id": "099087912345",
        "phone": "0912345678",
        "email": "",
        "address": "",
    }
    response = client.post("/tai-khoan/", data)
    assert "mã tỉnh" in field_errors(response.content.decode(), "representative_id")
    response = client.post("/tai-khoan/", {**data, "representative_id": "001190912345"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.organisation_name, user.full_name, user.representative_id) == (
        "Công ty B",
        "Lê Thị Em",
        "001190912345",
    )


def test_password_change(client, citizen):
    response = client.get("/tai-khoan/doi-mat-khau/")
    assert "Mật khẩu hiện tại" in response.content.decode()
    response = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": "sai", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "Mật khẩu hiện tại không đúng" in field_errors(response.content.decode(), "old_password")
    response = client.post(
        "/tai-khoan/doi-mat-khau/", {"old_password": PASSWORD, "new_password1": "abc", "new_password2": "abc"}
    )
    assert "quá ngắn" in response.content.decode()
    response = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/tai-khoan/"
    citizen.refresh_from_db()
    assert citizen.check_password(NEW_PASSWORD)
    assert client.session.get("_auth_user_id") == str(citizen.pk)  # still logged in


def test_password_reset_by_email(client):
    user = CitizenFactory(email="an@example.vn", full_name="Nguyễn Văn An")
    response = client.post("/quen-mat-khau/", {"email": "AN@example.vn"})
    assert response["Location"] == "/quen-mat-khau/da-gui/"
    assert "Kiểm tra hộp thư" in client.get("/quen-mat-khau/da-gui/").content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["an@example.vn"]
    assert "Đặt lại mật khẩu" in message.subject
    assert "Xin chào Nguyễn Văn An" in message.body
    link = re.search(r"https?://[^/\s]+(/quen-mat-khau/\S+/\S+/)", message.body).group(1)

    response = client.get(link)
    assert response.status_code == 302  # Django moves the token out of the address
    form_url = response["Location"]
    page = client.get(form_url).content.decode()
    assert "Đặt mật khẩu mới" in page and "Mật khẩu mới" in page
    response = client.post(form_url, {"new_password1": "abc", "new_password2": "abc"})
    assert "quá ngắn" in response.content.decode()
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == "/quen-mat-khau/hoan-tat/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The link is used up.
    assert "không hợp lệ" in client.get(link, follow=True).content.decode()
    assert client.post("/dang-nhap/", {"username": user.username, "password": NEW_PASSWORD}).status_code == 302


def test_password_reset_for_an_unknown_email_sends_nothing_and_says_the_same(client):
    response = client.post("/quen-mat-khau/", {"email": "khongco@example.vn"})
    assert response["Location"] == "/quen-mat-khau/da-gui/"
    assert mail.outbox == []


def test_password_reset_page(client):
    content = client.get("/quen-mat-khau/").content.decode()
    assert "Quên mật khẩu" in content and "Email đã đăng ký" in content
