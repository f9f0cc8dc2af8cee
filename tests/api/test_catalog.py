"""The public catalog over the API: search, filters, the full record, ETags; bad filters
answered by field."""

import pytest
from rest_framework.test import APIClient

from tests.factories import CitizenFactory, online_version

from .helpers import key_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    return online_version(name="Cấp bản sao trích lục hộ tịch", level=4)


def test_anyone_searches_the_catalog_and_reads_a_procedure(version):
    api = APIClient()
    listing = api.get("/api/v1/procedures/", {"q": "trich luc ho tich"})
    assert listing.status_code == 200
    body = listing.json()
    assert body["count"] == 1 and body["results"][0]["code"] == version.procedure.national_code
    assert body["results"][0]["level"] == 4 and body["fuzzy"] is False
    assert api.get("/api/v1/procedures/", {"level": 3}).json()["count"] == 0
    detail = api.get(f"/api/v1/procedures/{version.procedure.national_code}/").json()
    assert detail["name"] == "Cấp bản sao trích lục hộ tịch"
    assert [d["name"] for d in detail["documents"]] == ["Tờ khai theo mẫu", "Giấy tờ khác (nếu có)"]
    assert detail["form_fields"][0]["key"] == "noi_dung"
    assert detail["agencies"][0]["agency"]["id"]
    assert api.get("/api/v1/procedures/9.999999/").status_code == 404
    assert api.get("/api/v1/procedures/x%00y/").status_code == 400  # a NUL character: refused (portal.characters)
    assert api.get("/api/v1/fields/").status_code == 200
    assert any(a["id"] == detail["agencies"][0]["agency"]["id"] for a in api.get("/api/v1/agencies/").json())


def test_bad_filters_are_answered_by_field(version):
    api = APIClient()
    bad = api.get("/api/v1/procedures/", {"level": "9", "tier": "galaxy", "page": "0", "field": "khô ng"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"level", "tier", "page", "field"}
    assert "không phải là một lựa chọn hợp lệ" in bad.json()["level"][0]
    assert api.get("/api/v1/procedures/", {"page": 50}).json()["results"] == []


def test_etag_answers_304_until_the_catalog_changes(version):
    api = APIClient()
    first = api.get("/api/v1/procedures/")
    etag = first["ETag"]
    assert etag
    again = api.get("/api/v1/procedures/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    online_version(name="Đăng ký kết hôn")
    changed = api.get("/api/v1/procedures/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    code = version.procedure.national_code
    tag = api.get(f"/api/v1/procedures/{code}/")["ETag"]
    assert api.get(f"/api/v1/procedures/{code}/", HTTP_IF_NONE_MATCH=tag).status_code == 304


def test_a_key_needs_catalog_read(version):
    reader, _ = key_client(CitizenFactory(), ["catalog:read"])
    assert reader.get("/api/v1/procedures/").status_code == 200
    other, _ = key_client(CitizenFactory(), ["dossiers:read"])
    denied = other.get("/api/v1/procedures/")
    assert denied.status_code == 403 and "catalog:read" in denied.json()["detail"]


def test_a_record_is_kept_until_the_catalog_changes(version):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from procedures import services

    api = APIClient()
    url = f"/api/v1/procedures/{version.procedure.national_code}/"
    first = api.get(url).json()
    with CaptureQueriesContext(connection) as queries:
        again = api.get(url).json()
    assert again == first and len(queries) == 0  # served whole, no query
    draft = services.version_create_draft(procedure=version.procedure)
    draft.name = "Cấp bản sao trích lục hộ tịch (quy định mới)"
    draft.save()
    services.version_publish(version=draft, effective_from=version.effective_from)
    assert api.get(url).json()["name"] == "Cấp bản sao trích lục hộ tịch (quy định mới)"
    assert api.get("/api/v1/procedures/1.00000/").status_code == 404  # malformed: refused before any lookup
