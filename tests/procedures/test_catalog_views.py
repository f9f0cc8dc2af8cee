"""Public catalog pages under odd and hostile input (Django test client, fast).

Every request here must answer with a sensible page or a 404, never a 500, never
reflect markup unescaped, and never change the catalog.
"""

import datetime
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from procedures import services
from procedures.models import Agency, Fee, Procedure, ProcedureVersion, RequiredDocument
from tests.factories import AgencyFactory, DraftVersionFactory, published_version

pytestmark = pytest.mark.django_db

CATALOG = "/thu-tuc/"
LICENCE = "Cấp, đổi giấy phép lái xe"
BIRTH = "Đăng ký khai sinh"


def snapshot():
    """Everything a hostile request could try to change."""
    return (
        Procedure.objects.count(),
        list(ProcedureVersion.objects.order_by("pk").values_list("pk", "name", "status", "is_current")),
        Fee.objects.count(),
        Agency.objects.count(),
    )


@pytest.fixture
def catalog():
    licence = published_version(name=LICENCE, service_level=4)
    birth = published_version(name=BIRTH, service_level=2)
    return {"licence": licence, "birth": birth}


def get_ok(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, (url, params, response.status_code)
    return response, response.content.decode()


def result_names(response):
    return [v.name for v in response.context["page"].object_list]


# --- search strings ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("a" * 10_000, set(), id="very-long-no-match"),
        pytest.param("giấy phép lái xe " * 600, {LICENCE}, id="very-long-cut-still-finds"),
        pytest.param("' OR 1=1; DROP TABLE procedures_procedure; --", None, id="sql-like"),
        pytest.param("🚗 giấy phép", {LICENCE}, id="emoji"),
        pytest.param("!!! ??? ... ,,, ;;; --- ''' \"\"\" ()", {LICENCE, BIRTH}, id="only-punctuation"),
        pytest.param("giấy\x01\x1f phép\x7f\t\r\n", {LICENCE}, id="control-characters"),
        pytest.param(unicodedata.normalize("NFD", "Đăng ký"), {BIRTH}, id="nfd-decomposed"),
        pytest.param("GIAY PHEP LAI XE", {LICENCE}, id="upper-case-no-diacritics"),
        pytest.param("   ", {LICENCE, BIRTH}, id="blank"),
    ],
)
def test_odd_search_strings_give_a_sensible_page(client, catalog, query, expected):
    before = snapshot()
    response, body = get_ok(client, CATALOG, {"q": query})
    assert "Tìm thấy" in body
    if expected is not None:
        assert set(result_names(response)) == expected
    assert snapshot() == before


@pytest.mark.parametrize("params", [{"q": "giấy\x00phép"}, {"tier": "\x00"}, {"page": "\x00"}, {"field": "\x00"}])
def test_nul_byte_in_query_is_refused_in_vietnamese_not_an_error(client, catalog, params):
    """Refused before the page (portal.characters), as on every route: 400, never 500."""
    before = snapshot()
    response = client.get(CATALOG, params)
    assert response.status_code == 400 and "ký tự không hợp lệ" in response.content.decode()
    assert snapshot() == before


def test_invalid_utf8_in_query_string(client, catalog):
    response = client.get(CATALOG + "?q=%FF%FE%ED%A0%80gi%E1y&level=%C0")
    assert response.status_code == 200


def test_sql_like_query_is_escaped_and_harmless(client, catalog):
    response, body = get_ok(client, CATALOG, {"q": "' OR 1=1; DROP TABLE procedures_procedure; --"})
    assert "&#x27; OR 1=1; DROP TABLE" in body
    assert Procedure.objects.count() == 2


def test_long_query_is_cut_in_the_page_too(client, catalog):
    response, body = get_ok(client, CATALOG, {"q": "x" * 10_000})
    assert response.context["filters"].q == "x" * 200
    assert 'value="' + "x" * 200 + '"' in body  # the search box holds the cut query


def test_query_markup_is_not_reflected(client, catalog):
    response, body = get_ok(client, CATALOG, {"q": '"><script>alert(1)</script>'})
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# --- filters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"level": "9"},
        {"level": "0"},
        {"level": "-1"},
        {"level": "abc"},
        {"level": "4.0"},
        {"tier": "xyz"},
        {"audience": "robots"},
        {"page": "-1"},
        {"page": "0"},
        {"page": "abc"},
        {"page": "99999999999999999999999"},
        {"field": "<script>alert(1)</script>"},
        {"agency": "<script>alert(1)</script>"},
        {"agency": "' OR 1=1 --"},
    ],
    ids=lambda p: "-".join(f"{k}={v!r}" for k, v in p.items()),
)
def test_invalid_filters_are_ignored(client, catalog, params):
    before = snapshot()
    response, body = get_ok(client, CATALOG, params)
    assert set(result_names(response)) == {LICENCE, BIRTH}
    assert "<script>alert(1)</script>" not in body
    assert snapshot() == before


def test_markup_in_filters_is_escaped_in_pagination_links(client, settings):
    settings.CATALOG_PAGE_SIZE = 1
    published_version(name="Thủ tục A")
    published_version(name="Thủ tục B")
    _, body = get_ok(client, CATALOG, {"field": '"><script>alert(1)</script>', "page": "1"})
    assert "<script>alert(1)</script>" not in body
    assert 'rel="next"' in body


def test_valid_level_filter(client, catalog):
    response, body = get_ok(client, CATALOG, {"level": "4"})
    assert result_names(response) == [LICENCE]
    assert "Tìm thấy 1 thủ tục" in body
    assert '<option value="4" selected>' in body


def test_unknown_field_and_agency_slug_give_empty_results(client, catalog):
    for params in ({"field": "khong-co"}, {"agency": "khong-co"}):
        response, body = get_ok(client, CATALOG, params)
        assert result_names(response) == []
        assert "Tìm thấy 0 thủ tục" in body


# --- procedure page ---------------------------------------------------------------


def test_procedure_page(client, catalog):
    code = catalog["licence"].procedure.national_code
    _, body = get_ok(client, f"/thu-tuc/{code}/")
    assert LICENCE in body
    assert "Nộp hồ sơ trực tuyến" in body
    assert "phiên bản cũ" not in body


@pytest.mark.parametrize(
    "code",
    [
        "9.999999",
        "1.23",
        "abc",
        "1.0011930",
        "%00",
        "1.001193%00",
        "%27%20OR%201=1--",
        "%3Cscript%3E",
        "1" * 3000,
        "%F0%9F%9A%97",
        "%FF%FE",
    ],
)
def test_procedure_page_404_for_unknown_or_malformed_codes(client, catalog, code):
    for url in (f"/thu-tuc/{code}/", f"/thu-tuc/{code}/phien-ban/1/"):
        response = client.get(url)
        # A NUL character is refused before any view (portal.characters): 400, not 404.
        assert response.status_code == (400 if "%00" in code else 404), url
        assert "<script>" not in response.content.decode()


@pytest.mark.parametrize("number", ["0", "3", "99999999999999999999999"])
def test_unknown_version_number_404(client, catalog, number):
    code = catalog["licence"].procedure.national_code
    assert client.get(f"/thu-tuc/{code}/phien-ban/{number}/").status_code == 404


def test_old_published_version_is_reachable_and_marked_old(client):
    today = timezone.localdate()
    old = published_version(name="Chứng thực bản sao (cũ)", effective_from=today - datetime.timedelta(days=60))
    draft = services.version_create_draft(procedure=old.procedure)
    draft.name = "Chứng thực bản sao từ bản chính"
    draft.save()
    current = services.version_publish(version=draft, effective_from=today)
    code = old.procedure.national_code

    _, body = get_ok(client, f"/thu-tuc/{code}/phien-ban/{old.number}/")
    assert "Chứng thực bản sao (cũ)" in body
    assert "phiên bản cũ" in body
    assert f'href="/thu-tuc/{code}/"' in body

    _, body = get_ok(client, f"/thu-tuc/{code}/")
    assert "Chứng thực bản sao từ bản chính" in body
    assert "phiên bản cũ" not in body
    assert f"/thu-tuc/{code}/phien-ban/{old.number}/" in body  # history links the old one

    _, body = get_ok(client, f"/thu-tuc/{code}/phien-ban/{current.number}/")
    assert "phiên bản cũ" not in body


def test_future_version_is_not_called_old(client):
    today = timezone.localdate()
    v1 = published_version(name="Cấp giấy phép xây dựng", effective_from=today)
    draft = services.version_create_draft(procedure=v1.procedure)
    draft.name = "Cấp giấy phép xây dựng (sửa đổi)"
    draft.save()
    future = services.version_publish(version=draft, effective_from=today + datetime.timedelta(days=30))
    code = v1.procedure.national_code

    _, body = get_ok(client, f"/thu-tuc/{code}/")
    assert "Cấp giấy phép xây dựng" in body and "(sửa đổi)" not in body.split("Lịch sử phiên bản")[0]

    _, body = get_ok(client, f"/thu-tuc/{code}/phien-ban/{future.number}/")
    assert "(sửa đổi)" in body
    assert "phiên bản cũ" not in body
    assert "chưa áp dụng" in body


def test_draft_is_never_shown_publicly(client):
    published = published_version(name="Đăng ký thường trú")
    draft = services.version_create_draft(procedure=published.procedure)
    draft.name = "Đăng ký thường trú BẢN NHÁP BÍ MẬT"
    draft.save()
    only_draft = DraftVersionFactory(name="Thủ tục chưa công bố BÍ MẬT")

    code = published.procedure.national_code
    _, body = get_ok(client, f"/thu-tuc/{code}/")
    assert "BÍ MẬT" not in body
    assert client.get(f"/thu-tuc/{code}/phien-ban/{draft.number}/").status_code == 404
    assert client.get(f"/thu-tuc/{only_draft.procedure.national_code}/").status_code == 404
    assert client.get(f"/thu-tuc/{only_draft.procedure.national_code}/phien-ban/1/").status_code == 404

    for params in ({}, {"q": "bi mat"}, {"q": "chưa công bố"}):
        response, body = get_ok(client, CATALOG, params)
        assert "BÍ MẬT" not in body
    _, body = get_ok(client, "/")
    assert "BÍ MẬT" not in body


# --- agencies ---------------------------------------------------------------------


def test_agency_pages_list_their_procedures(client):
    agency = AgencyFactory(name="Sở Giao thông vận tải", slug="so-giao-thong-van-tai")
    other = AgencyFactory(name="Sở Tư pháp", slug="so-tu-phap")
    published_version(name=LICENCE, service_level=4, parts__agency=agency)
    published_version(name=BIRTH, parts__agency=other)
    DraftVersionFactory(name="Bản nháp của Sở GTVT", parts__agency=agency)

    _, body = get_ok(client, "/co-quan/")
    assert "Sở Giao thông vận tải" in body and "Sở Tư pháp" in body

    response, body = get_ok(client, "/co-quan/so-giao-thong-van-tai/")
    assert result_names(response) == [LICENCE]
    assert BIRTH not in body and "Bản nháp" not in body
    assert "(1)" in body

    assert client.get("/co-quan/khong-co-co-quan-nay/").status_code == 404
    assert client.get("/co-quan/so-giao-thong-van-tai/?page=abc").status_code == 200
    assert client.get("/co-quan/so-giao-thong-van-tai/?page=-5").status_code == 200


def test_agency_filter_on_catalog(client):
    agency = AgencyFactory(slug="so-gtvt")
    published_version(name=LICENCE, parts__agency=agency)
    published_version(name=BIRTH)
    response, body = get_ok(client, CATALOG, {"agency": "so-gtvt"})
    assert result_names(response) == [LICENCE]


# --- form download ----------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _draft_with_form(name):
    draft = DraftVersionFactory(name=name)
    doc = RequiredDocument.objects.create(
        version=draft,
        name="Tờ khai đề nghị",
        form_name="Mẫu 01",
        form_file=SimpleUploadedFile("to-khai-mau-01.docx", b"PK\x03\x04 mau don"),
    )
    return draft, doc


def test_form_download_for_published_version(client, media):
    draft, doc = _draft_with_form("Cấp giấy phép kinh doanh")
    services.version_publish(version=draft, effective_from=timezone.localdate())
    _, page = get_ok(client, draft.procedure.get_absolute_url())
    assert f'href="/bieu-mau/{doc.pk}/"' in page

    response = client.get(f"/bieu-mau/{doc.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK\x03\x04 mau don"
    assert "attachment" in response["Content-Disposition"]
    assert "to-khai-mau-01.docx" in response["Content-Disposition"]


def test_form_download_404_for_draft(client, media):
    _, doc = _draft_with_form("Thủ tục nháp có mẫu đơn")
    assert client.get(f"/bieu-mau/{doc.pk}/").status_code == 404


def test_form_download_404_without_file(client, media):
    version = published_version(name="Thủ tục không có mẫu")
    doc = version.documents.get()
    assert not doc.form_file
    assert client.get(f"/bieu-mau/{doc.pk}/").status_code == 404
    assert client.get("/bieu-mau/999999/").status_code == 404
    assert client.get("/bieu-mau/99999999999999999999999/").status_code == 404


def test_form_download_404_when_file_is_gone(client, media):
    draft, doc = _draft_with_form("Thủ tục mất tệp mẫu")
    services.version_publish(version=draft, effective_from=timezone.localdate())
    (media / doc.form_file.name).unlink()
    assert client.get(f"/bieu-mau/{doc.pk}/").status_code == 404
