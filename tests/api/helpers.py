"""API clients for the tests: DRF's test client with a key of given scopes, or signed in."""

from rest_framework.test import APIClient

from api import services
from api.constants import SCOPES


def key_client(user, scopes=None, **kwargs) -> tuple[APIClient, object]:
    client_row, key = services.client_create(
        user=user, name=kwargs.pop("name", "Ứng dụng thử"), scopes=list(scopes or SCOPES), **kwargs
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client, client_row


def session_client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client
