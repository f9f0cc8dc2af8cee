"""Catalog search: diacritics, đ, typos (PostgreSQL), filters."""

import pytest
from django.db import connection

from portal.text import fold, search_terms
from procedures.selectors import CatalogFilters, catalog_search
from tests.factories import AgencyFactory, FieldFactory, published_version

pytestmark = pytest.mark.django_db

TYPO_TOLERANCE = (
    "typo tolerance is pg_trgm's word_similarity: on SQLite the catalog finds words typed without "
    "diacritics (test_search_without_diacritics_and_with_d) but not misspelt ones"
)
VIETNAMESE_LETTERS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"


def names(filters: CatalogFilters) -> list[str]:
    qs, _fuzzy = catalog_search(filters)
    return [v.name for v in qs]


def test_fold_strips_all_vietnamese_marks_and_d_stroke():
    assert fold("Cấp, đổi Giấy phép LÁI XE") == "cap, doi giay phep lai xe"
    assert fold("ĐĂNG KÝ THƯỜNG TRÚ") == "dang ky thuong tru"
    # Decomposed (NFD) input folds the same as composed input.
    import unicodedata

    assert fold(unicodedata.normalize("NFD", "Chứng thực")) == "chung thuc"


def test_search_terms_drop_symbols_and_cut_long_input():
    assert search_terms("giấy phép'; DROP TABLE x;--") == ["giay", "phep", "drop", "table", "x"]
    assert search_terms("🚗🚗 lái xe") == ["lai", "xe"]
    assert len("".join(search_terms("a" * 10_000, max_length=200))) == 200


@pytest.mark.postgres(
    reason="compares fold() with the unaccent extension (f_unaccent), which SQLite lacks: there the search "
    "compares the text fold() stored (search_text) and needs no unaccent"
)
def test_fold_matches_postgres_unaccent():
    letters = VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper()
    with connection.cursor() as cursor:
        cursor.execute("SELECT lower(f_unaccent(%s))", [letters])
        (from_postgres,) = cursor.fetchone()
    assert fold(letters) == from_postgres


def test_search_without_diacritics_and_with_d():
    published_version(name="Cấp, đổi giấy phép lái xe")
    published_version(name="Đăng ký khai sinh")
    published_version(name="Cấp giấy phép xây dựng mới đối với công trình cấp III")
    assert names(CatalogFilters(q="giay phep lai xe")) == ["Cấp, đổi giấy phép lái xe"]
    assert names(CatalogFilters(q="dang ky khai sinh")) == ["Đăng ký khai sinh"]
    assert names(CatalogFilters(q="ĐĂNG KÝ")) == ["Đăng ký khai sinh"]
    assert sorted(names(CatalogFilters(q="giấy phép"))) == [
        "Cấp giấy phép xây dựng mới đối với công trình cấp III",
        "Cấp, đổi giấy phép lái xe",
    ]


def test_search_by_national_code():
    version = published_version(name="Đăng ký kết hôn")
    assert names(CatalogFilters(q=version.procedure.national_code)) == ["Đăng ký kết hôn"]


@pytest.mark.postgres(reason=TYPO_TOLERANCE)
def test_small_typos_are_tolerated_on_postgres():
    published_version(name="Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV")
    published_version(name="Đăng ký khai sinh")
    qs, fuzzy = catalog_search(CatalogFilters(q="giay fep xay dung"))
    assert fuzzy
    assert [v.name for v in qs][:1] == ["Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV"]
    qs, fuzzy = catalog_search(CatalogFilters(q="dang ki khai sinh"))
    assert [v.name for v in qs][:1] == ["Đăng ký khai sinh"]


def test_nonsense_finds_nothing():
    published_version(name="Đăng ký khai sinh")
    assert names(CatalogFilters(q="zzzqqq xxyyzz")) == []


def test_filters_level_tier_field_agency_audience():
    hotich = FieldFactory(name="Hộ tịch")
    commune = AgencyFactory(name="UBND xã Hoằng Hóa", tier="commune")
    published_version(
        name="Đăng ký khai sinh",
        service_level=4,
        at_province=False,
        at_commune=True,
        parts__fields=[hotich],
        parts__agency=commune,
    )
    published_version(name="Cấp giấy phép xây dựng", service_level=3, for_organisations=True)
    published_version(name="Thông báo khuyến mại", service_level=2, for_individuals=False, for_organisations=True)

    assert names(CatalogFilters(level=4)) == ["Đăng ký khai sinh"]
    assert names(CatalogFilters(tier="commune")) == ["Đăng ký khai sinh"]
    assert names(CatalogFilters(field=hotich.slug)) == ["Đăng ký khai sinh"]
    assert names(CatalogFilters(agency=commune.slug)) == ["Đăng ký khai sinh"]
    assert names(CatalogFilters(audience="individual")) == ["Cấp giấy phép xây dựng", "Đăng ký khai sinh"]
    assert names(CatalogFilters(audience="organisation", q="thong bao")) == ["Thông báo khuyến mại"]


@pytest.mark.postgres(reason=TYPO_TOLERANCE)
def test_typo_with_a_field_filter_on_postgres():
    field = FieldFactory(name="Xây dựng")
    published_version(name="Cấp giấy phép xây dựng mới", parts__fields=[field])
    published_version(name="Cấp giấy phép xây dựng có thời hạn")
    qs, fuzzy = catalog_search(CatalogFilters(q="giay fep xay dung", field=field.slug))
    assert fuzzy and [v.name for v in qs] == ["Cấp giấy phép xây dựng mới"]
