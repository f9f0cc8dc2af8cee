"""The second factor (xác thực hai bước) for officers and admins: TOTP codes from an
authenticator app (django-otp), with single-use backup codes for a lost phone.

Who must use it: every account that can see other people's dossiers or change the portal
— officers (by kind or by an active assignment), admin-site accounts and superusers.
Citizens and businesses log in with their password (or the national portal's account).
``SECOND_FACTOR_REQUIRED`` turns the requirement off for the demo only; production
refuses to start without it (portal/settings/production.py).
"""

import base64
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import is_officer

BACKUP_CODES = 10
APP_DEVICE = "Ứng dụng xác thực"
BACKUP_DEVICE = "Mã dự phòng"
MSG_CODE = "Mã xác thực gồm 6 chữ số trong ứng dụng, hoặc một mã dự phòng gồm 8 ký tự."
MSG_WRONG = "Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã mới đang hiện trong ứng dụng."
MSG_THROTTLED = "Bạn đã nhập sai nhiều lần. Hãy đợi ít phút rồi thử lại."
MSG_EXPIRED_QR = "Mã QR đã hết hiệu lực. Hãy quét mã mới dưới đây."


def required_for(user) -> bool:
    """Whether this account must pass a second factor before using the portal."""
    if not getattr(settings, "SECOND_FACTOR_REQUIRED", True):
        return False
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or user.is_superuser or is_officer(user)


def is_verified(user) -> bool:
    """Whether this request's login passed the second factor (django-otp's middleware)."""
    return bool(getattr(user, "is_verified", lambda: False)())


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _clean_token(token: str) -> str:
    cleaned = "".join(str(token or "").split()).replace("-", "").lower()
    if not cleaned or len(cleaned) > 16 or not cleaned.isalnum():
        raise ValidationError({"token": MSG_CODE})
    return cleaned


def enrolment_start(user) -> TOTPDevice:
    """A new, unconfirmed authenticator for ``user`` (the one shown as a QR code until its
    first code is typed); an earlier unconfirmed one is replaced."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def enrolment_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


@transaction.atomic
def enrolment_confirm(request, *, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the authenticator with its first code: earlier authenticators and backup
    codes are replaced, ten new backup codes are made (shown once) and this login counts
    as verified. Raises ``ValidationError`` by field for a wrong code."""
    cleaned = _clean_token(token)
    if not (cleaned.isdigit() and device.verify_token(cleaned)):
        raise ValidationError({"token": MSG_WRONG})
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=device.user).delete()
    backup = StaticDevice.objects.create(user=device.user, name=BACKUP_DEVICE, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=backup, token=code) for code in codes])
    otp_login(request, device)
    return codes


def verify(request, *, token: str) -> None:
    """Check a code typed after the password: a TOTP code (each accepted once, with
    django-otp's growing delay after failures) or a backup code (used up). On success the
    session is marked verified."""
    cleaned = _clean_token(token)
    user = request.user
    if len(cleaned) == 6 and cleaned.isdigit():
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    else:
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
    for device in devices:
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            raise ValidationError({"token": MSG_THROTTLED})
        if device.verify_token(cleaned):
            otp_login(request, device)
            return
    raise ValidationError({"token": MSG_WRONG})


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code, inline in the page as a data: image."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
