"""Public tracking (tra cứu tiến độ), the one rule the page and the API apply: who may see a
dossier's progress without logging in, and how many guesses a code allows.

A dossier code is sequential, so it is known or guessable; the last four digits of the
owner's ID number or phone protect it (10,000 answers, two of them right). Beside the limits
per address and per account (the page's 30 a minute, the API's throttle), every code allows
``GUESSES_PER_CODE`` wrong answers per ``LOCK_SECONDS``, from anyone: then its look-up by
digits is locked for the rest of that hour, whatever the address or account. The expected
number of guesses to find one code's digits is about 3,333 (10,000 / 3 with two right
answers); at 10 an hour that is about 333 hours, two weeks, for one dossier
(docs/SECURITY.md).

The owner need not type digits: the receipt's QR code, the confirmation page and the
notifications carry a link with a secret token (``track_token``, an HMAC of the code under
the portal's secret key), which opens the progress page directly.
"""

import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from . import selectors

GUESSES_PER_CODE = 10
LOCK_SECONDS = 3600
LOCKED = (
    "Mã hồ sơ này đã bị nhập sai 4 số cuối nhiều lần nên tạm khóa tra cứu trong một giờ. "
    "Hãy quét mã QR trên giấy tiếp nhận hoặc mở đường dẫn trong tin nhắn của Cổng để xem ngay."
)
NOT_FOUND = "Không tìm thấy hồ sơ với mã và 4 số cuối đã nhập. Hãy kiểm tra lại."


def track_token(code: str) -> str:
    """The secret of a dossier's tracking link (20 hex characters; not guessable)."""
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, f"tra-cuu:{code.strip().upper()}".encode(), hashlib.sha256).hexdigest()[:20]


def tracking_path(code: str) -> str:
    """The tracking page's address for the owner: opens without typing digits."""
    return reverse("dossiers:track") + "?" + urlencode({"ma": code, "t": track_token(code)})


@dataclass(frozen=True)
class Lookup:
    dossier: selectors.TrackedDossier | None
    refusal: str = ""  # why nothing is shown ("" when found)
    locked: bool = False


def _failures_key(code: str) -> str:
    return "track-fail:" + hashlib.sha256(code.strip().upper().encode()).hexdigest()[:32]


def look_up(code: str, digits: str = "", token: str = "") -> Lookup:  # nosec B107 # no token given, not a password
    """The dossier shown for ``code`` with ``digits`` (the last four of the owner's ID number
    or phone) or the link's ``token``; a wrong answer counts against the code."""
    code = (code or "").strip()[:60]
    if token:
        if code and hmac.compare_digest(token.strip().lower()[:64], track_token(code)):
            found = selectors.dossier_track(code, "", verified=True)
            if found is not None:
                return Lookup(found)
        return Lookup(None, NOT_FOUND)
    key = _failures_key(code)
    if (cache.get(key) or 0) >= GUESSES_PER_CODE:
        return Lookup(None, LOCKED, locked=True)
    found = selectors.dossier_track(code, digits)
    if found is not None:
        return Lookup(found)
    if cache.add(key, 1, LOCK_SECONDS) is False:  # the hour's window starts at the first miss
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, LOCK_SECONDS)
    return Lookup(None, NOT_FOUND)
