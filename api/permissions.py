"""Scopes per operation. A view names the scope each method needs (``required_scopes``,
by HTTP method); a request made with an API key must hold it. What the account itself may
reach is decided by the same selectors and services as the pages."""

from rest_framework import exceptions, permissions

from .constants import SCOPES
from .models import ApiClient


def required_scope(view, request) -> str | None:
    scopes = getattr(view, "required_scopes", {})
    return scopes.get(request.method) or (scopes.get("GET") if request.method in ("HEAD", "OPTIONS") else None)


class HasScope(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        scope = required_scope(view, request)
        if scope is None:
            return True
        client = request.auth
        if isinstance(client, ApiClient) and scope not in client.scopes:
            raise exceptions.PermissionDenied(f"Khóa API không có phạm vi quyền “{scope}” ({SCOPES.get(scope, '')}).")
        return True


class SignedIn(permissions.IsAuthenticated):
    message = "Hãy đăng nhập hoặc gửi khóa API (Authorization: Bearer <khóa>)."


# What the API's views declare: anyone (a key still needs the operation's scope), or
# signed in (by the session or a key) with the scope.
PUBLIC = [HasScope]
SIGNED_IN = [SignedIn, HasScope]
