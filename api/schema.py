"""OpenAPI: the API key as a bearer scheme, the Idempotency-Key header, and which operations
anyone may call without signing in."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from .constants import IDEMPOTENCY_HEADER, IDEMPOTENCY_KEY_MAX, KEY_PATTERN


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "dvc_<mã nhận diện>_<bí mật>",
            "description": "Khóa API do quản trị cấp; mỗi khóa có các phạm vi quyền (scopes).",
        }


IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Khóa chống gửi trùng: cùng khóa và cùng nội dung trả lại câu trả lời lần đầu; "
        f"cùng khóa khác nội dung trả lời 409. 1–{IDEMPOTENCY_KEY_MAX} ký tự [A-Za-z0-9_.:-]."
    ),
    pattern=KEY_PATTERN,
)


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's schema, and: an operation of a view marked ``public_api`` (the
    catalog, tracking) says that it needs no authentication (an empty security requirement
    beside the key and the session), as it does."""

    def get_auth(self):
        auths = super().get_auth()
        if getattr(self.view, "public_api", False) and {} not in auths:
            auths.append({})
        return auths
