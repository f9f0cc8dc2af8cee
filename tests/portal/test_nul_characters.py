"""A NUL character (%00) in an address or a query answers 400 in Vietnamese, never 500
(issue 19: eight routes answered 500 on PostgreSQL, which cannot hold it); in a form field
it is refused at the field, with what was typed kept."""

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


def test_a_form_field_with_nul_is_refused_at_the_field(client):
    response = client.post("/dang-nhap/", {"username": "0381\x0090001234", "password": "x"})
    body = response.content.decode()
    assert response.status_code == 200 and "ký tự rỗng (NUL) không hợp lệ" in body  # Vietnamese, at the field
    assert 'name="username" value="0381' in body and '90001234"' in body  # what was typed is kept


def test_an_officers_action_field_with_nul_is_refused_at_the_field(client):
    from django.urls import reverse

    from dossiers.constants import Status
    from tests.dossiers.staff import dossier_at

    staff = agency_staff()
    dossier = dossier_at(staff, "submitted")
    client.force_login(staff.desk)
    response = client.post(reverse("desk:act", args=[dossier.code, "refuse"]), {"note": "Thiếu\x00 giấy tờ"})
    assert response.status_code == 400
    assert "ký tự rỗng (NUL) không hợp lệ" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED


def test_the_api_answers_json(client):
    response = client.get("/api/v1/procedures/?q=%00")
    assert response.status_code == 400
    assert "ký tự rỗng" in response.json()["detail"]


def test_ordinary_requests_pass(client):
    assert client.get("/tra-cuu/?ma=ABC&so=1234").status_code == 200
    assert client.get("/thu-tuc/?q=giay%20phep").status_code == 200
