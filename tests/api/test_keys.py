"""API keys: a key acts as its account within its scopes; bad, revoked and expired keys are
refused; each key has its own rate; the session works for the portal's own pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from api import services
from api.models import ApiClient
from tests.factories import CitizenFactory

from .helpers import key_client

pytestmark = pytest.mark.django_db


def test_a_key_acts_as_its_account_and_only_a_hash_is_kept():
    citizen = CitizenFactory()
    api, row = key_client(citizen, ["dossiers:read"])
    assert api.get("/api/v1/dossiers/").status_code == 200
    stored = ApiClient.objects.get(pk=row.pk)
    key = api._credentials["HTTP_AUTHORIZATION"].split()[1]
    assert key.startswith(f"dvc_{stored.prefix}_") and key.split("_", 2)[2] not in stored.key_hash
    assert stored.last_used_at is not None


@pytest.mark.parametrize(
    "header",
    ["Bearer dvc_00000000_nope", "Bearer not-a-key", "Bearer", "Bearer a b"],
)
def test_bad_keys_are_refused_with_401(header):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=header)
    answer = api.get("/api/v1/dossiers/")
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"].startswith("Bearer")
    assert "Khóa API" in answer.json()["detail"] or "Authorization" in answer.json()["detail"]


def test_revoked_expired_and_inactive_keys_stop_working():
    citizen = CitizenFactory()
    api, row = key_client(citizen, ["dossiers:read"])
    services.client_revoke(client=row)
    assert api.get("/api/v1/dossiers/").status_code == 401
    api, row = key_client(citizen, ["dossiers:read"], expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert api.get("/api/v1/dossiers/").status_code == 401
    api, row = key_client(citizen, ["dossiers:read"])
    citizen.is_active = False
    citizen.save()
    assert api.get("/api/v1/dossiers/").status_code == 401


def test_creating_a_key_checks_its_values():
    with pytest.raises(ValidationError) as caught:
        services.client_create(user=CitizenFactory(), name=" ", scopes=["everything"], rate="fast")
    assert set(caught.value.message_dict) == {"name", "scopes", "rate"}


def test_each_key_has_its_own_rate():
    slow, _ = key_client(CitizenFactory(), ["catalog:read"], rate="3/min")
    other, _ = key_client(CitizenFactory(), ["catalog:read"], rate="3/min")
    answers = [slow.get("/api/v1/fields/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = slow.get("/api/v1/fields/")
    assert "quá nhiều yêu cầu" in limited.json()["detail"] and int(limited["Retry-After"]) > 0
    assert other.get("/api/v1/fields/").status_code == 200  # another key is not slowed


def test_anonymous_callers_are_limited_by_address(settings):
    from rest_framework.settings import api_settings

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "2/min"}
    from api.throttling import CallerRateThrottle

    previous = CallerRateThrottle.THROTTLE_RATES
    CallerRateThrottle.THROTTLE_RATES = rates
    try:
        api = APIClient()
        assert [api.get("/api/v1/fields/").status_code for _ in range(3)] == [200, 200, 429]
        assert APIClient(REMOTE_ADDR="10.0.0.9").get("/api/v1/fields/").status_code == 200
    finally:
        CallerRateThrottle.THROTTLE_RATES = previous


def test_the_session_needs_the_csrf_token_to_change_anything():
    citizen = CitizenFactory()
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(citizen)
    assert api.get("/api/v1/dossiers/").status_code == 200
    refused = api.post("/api/v1/dossiers/", {"procedure": "1.000001", "agency": 1}, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]


def test_the_command_prints_a_working_key_once(capsys):
    from django.core.management import CommandError, call_command

    citizen = CitizenFactory()
    call_command("api_client_create", user=citizen.username, name="Ứng dụng di động", scope=["dossiers:read"])
    key = capsys.readouterr().out.strip().splitlines()[-1]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/dossiers/").status_code == 200
    with pytest.raises(CommandError, match="scopes"):
        call_command("api_client_create", user=citizen.username, name="x", scope=["root"])
    with pytest.raises(CommandError, match="Không có tài khoản"):
        call_command("api_client_create", user="nobody", name="x", scope=["catalog:read"])


def test_old_idempotency_answers_are_purged():
    from api.models import IdempotencyRecord

    old = IdempotencyRecord.objects.create(owner="u:1", key="a", fingerprint="x", status_code=201, body={})
    IdempotencyRecord.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    IdempotencyRecord.objects.create(owner="u:1", key="b", fingerprint="x", status_code=201, body={})
    from api.tasks import purge_idempotency

    assert purge_idempotency.delay().get() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["b"]
