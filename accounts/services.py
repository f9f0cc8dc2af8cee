"""Actions that create or change accounts (tài khoản). Forms and views call these."""

import datetime

from django.db import IntegrityError, transaction

from .constants import AccountKind
from .models import User


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
