"""A NUL character (%00) in an address, a query or a form field answers 400 in Vietnamese,
never 500 (issue 19: eight routes answered 500 on PostgreSQL, which cannot hold it)."""

import pytest

from tests.dossiers.staff import agency_staff

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/tra-cuu/?ma=%00&so=1234",
    "/tra-cuu/?ma=ABC&so=12%0034",
    "/bien-lai/%00/",
    "/nop-ho-so/%00/",
    "/thu-tuc/?q=%00",
    "/thu-tuc/%00/",
]


@pytest.mark.parametrize("url", PUBLIC)
def test_public_addresses_with_nul_are_refused_in_vietnamese(client, url):
    response = client.get(url)
    assert response.status_code == 400
    body = response.content.decode()
    assert "ký tự không hợp lệ" in body and 'lang="vi"' in body


@pytest.mark.parametrize("url", ["/can-bo/?q=%00", "/can-bo/?hang=tat-ca&q=a%00b", "/can-bo/ho-so/%00/"])
def test_officers_pages_with_nul_are_refused(client, url):
    staff = agency_staff()
    client.force_login(staff.desk)
    assert client.get(url).status_code == 400


def test_a_form_field_with_nul_is_refused_and_nothing_is_done(client):
    response = client.post("/dang-nhap/", {"username": "0381\x0090001234", "password": "x"})
    assert response.status_code == 400 and "Chưa có gì được gửi đi." in response.content.decode()


def test_the_api_answers_json(client):
    response = client.get("/api/v1/procedures/?q=%00")
    assert response.status_code == 400
    assert "ký tự rỗng" in response.json()["detail"]


def test_ordinary_requests_pass(client):
    assert client.get("/tra-cuu/?ma=ABC&so=1234").status_code == 200
    assert client.get("/thu-tuc/?q=giay%20phep").status_code == 200
