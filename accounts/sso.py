"""Login with the national public-service portal's account (Cổng DVCQG single sign-on).

OAuth2/OpenID Connect authorization-code flow (research vietnam-domain.md §8.2):
authorize → callback with ``code`` → token endpoint → userinfo (Bearer) → local account.
Configured by ``settings.NATIONAL_SSO``; when not enabled the pages answer 404.
All HTTP goes through :func:`fetch_json` (standard library only), which tests replace.
"""

import datetime
import json
import logging
import secrets
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from .constants import AccountKind
from .identity import normalize_phone, validate_tax_code
from .models import User

log = logging.getLogger(__name__)

SESSION_KEY = "national_sso"
ID_TOKEN_SESSION_KEY = "national_sso_id_token"  # nosec B105 # the name of a session key, not a secret
REQUIRED_SETTINGS = ("AUTHORIZE_URL", "TOKEN_URL", "USERINFO_URL", "CLIENT_ID")
# The national portal gives accounts without e-mail a placeholder address (research §8.2).
PLACEHOLDER_EMAIL_DOMAIN = "@dichvucong.gov.vn"
# LoaiTaiKhoan: 1 công dân, 2 doanh nghiệp, 3 tổ chức.
KIND_BY_ACCOUNT_TYPE = {"1": AccountKind.CITIZEN, "2": AccountKind.BUSINESS, "3": AccountKind.BUSINESS}


class SSOError(Exception):
    """The national login could not be completed; the message is shown to the person."""


def config() -> dict:
    return getattr(settings, "NATIONAL_SSO", {}) or {}


def missing_settings() -> list[str]:
    conf = config()
    return [key for key in REQUIRED_SETTINGS if not conf.get(key)]


def is_enabled() -> bool:
    """Switched on and fully configured (a half-configured client shows no button)."""
    return bool(config().get("ENABLED")) and not missing_settings()


def redirect_uri(request=None) -> str:
    conf = config()
    if conf.get("REDIRECT_URI"):
        return conf["REDIRECT_URI"]
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("accounts:sso_callback")


def fetch_json(url: str, *, data: dict | None = None, headers: dict | None = None) -> dict:
    """POST ``data`` form-encoded (or GET without data) and decode a JSON object."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Accept": "application/json", **(headers or {})})
    if body is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=config().get("TIMEOUT", 10)) as response:  # noqa: S310  # nosec B310 # the provider's URL from settings, never from a request
            payload = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        log.warning("national SSO request to %s failed: %s", url, error)
        raise SSOError("Không kết nối được với Cổng Dịch vụ công quốc gia. Vui lòng thử lại sau.") from error
    if not isinstance(payload, dict):
        raise SSOError("Cổng Dịch vụ công quốc gia trả về dữ liệu không hợp lệ.")
    return payload


def begin(request, next_url: str = "") -> str:
    """Remember a fresh ``state`` (and where to go after) in the session; the authorize URL."""
    conf = config()
    state = secrets.token_urlsafe(32)
    request.session[SESSION_KEY] = {"state": state, "next": next_url}
    params = {
        "response_type": "code",
        "client_id": conf["CLIENT_ID"],
        "redirect_uri": redirect_uri(request),
        "scope": conf.get("SCOPE") or "openid",
        "state": state,
    }
    if conf.get("ACR_VALUES"):
        params["acr_values"] = conf["ACR_VALUES"]
    separator = "&" if "?" in conf["AUTHORIZE_URL"] else "?"
    return conf["AUTHORIZE_URL"] + separator + urllib.parse.urlencode(params)


def check_state(request, state: str) -> str:
    """Consume the state kept by :func:`begin`; returns the remembered ``next``.

    Raises ``SSOError`` when there is none or it differs (forged or replayed callback).
    """
    saved = request.session.pop(SESSION_KEY, None) or {}
    expected = saved.get("state") or ""
    if not state or not expected or not secrets.compare_digest(str(state), str(expected)):
        raise SSOError("Phiên đăng nhập không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập lại.")
    return saved.get("next") or ""


def exchange_code(request, code: str) -> dict:
    conf = config()
    tokens = fetch_json(
        conf["TOKEN_URL"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri(request),
            "client_id": conf["CLIENT_ID"],
            "client_secret": conf.get("CLIENT_SECRET", ""),
        },
    )
    if not tokens.get("access_token"):
        raise SSOError("Cổng Dịch vụ công quốc gia không cấp quyền truy cập. Vui lòng đăng nhập lại.")
    return tokens


def fetch_userinfo(access_token: str) -> dict:
    return fetch_json(config()["USERINFO_URL"], data={}, headers={"Authorization": f"Bearer {access_token}"})


def _text(info: dict, key: str) -> str:
    value = info.get(key)
    return "" if value is None else str(value).strip()


def parse_date(value) -> datetime.date | None:
    text = ("" if value is None else str(value)).strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%Y%m%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text[:10] if fmt == "%Y-%m-%d" else text, fmt).date()
        except ValueError:
            continue
    return None


def _email(info: dict, user: User | None) -> str | None:
    """A real, unused e-mail from userinfo, or None to leave the account's as it is."""
    email = _text(info, "ThuDienTu")
    if not email or "@" not in email or email.lower().endswith(PLACEHOLDER_EMAIL_DOMAIN):
        return None
    others = User.objects.filter(email__iexact=email)
    if user is not None and user.pk:
        others = others.exclude(pk=user.pk)
    return None if others.exists() else User.objects.normalize_email(email)


def _phone(info: dict) -> str | None:
    try:
        return normalize_phone(_text(info, "SoDienThoai")) if _text(info, "SoDienThoai") else None
    except Exception:  # a landline or odd format: keep what the account has
        return None


def user_from_userinfo(info: dict) -> User:
    """Find or create the local account for a national portal userinfo; update its details.

    The account is matched by TechID first, then by ID number (citizens) or tax code
    (businesses). Officer and staff accounts are never taken over this way.
    """
    tech_id = _text(info, "TechID") or _text(info, "sub")
    if not tech_id:
        raise SSOError("Cổng Dịch vụ công quốc gia không trả về mã tài khoản.")
    kind = KIND_BY_ACCOUNT_TYPE.get(_text(info, "LoaiTaiKhoan"), AccountKind.CITIZEN)
    personal_id = _text(info, "SoDinhDanh").replace(" ", "")
    if personal_id and (not personal_id.isdigit() or len(personal_id) != 12):
        personal_id = ""  # legacy 9-digit CMND or other: not an ID number we store
    tax_code = ""
    if kind == AccountKind.BUSINESS:
        raw_tax = _text(info, "MaSoThue") or _text(info, "MaSoDoanhNghiep")
        try:
            tax_code = validate_tax_code(raw_tax)
        except Exception:
            raise SSOError("Tài khoản doanh nghiệp không có mã số thuế hợp lệ.") from None
    elif not personal_id:
        raise SSOError("Tài khoản Cổng Dịch vụ công quốc gia không có số định danh cá nhân hợp lệ.")

    user = User.objects.filter(national_sso_id=tech_id).first()
    if user is None:
        if kind == AccountKind.BUSINESS:
            user = User.objects.filter(kind=AccountKind.BUSINESS, tax_code=tax_code).first()
            user = user or User.objects.filter(username=tax_code).first()
        else:
            user = User.objects.filter(national_id=personal_id).first()
            user = user or User.objects.filter(username=personal_id).first()
        if user is not None and user.national_sso_id and user.national_sso_id != tech_id:
            raise SSOError("Số định danh này đã gắn với một tài khoản Cổng Dịch vụ công quốc gia khác.")
    if user is not None and (user.kind == AccountKind.OFFICER or user.is_staff or user.is_superuser):
        raise SSOError("Tài khoản cán bộ không đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia.")
    if user is not None and user.kind != kind:
        raise SSOError("Loại tài khoản không khớp với tài khoản đã đăng ký trên cổng này.")

    created = user is None
    if created:
        user = User(username=tax_code if kind == AccountKind.BUSINESS else personal_id, kind=kind)
        user.set_unusable_password()
    user.national_sso_id = tech_id
    if _text(info, "HoVaTen"):
        user.full_name = " ".join(_text(info, "HoVaTen").split())[:200]
    if kind == AccountKind.BUSINESS:
        user.tax_code = tax_code
        if _text(info, "TenDoanhNghiep"):
            user.organisation_name = _text(info, "TenDoanhNghiep")[:255]
        if personal_id:
            user.representative_id = personal_id
    else:
        user.national_id = personal_id
        dob = parse_date(info.get("NgayThangNamSinh"))
        if dob:
            user.date_of_birth = dob
    phone = _phone(info)
    if phone:
        user.phone = phone
    email = _email(info, user)
    if email:
        user.email = email
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise SSOError("Không tạo được tài khoản: số định danh hoặc mã số thuế đã được dùng.") from None
    log.info("national SSO login: user %s (%s)", user.pk, "created" if created else "updated")
    return user


def complete(request, *, code: str, state: str) -> tuple[User, str, str]:
    """Check state, exchange the code, map the userinfo: (user, remembered next URL, id_token)."""
    next_url = check_state(request, state)
    if not code:
        raise SSOError("Thiếu mã xác thực từ Cổng Dịch vụ công quốc gia. Vui lòng đăng nhập lại.")
    tokens = exchange_code(request, code)
    info = fetch_userinfo(tokens["access_token"])
    user = user_from_userinfo(info)
    return user, next_url, tokens.get("id_token", "")
