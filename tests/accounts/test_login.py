"""Login by any identifier, landing pages per role, lockout, logout, CSRF, header."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from accounts.constants import AccountKind, StaffRole
from tests.factories import (
    AdminFactory,
    AgencyFactory,
    CitizenFactory,
    StaffAssignmentFactory,
    UserFactory,
)
from tests.second_factor import verify_session

pytestmark = pytest.mark.django_db

PASSWORD = "Matkhau@2026"  # tests.factories.UserFactory's password
WRONG_LOGIN = "Thông tin đăng nhập hoặc mật khẩu không đúng"


def login(client, identifier, password=PASSWORD, **extra):
    return client.post("/dang-nhap/", {"username": identifier, "password": password, **extra})


def logged_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def citizen():
    return CitizenFactory(username="038087912345", national_id="038087912345", email="Hoa@Example.vn")


@pytest.fixture
def business():
    return UserFactory(
        username="0100109106",
        tax_code="0100109106",
        kind=AccountKind.BUSINESS,
        organisation_name="Công ty TNHH Thử nghiệm",
        email="lienhe@thunghiem.vn",
    )


def test_login_page(client):
    response = client.get("/dang-nhap/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Số định danh cá nhân, mã số thuế hoặc email" in content
    assert "Cổng Dịch vụ công quốc gia" not in content  # national login is off by default
    assert len(response.content) < 100 * 1024


def test_login_by_id_number(client, citizen):
    response = login(client, "038087912345")
    assert response.status_code == 302
    assert response["Location"] == "/ho-so/"
    assert logged_in_as(client) == str(citizen.pk)


def test_login_by_id_number_with_spaces(client, citizen):
    login(client, " 038 087 912 345 ")
    assert logged_in_as(client) == str(citizen.pk)


def test_login_by_email_is_case_insensitive(client, citizen):
    login(client, "hoa@EXAMPLE.VN")
    assert logged_in_as(client) == str(citizen.pk)


def test_login_by_national_id_when_username_differs(client):
    user = CitizenFactory(username="nguyenvana", national_id="038087912399")
    login(client, "038087912399")
    assert logged_in_as(client) == str(user.pk)


def test_login_by_tax_code(client, business):
    response = login(client, "0100109106")
    assert response["Location"] == "/ho-so/"
    assert logged_in_as(client) == str(business.pk)
    assert "Công ty TNHH Thử nghiệm" in client.get("/tai-khoan/").content.decode()


def test_shared_email_logs_nobody_in(client):
    UserFactory(email="chung@example.vn")
    UserFactory(email="CHUNG@example.vn")
    response = login(client, "chung@example.vn")
    assert response.status_code == 200
    assert logged_in_as(client) is None


def test_wrong_password(client, citizen):
    response = login(client, "038087912345", "sai-mat-khau")
    content = response.content.decode()
    assert response.status_code == 200
    assert WRONG_LOGIN in content
    assert 'value="038087912345"' in content  # the identifier is kept
    assert logged_in_as(client) is None


def test_unknown_identifier_gets_the_same_message(client):
    response = login(client, "038087999999", "bat-ky")
    assert WRONG_LOGIN in response.content.decode()


def test_inactive_account_cannot_log_in(client, citizen):
    citizen.is_active = False
    citizen.save()
    login(client, "038087912345")
    assert logged_in_as(client) is None


def test_lockout_after_five_failures(client, citizen):
    for _ in range(4):
        assert login(client, "038087912345", "sai-mat-khau").status_code == 200
    response = login(client, "038087912345", "sai-mat-khau")
    assert response.status_code == 429
    content = response.content.decode()
    assert "Đăng nhập tạm thời bị khóa" in content
    assert "15 phút" in content
    # Even the right password is refused now, and by e-mail too (same account).
    response = login(client, "038087912345")
    assert response.status_code == 429
    assert "Đăng nhập tạm thời bị khóa" in response.content.decode()
    assert login(client, "hoa@example.vn").status_code == 429
    assert logged_in_as(client) is None
    assert AccessAttempt.objects.filter(username="038087912345").exists()


def test_lockout_is_per_identifier_and_address(client, citizen):
    other = CitizenFactory()
    for _ in range(5):
        login(client, "038087912345", "sai-mat-khau")
    login(client, other.username)
    assert logged_in_as(client) == str(other.pk)
    # Another address may still log in as the locked identifier.
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    login(elsewhere, "038087912345")
    assert logged_in_as(elsewhere) == str(citizen.pk)


def test_success_resets_the_failure_count(client, citizen):
    for _ in range(4):
        login(client, "038087912345", "sai-mat-khau")
    login(client, "038087912345")
    client.post("/dang-xuat/")
    for _ in range(4):
        login(client, "038087912345", "sai-mat-khau")
    login(client, "038087912345")
    assert logged_in_as(client) == str(citizen.pk)


def test_logout_is_post_only(client, citizen):
    client.force_login(citizen)
    assert client.get("/dang-xuat/").status_code == 405
    assert logged_in_as(client) == str(citizen.pk)
    response = client.post("/dang-xuat/")
    assert response.status_code == 302
    assert logged_in_as(client) is None


def test_officer_lands_on_officer_home_and_sees_only_their_agencies(client):
    officer = UserFactory(kind=AccountKind.OFFICER, username="canbo.motcua")
    mine = StaffAssignmentFactory(user=officer, agency=AgencyFactory(name="Sở Tư pháp"), department="Phòng Hộ tịch")
    StaffAssignmentFactory(user=officer, agency=mine.agency, role=StaffRole.SPECIALIST)
    StaffAssignmentFactory(user=officer, agency=AgencyFactory(name="Sở Cũ"), active=False)
    StaffAssignmentFactory(agency=AgencyFactory(name="Sở Xây dựng"))  # someone else's
    response = login(client, "canbo.motcua")
    assert response["Location"] == "/can-bo/"
    # The password alone opens nothing: an officer sets up the second factor first.
    assert client.get("/can-bo/")["Location"] == "/tai-khoan/xac-thuc-hai-buoc/?next=%2Fcan-bo%2F"
    verify_session(client, officer)
    page = client.get("/can-bo/").content.decode()
    assert "Sở Tư pháp" in page
    assert "Cán bộ một cửa" in page and "Chuyên viên xử lý" in page
    assert "Phòng Hộ tịch" in page
    assert "Sở Xây dựng" not in page
    assert "Sở Cũ" not in page
    assert "Chờ tiếp nhận" in page  # the one-stop officer's queues


def test_citizen_cannot_open_officer_home(client, citizen):
    client.force_login(citizen)
    assert client.get("/can-bo/").status_code == 403


def test_officer_home_needs_login(client):
    response = client.get("/can-bo/")
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=/can-bo/"


def test_superuser_lands_on_admin(client):
    AdminFactory(username="quantri")
    response = login(client, "quantri")
    assert response["Location"] == "/quan-tri/"


def test_provincial_admin_lands_on_admin(client):
    admin = UserFactory(kind=AccountKind.OFFICER, username="qtt", is_staff=True)
    StaffAssignmentFactory(user=admin, role=StaffRole.PROVINCIAL_ADMIN)
    assert login(client, "qtt")["Location"] == "/quan-tri/"


def test_safe_next_is_followed(client, citizen):
    response = login(client, "038087912345", next="/ho-so/kho-giay-to/")
    assert response["Location"] == "/ho-so/kho-giay-to/"


@pytest.mark.parametrize(
    "evil", ["https://evil.example", "//evil.example/", "https://evil.example/ho-so/", "/\\evil.example"]
)
def test_open_redirect_is_ignored(client, citizen, evil):
    response = client.post(f"/dang-nhap/?next={evil}", {"username": "038087912345", "password": PASSWORD})
    assert response["Location"] == "/ho-so/"
    client.post("/dang-xuat/")
    response = login(client, "038087912345", next=evil)
    assert response["Location"] == "/ho-so/"


def test_login_required_pages_send_people_to_our_login(client):
    response = client.get("/ho-so/")
    assert response["Location"] == "/dang-nhap/?next=/ho-so/"


def test_admin_login_still_works(client):
    admin = AdminFactory(username="quantri")
    response = client.post("/quan-tri/login/?next=/quan-tri/", {"username": "quantri", "password": PASSWORD})
    assert response.status_code == 302
    # Then the second factor, before the admin opens.
    assert client.get("/quan-tri/")["Location"] == "/tai-khoan/xac-thuc-hai-buoc/?next=%2Fquan-tri%2F"
    verify_session(client, admin)
    assert client.get("/quan-tri/").status_code == 200


def test_csrf_token_is_required():
    citizen = CitizenFactory()
    client = Client(enforce_csrf_checks=True)
    for url, data in [
        ("/dang-nhap/", {"username": citizen.username, "password": PASSWORD}),
        ("/dang-ky/", {"national_id": "038087912345"}),
        ("/dang-ky/doanh-nghiep/", {"tax_code": "0100109106"}),
        ("/quen-mat-khau/", {"email": citizen.email}),
    ]:
        assert client.post(url, data).status_code == 403, url
    assert logged_in_as(client) is None
    # A forged token (not the one in the cookie) is refused too.
    client.get("/dang-nhap/")
    forged = {"username": citizen.username, "password": PASSWORD, "csrfmiddlewaretoken": "x" * 64}
    assert client.post("/dang-nhap/", forged).status_code == 403
    # Logged in, a logout or profile change without the token is refused.
    client.force_login(citizen)
    assert client.post("/dang-xuat/").status_code == 403
    assert client.post("/tai-khoan/", {"full_name": "Kẻ Giả Mạo"}).status_code == 403
    assert logged_in_as(client) == str(citizen.pk)


def test_login_with_the_real_token_works():
    citizen = CitizenFactory()
    client = Client(enforce_csrf_checks=True)
    client.get("/dang-nhap/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/dang-nhap/", {"username": citizen.username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_header_for_anonymous_and_logged_in(client, citizen):
    page = client.get("/thu-tuc/").content.decode()
    assert "Đăng nhập</a>" in page and "Đăng ký</a>" in page
    assert 'href="/dang-nhap/?next=/thu-tuc/"' in page
    client.force_login(citizen)
    page = client.get("/thu-tuc/").content.decode()
    assert citizen.full_name in page
    assert 'href="/ho-so/"' in page and "Hồ sơ của tôi" in page
    assert 'href="/tai-khoan/"' in page
    assert 'action="/dang-xuat/"' in page and 'method="post"' in page
    assert "Đăng ký</a>" not in page
