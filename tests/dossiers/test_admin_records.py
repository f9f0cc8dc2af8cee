"""The admin shows a dossier with every record the workflow wrote, read-only."""

import pytest
from django.urls import reverse

from tests.dossiers.staff import agency_staff, dossier_at
from tests.factories import AdminFactory

pytestmark = pytest.mark.django_db


def test_dossier_admin_shows_result_and_hand_over_read_only(client):
    d = dossier_at(agency_staff(), "returned")
    client.force_login(AdminFactory(is_superuser=True))
    response = client.get(reverse("admin:dossiers_dossier_change", args=[d.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "12/TP-HT" in body and "Nguyễn Văn An" in body
    assert 'name="result-0-number"' not in body  # shown as text, not as an input
