"""Whole public pages (catalog search, home) kept for visitors with no session: served
without a query, never stale after a publish or an admin's edit, never to a logged-in user."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procedures import services
from procedures.models import Agency
from tests.factories import CitizenFactory, published_version

pytestmark = pytest.mark.django_db


def test_a_repeated_search_is_served_without_a_query(client):
    published_version(name="Đăng ký khai sinh")
    url = reverse("procedures:catalog") + "?q=khai+sinh"
    first = client.get(url).content.decode()
    assert "Đăng ký khai sinh" in first
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url).content.decode()
    assert second == first
    assert len(queries) == 0
    other = client.get(reverse("procedures:catalog") + "?q=ket+hon").content.decode()
    assert "Đăng ký khai sinh" not in other  # the key is the whole query string


def test_publishing_shows_the_new_procedure_in_a_search_at_once(client):
    published_version(name="Đăng ký khai sinh")
    url = reverse("procedures:catalog") + "?q=dang+ky"
    assert "Đăng ký kết hôn" not in client.get(url).content.decode()
    version = published_version(name="Đăng ký kết hôn")
    assert "Đăng ký kết hôn" in client.get(url).content.decode()
    draft = services.version_create_draft(procedure=version.procedure)
    draft.name = "Đăng ký kết hôn có yếu tố nước ngoài"
    draft.save()
    services.version_publish(version=draft, effective_from=version.effective_from)
    assert "Đăng ký kết hôn có yếu tố nước ngoài" in client.get(url).content.decode()


def test_an_agency_renamed_in_the_admin_is_renewed_on_the_home_page_and_search(client):
    version = published_version(name="Cấp phiếu lý lịch tư pháp")
    agency = version.agency_roles.first().agency
    url = reverse("procedures:catalog") + f"?agency={agency.slug}"
    assert agency.name in client.get(url).content.decode()
    client.get(reverse("procedures:home"))
    Agency.objects.filter(pk=agency.pk).update(name="Sở Tư pháp (tên mới)")  # no signal: stale until…
    renamed = Agency.objects.get(pk=agency.pk)
    renamed.save()  # …the admin's save, which renews the generation
    assert "Sở Tư pháp (tên mới)" in client.get(url).content.decode()


def test_the_daily_switch_of_versions_renews_the_pages(client):
    import datetime

    from django.utils import timezone

    version = published_version(name="Cấp giấy phép xây dựng")
    url = reverse("procedures:catalog") + "?q=xay+dung"
    assert "Cấp giấy phép xây dựng" in client.get(url).content.decode()
    draft = services.version_create_draft(procedure=version.procedure)
    draft.name = "Cấp giấy phép xây dựng nhà ở riêng lẻ"
    draft.save()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    services.version_publish(version=draft, effective_from=tomorrow)
    assert "nhà ở riêng lẻ" not in client.get(url).content.decode()  # not in force yet
    assert services.catalog_refresh_current(today=tomorrow) == 1
    assert "nhà ở riêng lẻ" in client.get(url).content.decode()


def test_a_logged_in_visitor_never_gets_the_shared_copy_nor_leaves_one(client):
    published_version(name="Đăng ký khai sinh")
    url = reverse("procedures:catalog") + "?q=khai+sinh"
    client.force_login(CitizenFactory(full_name="Trần Thị Lan"))
    personal = client.get(url).content.decode()
    assert "Trần Thị Lan" in personal
    client.logout()
    client.cookies.clear()
    anonymous = client.get(url).content.decode()
    assert "Trần Thị Lan" not in anonymous and "Đăng xuất" not in anonymous


def test_each_language_has_its_own_copy(client):
    published_version(name="Đăng ký khai sinh")
    assert '<html lang="vi">' in client.get("/thu-tuc/").content.decode()
    client.get(reverse("choose_language", args=["en"]), {"next": "/thu-tuc/"})
    assert '<html lang="en">' in client.get("/thu-tuc/").content.decode()


def test_bad_filters_get_their_message_and_odd_query_strings_stay_bounded(client, settings):
    published_version(name="Đăng ký khai sinh")
    body = client.get(reverse("procedures:catalog") + "?level=9&q=khai+sinh").content.decode()
    assert "Đăng ký khai sinh" in body  # an unknown level is dropped, the words still search
    pages = caches["public_pages"]
    assert settings.CACHES["public_pages"]["OPTIONS"]["MAX_ENTRIES"] == 400
    # The cache is the process's own memory, with a bound: a flood of distinct query strings
    # cannot grow it past MAX_ENTRIES (locmem culls), nor touch Redis.
    for n in range(40):
        client.get(reverse("procedures:catalog") + f"?q=khai+sinh&x={n}")
    assert len(pages._cache) <= settings.CACHES["public_pages"]["OPTIONS"]["MAX_ENTRIES"]
    assert settings.CACHES["public_pages"]["BACKEND"].endswith("LocMemCache")


def test_editing_a_draft_leaves_the_kept_pages_alone(client):
    from django.core.cache import cache

    from procedures.selectors import CATALOG_GENERATION_KEY

    version = published_version(name="Đăng ký khai sinh")
    client.get(reverse("procedures:catalog") + "?q=khai+sinh")
    generation = cache.get(CATALOG_GENERATION_KEY)
    draft = services.version_create_draft(procedure=version.procedure)
    draft.name = "Đăng ký khai sinh (đang soạn)"
    draft.save()
    assert cache.get(CATALOG_GENERATION_KEY) == generation
    body = client.get(reverse("procedures:catalog") + "?q=khai+sinh").content.decode()
    assert "đang soạn" not in body
    services.version_publish(version=draft, effective_from=version.effective_from)
    assert cache.get(CATALOG_GENERATION_KEY) != generation
    assert (
        "Đăng ký khai sinh (đang soạn)" in client.get(reverse("procedures:catalog") + "?q=khai+sinh").content.decode()
    )
