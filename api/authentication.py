"""``Authorization: Bearer dvc_<prefix>_<secret>``: the request acts as the key's account,
with the key (``request.auth``) narrowing what it may do to its scopes."""

from rest_framework import authentication, exceptions

from . import services


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if parts[0] != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Tiêu đề Authorization phải có dạng: Bearer <khóa API>.")
        client = services.client_for_key(parts[1])
        if client is None:
            raise exceptions.AuthenticationFailed("Khóa API không hợp lệ, đã thu hồi hoặc đã hết hạn.")
        return client.user, client

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
