"""Actions that create or change accounts (tài khoản). Forms and views call these."""

import datetime
import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .constants import AccountKind
from .models import AccountActivation, User


class AccountTaken(Exception):
    """Another account already uses this ID number or tax code (a concurrent registration)."""


def _insert(user: User, password: str) -> User:
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise AccountTaken from None
    return user


def citizen_register(
    *,
    national_id: str,
    full_name: str,
    date_of_birth: datetime.date,
    phone: str,
    email: str,
    password: str,
) -> User:
    """A citizen's account; the 12-digit ID number is also the login name."""
    user = User(
        username=national_id,
        national_id=national_id,
        kind=AccountKind.CITIZEN,
        full_name=full_name,
        date_of_birth=date_of_birth,
        phone=phone,
        email=email,
    )
    return _insert(user, password)


def business_register(
    *,
    tax_code: str,
    organisation_name: str,
    representative_name: str,
    representative_id: str,
    phone: str,
    email: str,
    password: str,
) -> User:
    """A business's account, held by its legal representative; the tax code is the login name."""
    user = User(
        username=tax_code,
        tax_code=tax_code,
        kind=AccountKind.BUSINESS,
        organisation_name=organisation_name,
        full_name=representative_name,
        representative_id=representative_id,
        phone=phone,
        email=email,
    )
    return _insert(user, password)


ACTIVATION_DAYS = 60
ACTIVATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the counter


def citizen_account_for_counter(
    *, national_id: str, full_name: str, phone: str = "", email: str = "", address: str = ""
) -> tuple[User, str]:
    """The account of a citizen filing at the counter: found by ID number, or created
    without a password. A new account gets an activation code (printed for the citizen)
    with which they set a password later (``account_activate``); returns ``(user, code)``,
    the code empty for an existing account."""
    user = User.objects.filter(national_id=national_id).first()
    if user is not None:
        return user, ""
    user = User(
        username=national_id,
        national_id=national_id,
        kind=AccountKind.CITIZEN,
        full_name=full_name,
        phone=phone,
        email=email,
        address=address,
    )
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        return User.objects.get(national_id=national_id), ""
    _, code = _activation_create(user)
    return user, code


def _activation_create(user: User) -> tuple[AccountActivation, str]:
    code = "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(8))
    activation = AccountActivation.objects.create(
        user=user,
        code_hash=make_password(code),
        expires_at=timezone.now() + datetime.timedelta(days=ACTIVATION_DAYS),
    )
    return activation, code


def activation_code_clean(code: str) -> str:
    """A code as typed or printed ("abcd-efgh", "ABCD EFGH") in the form its hash was made of."""
    return (code or "").strip().upper().replace(" ", "").replace("-", "")


def activation_pending(user: User | None) -> bool:
    """An account opened at the counter whose owner has not set a password yet (chưa kích
    hoạt): the only accounts an activation code is printed or issued again for."""
    return user is not None and not user.has_usable_password() and user.activations.exists()


def activation_current(*, user: User, code: str) -> AccountActivation | None:
    """The activation ``code`` opens now (the latest unused, unexpired one), or None. Checks
    a code the officer was shown before printing it; nothing is changed."""
    activation = (
        AccountActivation.objects.filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-pk")
        .first()
    )
    if activation is None or not check_password(activation_code_clean(code), activation.code_hash):
        return None
    return activation


@transaction.atomic
def activation_reissue(*, user: User) -> tuple[AccountActivation, str]:
    """A new activation code for an account opened at the counter and not activated yet
    (cấp lại mã kích hoạt: the slip was lost, or the code expired): every earlier code stops
    working now. Only the hash is kept, so a code is printed when it is made and never
    shown again; returns ``(activation, code)``."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not activation_pending(user):
        raise ValidationError("Tài khoản của công dân đã được kích hoạt hoặc không được mở tại quầy.")
    now = timezone.now()
    AccountActivation.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    return _activation_create(user)


@transaction.atomic
def account_activate(*, national_id: str, code: str, password: str) -> User:
    """Set the first password of an account made at the counter, with the code on the receipt."""
    error = ValidationError({"code": "Số định danh hoặc mã kích hoạt không đúng, hoặc mã đã hết hạn."})
    user = User.objects.select_for_update().filter(national_id=(national_id or "").strip()).first()
    if user is None:
        raise error
    activation = (
        AccountActivation.objects.filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-pk")
        .first()
    )
    if activation is None or not check_password(activation_code_clean(code), activation.code_hash):
        raise error
    user.set_password(password)
    user.save(update_fields=["password"])
    activation.used_at = timezone.now()
    activation.save(update_fields=["used_at"])
    return user
