"""Uploads and submissions are rate-limited per account; what was typed is still saved."""

import pytest

from dossiers import services
from dossiers.models import Dossier
from tests.dossiers import files
from tests.dossiers.staff import agency_staff, version_for
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db


def test_too_many_uploads_or_submissions_wait_but_nothing_typed_is_lost(client, fixed_rate_window, monkeypatch):
    from dossiers import limits

    monkeypatch.setattr(limits, "FILING_RATE", "3/h")
    staff = agency_staff()
    version = version_for(staff.agency)
    citizen = CitizenFactory()
    draft = services.dossier_start(user=citizen, version=version, agency=staff.agency)
    document = services.required_documents_for(draft)[0]
    client.force_login(citizen)
    url = f"/ho-so/{draft.public_id}/soan/"
    for n in range(3):
        response = client.post(url, {"op": "submit", "f_noi_dung": f"lần {n}"})
        assert response.status_code == 400  # not complete yet: errors at the fields
    response = client.post(
        url, {"op": f"upload:{document.pk}", "f_noi_dung": "Cấp bản sao", f"file_{document.pk}": files.pdf()}
    )
    page = response.content.decode()
    assert response.status_code == 429
    assert "quá nhiều lần trong một giờ" in page and "đã được lưu" in page
    draft.refresh_from_db()
    assert draft.form_data["noi_dung"] == "Cấp bản sao"  # typed, saved
    assert not Dossier.objects.get(pk=draft.pk).documents.exists()  # the file waits
    # Autosave is not counted and keeps working; another citizen is not affected.
    assert client.post(url, {"op": "autosave", "f_noi_dung": "Cấp hai bản sao"}).status_code == 204
    other = CitizenFactory()
    client.force_login(other)
    theirs = services.dossier_start(user=other, version=version, agency=staff.agency)
    assert client.post(f"/ho-so/{theirs.public_id}/soan/", {"op": "submit"}).status_code == 400


def test_the_api_shares_the_filing_pages_limit(client, fixed_rate_window, monkeypatch):
    """Issue 19: the limit was the page's only; 60 more uploads went through the API."""
    from dossiers import limits
    from tests.api.helpers import session_client

    monkeypatch.setattr(limits, "FILING_RATE", "3/h")
    staff = agency_staff()
    version = version_for(staff.agency)
    citizen = CitizenFactory()
    draft = services.dossier_start(user=citizen, version=version, agency=staff.agency)
    document = services.required_documents_for(draft)[0]
    client.force_login(citizen)
    for n in range(2):  # two of the three on the page
        assert client.post(f"/ho-so/{draft.public_id}/soan/", {"op": "submit", "f_noi_dung": f"{n}"}).status_code == 400
    api = session_client(citizen)
    url = f"/api/v1/dossiers/{draft.public_id}/documents/{document.pk}/files/"
    assert api.post(url, {"files": [files.pdf()]}, format="multipart").status_code == 201  # the third
    refused = api.post(url, {"files": [files.pdf()]}, format="multipart")
    assert refused.status_code == 429 and refused["Retry-After"]
    assert "quá nhiều lần trong một giờ" in refused.json()["detail"]
    assert api.post(f"/api/v1/dossiers/{draft.public_id}/submit/").status_code == 429
    assert Dossier.objects.get(pk=draft.pk).documents.count() == 1
