"""Registration and password reset are rate-limited per address, with a Vietnamese message."""

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_too_many_registrations_from_one_address_are_refused_and_input_kept(client, fixed_rate_window):
    data = {"national_id": "123", "full_name": "Nguyễn Văn Thử"}
    statuses = [client.post("/dang-ky/", data, REMOTE_ADDR="10.20.0.1").status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30  # invalid input: the form comes back with its errors
    last = client.post("/dang-ky/", data, REMOTE_ADDR="10.20.0.1")
    body = last.content.decode()
    assert last.status_code == 429
    assert "quá nhiều yêu cầu" in body
    assert "Nguyễn Văn Thử" in body
    # Another address is not affected.
    assert client.post("/dang-ky/", data, REMOTE_ADDR="10.20.0.2").status_code == 200


def test_password_reset_requests_are_limited(client, fixed_rate_window):
    for _ in range(10):
        assert client.post("/quen-mat-khau/", {"email": "ai@example.vn"}, REMOTE_ADDR="10.21.0.1").status_code == 302
    response = client.post("/quen-mat-khau/", {"email": "ai@example.vn"}, REMOTE_ADDR="10.21.0.1")
    assert response.status_code == 429
    assert "quá nhiều yêu cầu" in response.content.decode()
    assert len(mail.outbox) == 0


def test_too_many_logins_from_one_address_are_refused_before_any_password_check(client, fixed_rate_window, settings):
    from axes.models import AccessAttempt

    settings.LOGIN_RATE = "5/h"
    for n in range(5):
        response = client.post(
            "/dang-nhap/", {"username": f"03808700{n:04d}", "password": "sai"}, REMOTE_ADDR="10.30.0.1"
        )
        assert response.status_code == 200
    attempts = AccessAttempt.objects.count()
    limited = client.post("/dang-nhap/", {"username": "038087001234", "password": "sai"}, REMOTE_ADDR="10.30.0.1")
    body = limited.content.decode()
    assert limited.status_code == 429 and "quá nhiều yêu cầu" in body
    assert 'value="038087001234"' in body  # what was typed stays
    assert AccessAttempt.objects.count() == attempts  # no password was tried
    assert client.post("/dang-nhap/", {"username": "x", "password": "y"}, REMOTE_ADDR="10.30.0.2").status_code == 200
