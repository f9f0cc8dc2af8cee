"""Vietnamese by default, English through Django's i18n."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_vietnamese_is_the_default(client):
    response = client.get(reverse("procedures:home"))
    body = response.content.decode()
    assert '<html lang="vi">' in body
    assert "Tìm thủ tục hành chính" in body


def test_english_is_available_through_set_language(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Find an administrative procedure" in body, "English catalog missing: run `manage.py compilemessages`"


def test_an_english_browser_still_gets_vietnamese_until_it_chooses(client):
    response = client.get(reverse("procedures:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi">' in response.content.decode()


def test_language_links_switch_and_refuse_outside_targets(client):
    response = client.get(reverse("choose_language", args=["en"]), {"next": "/thu-tuc/"})
    assert response.status_code == 302 and response["Location"] == "/thu-tuc/"
    assert '<html lang="en">' in client.get("/").content.decode()
    response = client.get(reverse("choose_language", args=["vi"]), {"next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert '<html lang="vi">' in client.get("/").content.decode()
    assert client.get(reverse("choose_language", args=["xx"])).status_code == 404
