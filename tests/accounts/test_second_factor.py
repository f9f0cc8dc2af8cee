"""The second factor for officers and admins (TOTP, backup codes) and sessions that end."""

import re
import time

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.constants import AccountKind, StaffRole
from accounts.middleware import LAST_SEEN_KEY
from tests.factories import AdminFactory, CitizenFactory, StaffAssignmentFactory, UserFactory
from tests.second_factor import current_code, device_of, fresh_code

pytestmark = pytest.mark.django_db
PASSWORD = "Matkhau@2026"


@pytest.fixture
def officer():
    user = UserFactory(kind=AccountKind.OFFICER, username="canbo.motcua")
    StaffAssignmentFactory(user=user, role=StaffRole.ONE_STOP_OFFICER)
    return user


def password_login(username: str) -> Client:
    client = Client()
    response = client.post("/dang-nhap/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def setup_secret(page: str) -> str:
    return re.search(r'id="otp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")


def test_the_password_alone_opens_no_officer_page_and_no_api(officer):
    client = password_login("canbo.motcua")
    for url in ["/can-bo/", "/can-bo/so-theo-doi/", "/bao-cao/", "/ho-so/", "/tai-khoan/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/tai-khoan/xac-thuc-hai-buoc/?next="), url
    api = client.get("/api/v1/desk/queues/")
    assert api.status_code == 403 and "xác thực hai bước" in api.json()["detail"]
    # Until the code, the session opens nothing else, not even the public pages as this
    # account; logging out stays open.
    assert client.get("/thu-tuc/")["Location"].startswith("/tai-khoan/xac-thuc-hai-buoc/")
    assert client.post("/dang-xuat/").status_code == 302
    assert client.get("/can-bo/")["Location"].startswith("/dang-nhap/")


def test_setting_up_the_authenticator_then_logging_in_with_its_codes(officer):
    client = password_login("canbo.motcua")
    page = client.get("/tai-khoan/xac-thuc-hai-buoc/?next=/can-bo/").content.decode()
    assert 'src="data:image/svg+xml;base64,' in page and "Mã QR" in page
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    import base64

    assert base64.b32decode(setup_secret(page) + "=" * (-len(setup_secret(page)) % 8)) == device.bin_key
    # A wrong code: the message at the field, the same QR code kept.
    wrong = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"token": "000000", "next": "/can-bo/"})
    assert wrong.status_code == 400
    assert 'id="id_token_error"' in wrong.content.decode() and "không đúng" in wrong.content.decode()
    assert TOTPDevice.objects.get(user=officer, confirmed=False).pk == device.pk
    done = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"token": current_code(device), "next": "/can-bo/"})
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert done.status_code == 200 and len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/can-bo/").status_code == 200

    # The next login asks for a code; each code works once.
    again = password_login("canbo.motcua")
    assert again.get("/can-bo/")["Location"] == "/dang-nhap/xac-thuc/?next=%2Fcan-bo%2F"
    device.refresh_from_db()
    code = fresh_code(device)
    ok = again.post("/dang-nhap/xac-thuc/", {"token": code, "next": "/can-bo/"})
    assert ok.status_code == 302 and ok["Location"] == "/can-bo/"
    assert again.get("/can-bo/").status_code == 200
    replay = password_login("canbo.motcua")
    refused = replay.post("/dang-nhap/xac-thuc/", {"token": code, "next": "/can-bo/"})
    assert refused.status_code == 400 and replay.get("/can-bo/").status_code == 302

    # A backup code, once.
    backup = password_login("canbo.motcua")
    assert backup.post("/dang-nhap/xac-thuc/", {"token": codes[0], "next": "/can-bo/"}).status_code == 302
    assert backup.get("/can-bo/").status_code == 200
    reused = password_login("canbo.motcua")
    assert reused.post("/dang-nhap/xac-thuc/", {"token": codes[0]}).status_code == 400


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "6 chữ số"),
        ("12 34 5x!", "6 chữ số"),
        ("1" * 40, "6 chữ số"),
        ("123456", "không đúng"),
        ("abcdefgh", "không đúng"),
    ],
)
def test_bad_codes_are_refused_at_the_field(officer, typed, message):
    device_of(officer)
    client = password_login("canbo.motcua")
    response = client.post("/dang-nhap/xac-thuc/", {"token": typed, "next": "/can-bo/"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_token_error"' in page and message in page
    assert client.get("/can-bo/").status_code == 302


def test_repeated_wrong_codes_slow_down_even_the_right_one(officer):
    device = device_of(officer)
    client = password_login("canbo.motcua")
    for _ in range(3):
        client.post("/dang-nhap/xac-thuc/", {"token": "000001"})
    response = client.post("/dang-nhap/xac-thuc/", {"token": current_code(device)})
    assert response.status_code == 400 and "đợi ít phút" in response.content.decode()


def test_admins_need_it_for_the_admin_site_and_citizens_are_not_asked():
    AdminFactory(username="quantri")
    admin_client = password_login("quantri")
    assert admin_client.get("/quan-tri/")["Location"].startswith("/tai-khoan/xac-thuc-hai-buoc/")
    citizen = CitizenFactory()
    client = password_login(citizen.username)
    assert client.get("/ho-so/").status_code == 200
    # A citizen may still set one up for their own account.
    assert client.get("/tai-khoan/xac-thuc-hai-buoc/").status_code == 200


def test_the_demo_may_turn_it_off(officer, settings):
    settings.SECOND_FACTOR_REQUIRED = False
    client = password_login("canbo.motcua")
    assert client.get("/can-bo/").status_code == 200


def test_an_idle_session_ends_sooner_for_officers_than_for_citizens(officer, settings):
    citizen = CitizenFactory()
    staff, person = Client(), Client()
    staff.force_login(officer)
    person.force_login(citizen)
    for client, idle in ((staff, 31 * 60), (person, 31 * 60)):
        session = client.session
        session[LAST_SEEN_KEY] = int(time.time()) - idle
        session.save()
    ended = staff.get("/can-bo/")
    assert ended.status_code == 302 and ended["Location"] == "/dang-nhap/?next=%2Fcan-bo%2F"
    assert staff.get("/can-bo/")["Location"].startswith("/dang-nhap/")  # really logged out
    assert person.get("/ho-so/").status_code == 200  # citizens: two hours
    session = person.session
    session[LAST_SEEN_KEY] = int(time.time()) - 2 * 3600 - 5
    session.save()
    assert person.get("/ho-so/")["Location"] == "/dang-nhap/?next=%2Fho-so%2F"


def test_the_badge_polling_does_not_keep_a_session_alive(settings):
    citizen = CitizenFactory()
    client = Client()
    client.force_login(citizen)
    session = client.session
    stale = int(time.time()) - 3600
    session[LAST_SEEN_KEY] = stale
    session.save()
    client.get("/thong-bao/chua-doc/")
    assert client.session[LAST_SEEN_KEY] == stale
    client.get("/ho-so/")
    assert client.session[LAST_SEEN_KEY] > stale


def test_sessions_have_an_absolute_lifetime(settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    citizen = CitizenFactory()
    client = password_login(citizen.username)
    assert int(client.cookies["sessionid"]["max-age"]) == 12 * 3600
