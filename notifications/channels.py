"""Sending one rendered notification on its channel.

``send`` returns the provider's reference, raises ``RetryableError`` when trying again
later may work and ``RejectedError`` when it cannot. The in-app channel sends nothing:
delivering it is rendering it, and the list shows it from then on.
"""

import smtplib
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from . import sms
from .constants import Channel
from .models import Notification


class RetryableError(Exception):
    pass


class RejectedError(Exception):
    pass


def _send_email(n: Notification) -> str:
    if not n.to_address:
        raise RejectedError("không có địa chỉ thư điện tử")
    message_id = make_msgid(
        idstring=str(n.public_id), domain=getattr(settings, "NOTIFICATIONS_MESSAGE_ID_DOMAIN", None)
    )
    message = EmailMessage(
        subject=n.subject,
        body=n.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[n.to_address],
        headers={"Message-ID": message_id, "X-Notification-Id": str(n.public_id)},
        connection=get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or 10),
    )
    try:
        message.send()
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
        raise RejectedError(f"máy chủ thư từ chối: {exc}") from exc
    except (smtplib.SMTPException, TimeoutError, ConnectionError, OSError) as exc:
        raise RetryableError(f"không gửi được thư: {exc}") from exc
    return message_id


def _send_sms(n: Notification) -> str:
    if not n.to_address:
        raise RejectedError("không có số điện thoại")
    try:
        return sms.backend().send(to=n.to_address, text=n.body, reference=str(n.public_id))
    except sms.SmsRejectedError as exc:
        raise RejectedError(str(exc)) from exc
    except sms.SmsError as exc:
        raise RetryableError(str(exc)) from exc


def send(n: Notification) -> str:
    if n.channel == Channel.EMAIL:
        return _send_email(n)
    if n.channel == Channel.SMS:
        return _send_sms(n)
    return ""
