"""The error pages (portal.views): the 503 while the database is unreachable, the 500 of an
unexpected error and a form's expired token, in the portal's layout without the database or
the session; what happened in Vietnamese, what became of what was sent, the way on, and a
reference for the help desk; 403 and 404 in the same look."""

import logging
import re

import pytest
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from dossiers.constants import Status
from portal import views
from tests.dossiers.test_views import start_dossier
from tests.factories import CitizenFactory
from tests.portal.error_urls import BROKEN_PATH
from tests.portal.outages import database_unreachable

pytestmark = pytest.mark.django_db

STYLESHEET = '<link rel="stylesheet" href="/static/css/portal.css">'
SENT = "Yêu cầu bạn vừa gửi chưa được thực hiện: chưa có gì được nộp."
AUTOSAVED = "Hồ sơ đang soạn trên Cổng được lưu nháp tự động trong khi bạn gõ"


def in_the_layout(body: str) -> None:
    """The portal's header, stylesheet and footer, and nothing of a traceback."""
    assert STYLESHEET in body
    assert 'class="site-header"' in body and 'class="site-footer"' in body
    assert "Cổng Dịch vụ công trực tuyến" in body and 'href="/thu-tuc/"' in body
    assert "Traceback" not in body and "OperationalError" not in body and "RuntimeError" not in body


def reference(body: str) -> str:
    found = re.search(r'Mã tham chiếu: <strong class="code">([^<]+)</strong>, lúc \d\d:\d\d:\d\d \d\d/\d\d/\d{4}', body)
    assert found, body
    return found.group(1)


def button(body: str, text: str) -> str:
    """The address of the link-button saying ``text``."""
    found = re.search(rf'<a class="button[^"]*" href="([^"]*)"[^>]*>{text}</a>', body)
    assert found, (text, body)
    return found.group(1).replace("&amp;", "&")


@pytest.fixture
def citizen():
    client = Client(raise_request_exception=False)
    client.user = CitizenFactory()
    client.force_login(client.user)
    return client


# --- 503: the database unreachable ------------------------------------------------------------


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_503_page_for_a_page_asked_for_offers_to_try_the_same_address_again(signed_in):
    client = Client(raise_request_exception=False)
    if signed_in:
        client.force_login(CitizenFactory())
    with database_unreachable() as attempts:
        response = client.get("/thu-tuc/?q=khai+sinh&trang=2")
    body = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert attempts == ["default"]  # the query that failed; the page itself asked for none
    in_the_layout(body)
    assert '<html lang="vi">' in body
    assert "<h1" in body and "Hệ thống tạm thời gián đoạn</h1>" in body
    assert "không kết nối được cơ sở dữ liệu" in body and "Hãy thử lại sau khoảng nửa phút." in body
    assert button(body, "Thử lại") == "/thu-tuc/?q=khai+sinh&trang=2"
    assert button(body, "Về trang chủ") == "/"
    assert "Quay lại trang trước" not in body and SENT not in body
    assert 'class="account-nav"' not in body  # who is signed in is not asked
    reference(body)
    # The portal's headers as on any page, signed in or not: the page is never kept.
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"


def test_the_503_page_after_a_form_was_sent_says_it_was_not_submitted_and_what_was_typed_is_kept(citizen):
    dossier, _ = start_dossier(citizen)
    edit = reverse("dossiers:edit", args=[dossier.public_id])
    typed = {"applicant_name": dossier.applicant_name, "applicant_id_number": dossier.applicant_id_number}
    saved = citizen.post(edit, {**typed, "f_noi_dung": "Gõ trước khi mất kết nối", "op": "autosave"})
    assert saved.status_code == 204
    with database_unreachable():
        response = citizen.post(
            edit,
            {**typed, "f_noi_dung": "Gõ trước khi mất kết nối, thêm", "op": "submit"},
            HTTP_REFERER=f"http://testserver{edit}",
        )
    body = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    in_the_layout(body)
    assert SENT in body and "vẫn còn ở trang trước" in body and AUTOSAVED in body
    assert button(body, "Quay lại trang trước") == f"http://testserver{edit}"
    # The button's script is in the head, not deferred: handled from the moment it appears.
    head = body.split("</head>")[0]
    assert "data-history-back" in body and '<script src="/static/js/error-page.js"></script>' in head
    assert "Thử lại</a>" not in body
    reference(body)
    # What the page says holds: nothing submitted, the draft as saved while typing.
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT and not dossier.code
    assert dossier.form_data["noi_dung"] == "Gõ trước khi mất kết nối"
    assert "Gõ trước khi mất kết nối" in citizen.get(edit).content.decode()


def test_the_way_back_and_the_way_again_never_lead_off_the_portal(citizen):
    with database_unreachable():
        response = citizen.post("/phan-anh/gui/", {"noi_dung": "x"}, HTTP_REFERER="https://evil.example/form")
    assert response.status_code == 503
    assert button(response.content.decode(), "Quay lại trang trước") == "/phan-anh/gui/"
    request = RequestFactory().get("/", PATH_INFO="//evil.example/x")  # as a client may send it
    assert request.get_full_path() == "//evil.example/x"
    try:
        raise OperationalError("connection refused (test)")
    except OperationalError:
        response = views.server_error(request)
    assert button(response.content.decode(), "Thử lại") == "/evil.example/x"


def test_the_proxys_request_id_is_the_reference_and_the_help_desk_is_named_when_set(settings):
    with database_unreachable():
        plain = Client(raise_request_exception=False).get("/thu-tuc/", HTTP_X_REQUEST_ID="4f2a9c1e7b")
    assert reference(plain.content.decode()) == "4f2a9c1e7b"
    assert "Hỗ trợ:" not in plain.content.decode()
    settings.SUPPORT_CONTACT = "Tổng đài 1900 0000, hotro@thanhhoa.gov.vn"
    with database_unreachable():
        body = Client(raise_request_exception=False).get("/thu-tuc/").content.decode()
    assert "Hỗ trợ: Tổng đài 1900 0000, hotro@thanhhoa.gov.vn" in body


def test_the_503_page_in_english_for_who_chose_it(settings):
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with database_unreachable():
        body = client.get("/thu-tuc/").content.decode()
    assert '<html lang="en">' in body
    assert "Service temporarily unavailable" in body, "English catalog missing: run `manage.py compilemessages`"
    assert ">Try again</a>" in body and ">Back to the home page</a>" in body


# --- 500: an unexpected error -----------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_500_page_says_the_error_was_recorded_under_the_reference_it_shows(citizen, settings, caplog, method):
    settings.ROOT_URLCONF = "tests.portal.error_urls"
    with caplog.at_level(logging.ERROR):
        response = getattr(citizen, method)(BROKEN_PATH + "?lan=2", HTTP_REFERER="http://testserver/thu-tuc/")
    body = response.content.decode()
    assert response.status_code == 500 and "Retry-After" not in response
    in_the_layout(body)
    assert "Hệ thống đang gặp sự cố</h1>" in body and "Lỗi đã được ghi lại" in body
    if method == "get":
        assert button(body, "Thử lại") == BROKEN_PATH + "?lan=2" and SENT not in body
    else:
        assert button(body, "Quay lại trang trước") == "http://testserver/thu-tuc/" and SENT in body
    code = reference(body)
    logged = [r for r in caplog.records if r.name == "portal.views" and code in r.getMessage()]
    assert logged and BROKEN_PATH in logged[0].getMessage()
    assert any(r.exc_info and r.exc_info[0] is RuntimeError for r in caplog.records)  # the traceback, in the log


@pytest.mark.parametrize(("error", "status"), [(RuntimeError, 500), (OperationalError, 503)])
def test_the_error_pages_need_neither_the_database_nor_the_session(citizen, error, status):
    """Rendered for a signed-in person's request whose session and user are still unread
    (they would need the database): nothing is asked of it."""
    request = RequestFactory().get("/ho-so/", HTTP_COOKIE=f"sessionid={citizen.cookies['sessionid'].value}")
    request.COOKIES["sessionid"] = citizen.cookies["sessionid"].value
    SessionMiddleware(lambda r: None).process_request(request)
    AuthenticationMiddleware(lambda r: None).process_request(request)
    with database_unreachable() as attempts:
        try:
            raise error("test")
        except error:
            response = views.server_error(request)
    assert response.status_code == status
    in_the_layout(response.content.decode())
    assert attempts == []
    assert not request.session.accessed


# --- a form's token refused, 403 and 404 --------------------------------------------------------


def test_an_expired_form_gets_the_portals_page_saying_what_to_do():
    user = CitizenFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.user = user
    dossier, _ = start_dossier(client)
    edit = reverse("dossiers:edit", args=[dossier.public_id])
    response = client.post(
        edit, {"op": "submit", "csrfmiddlewaretoken": "forged"}, HTTP_REFERER=f"http://testserver{edit}"
    )
    body = response.content.decode()
    assert response.status_code == 403
    in_the_layout(body)
    assert "Biểu mẫu đã hết hạn</h1>" in body and "Chưa có gì được gửi đi." in body
    assert button(body, "Quay lại trang trước") == f"http://testserver{edit}"
    assert "CSRF" not in body and "<style" not in body  # not Django's English page with its inline style
    assert "script-src 'self'" in response["Content-Security-Policy"]
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT


def test_refused_and_not_found_pages_have_the_same_look(citizen):
    refused = citizen.get(reverse("desk:home"))
    body = refused.content.decode()
    assert refused.status_code == 403
    in_the_layout(body)
    assert "Không có quyền truy cập</h1>" in body
    assert "Trang này dành cho cán bộ được phân công vào cơ quan." in body  # the reason given
    assert 'class="account-nav"' in body  # the signed-in person's own header (the database is up)
    assert button(body, "Về trang chủ") == "/"
    missing = Client().get("/khong-co-trang-nay/")
    body = missing.content.decode()
    assert missing.status_code == 404
    in_the_layout(body)
    assert "Không tìm thấy trang</h1>" in body and button(body, "Về trang chủ") == "/"
