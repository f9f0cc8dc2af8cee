import pytest
from django.urls import reverse

from tests.factories import published_version

pytestmark = pytest.mark.django_db


def test_catalog_finds_without_diacritics(client):
    published_version(name="Cấp, đổi giấy phép lái xe")
    published_version(name="Đăng ký khai sinh")
    response = client.get(reverse("procedures:catalog"), {"q": "giay phep lai xe"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Cấp, đổi giấy phép lái xe" in body
    assert "Đăng ký khai sinh" not in body
