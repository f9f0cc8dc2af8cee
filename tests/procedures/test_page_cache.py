"""The procedure page body is kept in the cache; a new version must never be hidden by it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procedures import services
from tests.factories import published_version

pytestmark = pytest.mark.django_db


def test_second_view_is_served_from_the_cache_with_one_query(client):
    version = published_version(name="Đăng ký khai sinh")
    url = reverse("procedures:procedure_detail", args=[version.procedure.national_code])
    first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url).content.decode()
    without_token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert without_token.sub("", first) == without_token.sub("", second)
    assert len(queries) == 1


def test_publishing_a_new_version_shows_it_at_once(client):
    version = published_version(name="Đăng ký khai sinh")
    url = reverse("procedures:procedure_detail", args=[version.procedure.national_code])
    assert "Đăng ký khai sinh" in client.get(url).content.decode()
    draft = services.version_create_draft(procedure=version.procedure)
    draft.name = "Đăng ký khai sinh (quy định mới)"
    draft.save()
    services.version_publish(version=draft, effective_from=version.effective_from)
    body = client.get(url).content.decode()
    assert "Đăng ký khai sinh (quy định mới)" in body
    old = client.get(
        reverse("procedures:procedure_version", args=[version.procedure.national_code, 1])
    ).content.decode()
    assert "Đây là phiên bản cũ" in old


def test_a_logged_in_visitor_never_gets_the_anonymous_copy(client):
    from tests.factories import CitizenFactory

    version = published_version(name="Đăng ký khai sinh")
    url = reverse("procedures:procedure_detail", args=[version.procedure.national_code])
    anonymous = client.get(url).content.decode()
    assert "Đăng xuất" not in anonymous
    client.force_login(CitizenFactory(full_name="Trần Thị Lan"))
    personal = client.get(url).content.decode()
    assert "Trần Thị Lan" in personal and "Đăng xuất" in personal
