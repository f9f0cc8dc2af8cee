"""/healthz: the probe used by docker compose and the load balancer."""

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_returns_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}


def test_healthz_asks_the_database(client, django_assert_num_queries):
    """Readiness, not just liveness: one query proves the database answers."""
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200


def test_healthz_needs_no_login(client):
    response = client.get("/healthz", follow=False)
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
