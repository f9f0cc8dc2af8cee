"""A request Django or DRF cannot read (a file name so long the multipart header passes
1 KB) is answered in Vietnamese: the portal's 400 page, the API's JSON (issue 19, item 7)."""

import pytest

from dossiers import services
from tests.api.helpers import session_client
from tests.dossiers import files
from tests.dossiers.staff import agency_staff, version_for
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db

LONG_NAME = "giay-khai-sinh-" + "a" * 1500 + ".pdf"
BOUNDARY = "ranh-gioi-0123456789"


def multipart(field: str, csrf: str = "") -> bytes:
    """A body as a browser sends it, with the file's long name (a test client would cut it)."""
    parts = [f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="op"\r\n\r\nsave\r\n']
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="{LONG_NAME}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    )
    return "".join(parts).encode() + files.pdf().read() + f"\r\n--{BOUNDARY}--\r\n".encode()


@pytest.fixture
def draft():
    staff = agency_staff()
    citizen = CitizenFactory()
    return services.dossier_start(user=citizen, version=version_for(staff.agency), agency=staff.agency)


def test_the_filing_page_says_it_in_vietnamese(client, draft):
    client.force_login(draft.owner)
    document = services.required_documents_for(draft)[0]
    response = client.post(
        f"/ho-so/{draft.public_id}/soan/",
        multipart(f"file_{document.pk}"),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in body and "đổi tên tệp cho ngắn hơn" in body and 'lang="vi"' in body
    assert "Bad Request" not in body


def test_the_api_says_it_in_vietnamese(draft):
    api = session_client(draft.owner)
    document = services.required_documents_for(draft)[0]
    response = api.generic(
        "POST",
        f"/api/v1/dossiers/{draft.public_id}/documents/{document.pk}/files/",
        multipart("files"),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Không đọc được dữ liệu gửi lên")


def test_broken_json_to_the_api_is_said_in_vietnamese(draft):
    api = session_client(draft.owner)
    response = api.post("/api/v1/dossiers/", "{not json", content_type="application/json")
    assert response.status_code == 400 and "Không đọc được dữ liệu gửi lên" in response.json()["detail"]
