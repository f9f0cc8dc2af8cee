"""Passing the second factor in tests: a session marked verified, and the current code of
an account's authenticator (what the officer's phone would show)."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def device_of(user) -> TOTPDevice:
    """The account's confirmed authenticator, made if it has none."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Ứng dụng xác thực", confirmed=True
    )


def verify_session(client, user) -> None:
    """Mark the client's session as having passed the second factor."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device_of(user).persistent_id
    session.save()


def current_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The 6-digit code the app shows now (or ``steps_ahead`` periods of 30 s later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def fresh_code(device: TOTPDevice) -> str:
    """A code the device has not accepted yet: django-otp refuses a code twice (and any
    older one), so a second login within the same 30 s takes the next period's code,
    which its tolerance of one step allows."""
    import time

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = totp.t()
    wanted = max(now, device.last_t + 1)
    if wanted > now + device.tolerance:
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.5)
        return fresh_code(device)
    return current_code(device, steps_ahead=wanted - now)
