"""Login with the national portal's account (OpenID Connect seam) with a fake HTTP layer."""

import datetime
import urllib.parse

import pytest

from accounts import sso
from accounts.constants import AccountKind
from accounts.models import User
from tests.factories import AdminFactory, CitizenFactory, UserFactory

pytestmark = pytest.mark.django_db

CONFIG = {
    "ENABLED": True,
    "AUTHORIZE_URL": "https://xacthuc.example.gov.vn/oauth2/authorize",
    "TOKEN_URL": "https://xacthuc.example.gov.vn/oauth2/token",
    "USERINFO_URL": "https://xacthuc.example.gov.vn/oauth2/userinfo",
    "CLIENT_ID": "tinh-thanh-hoa",
    "CLIENT_SECRET": "bi-mat",
    "REDIRECT_URI": "",
    "SCOPE": "openid",
    "ACR_VALUES": "LoA1",
}
CITIZEN_INFO = {
    "sub": "abc",
    "TechID": "tech-0001",
    "LoaiTaiKhoan": "1",
    "SoDinhDanh": "038087912345",
    "HoVaTen": "Nguyễn Văn An",
    "NgayThangNamSinh": "02/05/1987",
    "SoDienThoai": "0912345678",
    "ThuDienTu": "an@example.vn",
}


@pytest.fixture
def enabled(settings):
    settings.NATIONAL_SSO = dict(CONFIG)
    settings.PORTAL_BASE_URL = "https://dichvucong.example.gov.vn"
    return settings


class FakeNationalPortal:
    """Stands in for ``sso.fetch_json``: answers the token and userinfo endpoints."""

    def __init__(self, userinfo):
        self.userinfo = userinfo
        self.calls = []

    def __call__(self, url, *, data=None, headers=None):
        self.calls.append((url, data, headers))
        if url == CONFIG["TOKEN_URL"]:
            if data.get("code") != "ma-hop-le":
                raise sso.SSOError("Mã xác thực không hợp lệ.")
            return {"access_token": "at-123", "id_token": "idt-456", "token_type": "Bearer"}
        if url == CONFIG["USERINFO_URL"]:
            assert headers == {"Authorization": "Bearer at-123"}
            return dict(self.userinfo)
        raise AssertionError(f"unexpected request to {url}")


@pytest.fixture
def portal(monkeypatch):
    fake = FakeNationalPortal(CITIZEN_INFO)
    monkeypatch.setattr(sso, "fetch_json", fake)
    return fake


def start(client, next_url=""):
    response = client.get("/dang-nhap/dvcqg/" + (f"?next={urllib.parse.quote(next_url)}" if next_url else ""))
    assert response.status_code == 302
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(response["Location"]).query)
    return response, {key: values[0] for key, values in query.items()}


# --- switched off ------------------------------------------------------------------


def test_disabled_by_default_404_and_no_button(client):
    assert client.get("/dang-nhap/dvcqg/").status_code == 404
    assert client.get("/dang-nhap/dvcqg/callback/?code=x&state=y").status_code == 404
    assert "Cổng Dịch vụ công quốc gia" not in client.get("/dang-nhap/").content.decode()


def test_enabled_but_not_configured_stays_off(client, settings):
    settings.NATIONAL_SSO = {**CONFIG, "CLIENT_ID": ""}
    assert client.get("/dang-nhap/dvcqg/").status_code == 404
    assert "Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia" not in client.get("/dang-nhap/").content.decode()


# --- the redirect and the state --------------------------------------------------------


def test_login_page_shows_the_button_when_enabled(client, enabled):
    content = client.get("/dang-nhap/").content.decode()
    assert "Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia" in content
    assert 'href="/dang-nhap/dvcqg/"' in content


def test_start_redirects_to_authorize_with_state_in_session(client, enabled):
    response, query = start(client)
    assert response["Location"].startswith(CONFIG["AUTHORIZE_URL"] + "?")
    assert query["response_type"] == "code"
    assert query["client_id"] == "tinh-thanh-hoa"
    assert query["redirect_uri"] == "https://dichvucong.example.gov.vn/dang-nhap/dvcqg/callback/"
    assert query["scope"] == "openid"
    assert query["acr_values"] == "LoA1"
    assert len(query["state"]) >= 32
    assert client.session[sso.SESSION_KEY]["state"] == query["state"]
    _, again = start(client)
    assert again["state"] != query["state"]  # fresh every time


def test_callback_logs_in_and_follows_the_remembered_next(client, enabled, portal):
    _, query = start(client, "/ho-so/kho-giay-to/")
    response = client.get("/dang-nhap/dvcqg/callback/", {"code": "ma-hop-le", "state": query["state"]})
    assert response.status_code == 302
    assert response["Location"] == "/ho-so/kho-giay-to/"
    user = User.objects.get(national_sso_id="tech-0001")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session[sso.ID_TOKEN_SESSION_KEY] == "idt-456"
    token_call = portal.calls[0]
    assert token_call[0] == CONFIG["TOKEN_URL"]
    assert token_call[1]["grant_type"] == "authorization_code"
    assert token_call[1]["redirect_uri"] == "https://dichvucong.example.gov.vn/dang-nhap/dvcqg/callback/"
    assert token_call[1]["client_id"] == "tinh-thanh-hoa"
    # The state is used up: replaying the callback is refused.
    client.post("/dang-xuat/")
    replay = client.get("/dang-nhap/dvcqg/callback/", {"code": "ma-hop-le", "state": query["state"]})
    assert replay.status_code == 400


def test_outside_next_is_not_remembered(client, enabled, portal):
    _, query = start(client, "https://evil.example/")
    response = client.get("/dang-nhap/dvcqg/callback/", {"code": "ma-hop-le", "state": query["state"]})
    assert response["Location"] == "/ho-so/"


@pytest.mark.parametrize("state", ["", "sai-state", None])
def test_mismatched_state_is_refused(client, enabled, portal, state):
    start(client)
    params = {"code": "ma-hop-le"}
    if state is not None:
        params["state"] = state
    response = client.get("/dang-nhap/dvcqg/callback/", params)
    assert response.status_code == 400
    assert "Phiên đăng nhập không hợp lệ" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert portal.calls == []  # no code was exchanged
    assert not User.objects.exists()


def test_callback_without_a_started_login_is_refused(client, enabled, portal):
    response = client.get("/dang-nhap/dvcqg/callback/", {"code": "ma-hop-le", "state": "bat-ky"})
    assert response.status_code == 400
    assert portal.calls == []


def test_error_from_the_national_portal(client, enabled, portal):
    _, query = start(client)
    response = client.get("/dang-nhap/dvcqg/callback/", {"error": "access_denied", "state": query["state"]})
    assert response.status_code == 400
    assert "chưa hoàn tất" in response.content.decode()


def test_bad_code_is_refused(client, enabled, portal):
    _, query = start(client)
    response = client.get("/dang-nhap/dvcqg/callback/", {"code": "ma-sai", "state": query["state"]})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_network_failure_is_a_friendly_error(client, enabled, monkeypatch):
    import urllib.error

    def broken(request, timeout):
        raise urllib.error.URLError("không kết nối được")

    monkeypatch.setattr(sso.urllib.request, "urlopen", broken)
    _, query = start(client)
    response = client.get("/dang-nhap/dvcqg/callback/", {"code": "ma-hop-le", "state": query["state"]})
    assert response.status_code == 400
    assert "Không kết nối được" in response.content.decode()


# --- mapping userinfo to a local account -------------------------------------------------


def test_mapping_creates_a_citizen():
    user = sso.user_from_userinfo(CITIZEN_INFO)
    assert user.username == "038087912345"
    assert user.national_id == "038087912345"
    assert user.kind == AccountKind.CITIZEN
    assert user.full_name == "Nguyễn Văn An"
    assert user.date_of_birth == datetime.date(1987, 5, 2)
    assert user.phone == "0912345678"
    assert user.email == "an@example.vn"
    assert user.national_sso_id == "tech-0001"
    assert not user.has_usable_password()


def test_mapping_links_an_existing_local_account_by_id_number_and_updates_it():
    local = CitizenFactory(username="038087912345", national_id="038087912345", full_name="Nguyen Van An")
    user = sso.user_from_userinfo(CITIZEN_INFO)
    assert user.pk == local.pk
    assert user.national_sso_id == "tech-0001"
    assert user.full_name == "Nguyễn Văn An"
    assert user.check_password("Matkhau@2026")  # the local password keeps working
    assert User.objects.count() == 1


def test_mapping_finds_the_account_by_techid_next_time():
    first = sso.user_from_userinfo(CITIZEN_INFO)
    again = sso.user_from_userinfo({**CITIZEN_INFO, "HoVaTen": "Nguyễn Văn Ân", "SoDienThoai": "+84987654321"})
    assert again.pk == first.pk
    assert again.full_name == "Nguyễn Văn Ân"
    assert again.phone == "0987654321"


def test_mapping_skips_placeholder_and_taken_emails():
    UserFactory(email="an@example.vn")
    user = sso.user_from_userinfo(CITIZEN_INFO)
    assert user.email == ""
    other = sso.user_from_userinfo(
        {
            **CITIZEN_INFO,
            "TechID": "tech-2",
            "SoDinhDanh": "001190912345",
            "ThuDienTu": "001190912345@dichvucong.gov.vn",
        }
    )
    assert other.email == ""


def test_mapping_iso_date_of_birth():
    user = sso.user_from_userinfo({**CITIZEN_INFO, "NgayThangNamSinh": "1987-05-02T00:00:00"})
    assert user.date_of_birth == datetime.date(1987, 5, 2)


def test_mapping_creates_a_business():
    info = {
        "TechID": "tech-dn-1",
        "LoaiTaiKhoan": 2,
        "MaSoThue": "0100109106",
        "TenDoanhNghiep": "Tập đoàn Thử nghiệm",
        "SoDinhDanh": "038087912345",
        "HoVaTen": "Lê Văn Đại",
        "ThuDienTu": "lienhe@thunghiem.vn",
    }
    user = sso.user_from_userinfo(info)
    assert user.kind == AccountKind.BUSINESS
    assert user.username == "0100109106" and user.tax_code == "0100109106"
    assert user.organisation_name == "Tập đoàn Thử nghiệm"
    assert user.representative_id == "038087912345"
    assert user.national_id is None


def test_mapping_refuses_an_id_already_linked_elsewhere():
    CitizenFactory(username="038087912345", national_id="038087912345", national_sso_id="tech-khac")
    with pytest.raises(sso.SSOError, match="khác"):
        sso.user_from_userinfo(CITIZEN_INFO)


def test_mapping_never_takes_over_staff_accounts():
    AdminFactory(username="038087912345", national_id="038087912345")
    with pytest.raises(sso.SSOError, match="cán bộ"):
        sso.user_from_userinfo(CITIZEN_INFO)


@pytest.mark.parametrize(
    "changes",
    [{"TechID": "", "sub": ""}, {"SoDinhDanh": ""}, {"SoDinhDanh": "123456789"}, {"LoaiTaiKhoan": "2"}],
)
def test_mapping_refuses_incomplete_userinfo(changes):
    with pytest.raises(sso.SSOError):
        sso.user_from_userinfo({**CITIZEN_INFO, **changes})
    assert not User.objects.exists()
