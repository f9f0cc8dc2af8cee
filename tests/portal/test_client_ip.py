"""The client's address behind reverse proxies: the lockout and the rate limits key on the
citizen, and nobody chooses their own address with a forged X-Forwarded-For."""

import pytest
from django.test import RequestFactory

from portal.client_ip import client_ip
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Matkhau@2026"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "", "10.0.0.9"),
        (0, "1.2.3.4", "10.0.0.9"),  # no proxy: the header is the client's own words
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # a forged entry on the left is ignored
        (2, "6.6.6.6, 203.0.113.7, 10.1.0.2", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.9"),  # did not come through both proxies
        (1, " , ", "10.0.0.9"),
    ],
)
def test_the_client_is_the_address_our_outermost_proxy_saw(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def wrong_logins(client, username: str, forwarded: str, times: int) -> list[int]:
    return [
        client.post(
            "/dang-nhap/",
            {"username": username, "password": "sai-mat-khau"},
            REMOTE_ADDR="10.0.0.9",
            HTTP_X_FORWARDED_FOR=forwarded,
        ).status_code
        for _ in range(times)
    ]


def test_behind_a_proxy_the_lockout_keys_on_each_citizen(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    citizen = CitizenFactory()
    # One citizen (behind the proxy) types a wrong password five times: locked out...
    assert wrong_logins(client, citizen.username, "203.0.113.7", 6)[-1] == 429
    # ...another person behind the same proxy is not.
    ok = client.post(
        "/dang-nhap/",
        {"username": citizen.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )
    assert ok.status_code == 302


def test_without_a_proxy_a_forged_header_does_not_escape_the_lockout(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    citizen = CitizenFactory()
    statuses = [
        client.post(
            "/dang-nhap/",
            {"username": citizen.username, "password": "sai-mat-khau"},
            REMOTE_ADDR="10.0.0.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(6)
    ]
    assert statuses[-1] == 429
    again = client.post(
        "/dang-nhap/",
        {"username": citizen.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    assert again.status_code == 429  # still locked: the address is REMOTE_ADDR
