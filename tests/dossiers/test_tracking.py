"""Public tracking cannot be guessed in practice (issue 19, item 2): every dossier code
allows 10 wrong answers an hour from anyone, whatever the address or account; the owner's
link (QR code, confirmation page, notifications) opens without digits."""

import pytest
from django.core.cache import cache

from dossiers import tracking
from tests.dossiers.staff import agency_staff, submitted_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier():
    cache.clear()
    return submitted_dossier(agency_staff().agency)


def _wrong(dossier) -> str:
    right = {dossier.applicant_id_number[-4:], "".join(c for c in dossier.applicant_phone if c.isdigit())[-4:]}
    return next(f"{n:04d}" for n in range(10_000) if f"{n:04d}" not in right)


def test_ten_wrong_answers_lock_the_code_for_everyone(client, dossier):
    wrong, right = _wrong(dossier), dossier.applicant_id_number[-4:]
    for n in range(tracking.GUESSES_PER_CODE):
        # a different address each time: the per-address limit does not save the code
        response = client.get("/tra-cuu/", {"ma": dossier.code, "so": wrong}, REMOTE_ADDR=f"10.0.0.{n + 1}")
        assert response.status_code == 200 and "Không tìm thấy hồ sơ" in response.content.decode()
    locked = client.get("/tra-cuu/", {"ma": dossier.code, "so": right}, REMOTE_ADDR="10.0.1.1")
    assert locked.status_code == 429 and "tạm khóa tra cứu trong một giờ" in locked.content.decode()
    # the owner's link still opens it
    opened = client.get(tracking.tracking_path(dossier.code))
    assert opened.status_code == 200 and dossier.code in opened.content.decode()
    # and another dossier's code is not affected
    other = submitted_dossier(dossier.agency)
    assert client.get("/tra-cuu/", {"ma": other.code, "so": other.applicant_id_number[-4:]}).status_code == 200


def test_the_api_shares_the_lock(dossier):
    from tests.api.helpers import session_client
    from tests.factories import CitizenFactory

    wrong = _wrong(dossier)
    for _ in range(tracking.GUESSES_PER_CODE):
        tracking.look_up(dossier.code, wrong)
    api = session_client(CitizenFactory())
    response = api.get("/api/v1/tracking/", {"code": dossier.code, "last_digits": dossier.applicant_id_number[-4:]})
    assert response.status_code == 429 and response["Retry-After"] == str(tracking.LOCK_SECONDS)


def test_the_owners_link_needs_the_right_token(client, dossier):
    found = tracking.look_up(dossier.code, token=tracking.track_token(dossier.code))
    assert found.dossier is not None and found.dossier.code == dossier.code
    assert tracking.look_up(dossier.code, token="0" * 20).dossier is None
    other = submitted_dossier(dossier.agency)
    assert tracking.look_up(other.code, token=tracking.track_token(dossier.code)).dossier is None
    page = client.get("/tra-cuu/", {"ma": dossier.code, "t": "sai"})
    assert page.status_code == 200 and "Không tìm thấy hồ sơ" in page.content.decode()


def test_the_confirmation_page_links_the_owner_without_digits(client, dossier):
    client.force_login(dossier.owner)
    page = client.get(f"/ho-so/{dossier.public_id}/da-nop/")
    assert page.status_code == 200
    assert f"t={tracking.track_token(dossier.code)}" in page.content.decode()
