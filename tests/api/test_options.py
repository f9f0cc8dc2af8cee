"""OPTIONS on the API's action endpoints answers 200 with the endpoint's name and media
types, not 500 (issue 19: DRF's metadata asked views without a serializer for one)."""

import pytest

from tests.api.helpers import session_client
from tests.dossiers.staff import agency_staff, submitted_dossier

pytestmark = pytest.mark.django_db


def test_options_on_every_action_endpoint():
    staff = agency_staff()
    dossier = submitted_dossier(staff.agency)
    document = dossier.documents.first()
    owner = session_client(dossier.owner)
    base = f"/api/v1/dossiers/{dossier.public_id}"
    for url in (
        f"{base}/submit/",
        f"{base}/supplement/",
        f"{base}/withdraw/",
        f"{base}/payments/",
        f"{base}/documents/{document.required_document_id}/files/",
        "/api/v1/dossiers/",
    ):
        response = owner.options(url)
        assert response.status_code == 200, url
        body = response.json()
        assert body["name"] and "application/json" in body["renders"]
        assert "actions" not in body
    officer = session_client(staff.desk)
    response = officer.options(f"/api/v1/desk/dossiers/{dossier.code}/actions/receive/")
    assert response.status_code == 200 and response.json()["name"]
