"""Sessions that end, and the second factor asked before anything else.

``SessionIdleTimeoutMiddleware``: a session unused for ``SESSION_IDLE_TIMEOUT`` seconds
(officers: ``SESSION_IDLE_TIMEOUT_OFFICERS``) is logged out; the absolute lifetime is
``SESSION_COOKIE_AGE``, set at login. The last-use time is written at most once a minute,
so an ordinary page costs no session write; the header's unread-badge polling does not
count as use.

``SecondFactorMiddleware``: an account that needs the second factor
(``accounts.second_factor.required_for``) and has not passed it in this session reaches
only the pages to pass or set it up, logging out, and the public assets; pages send it to
the code prompt (or to setting up an authenticator), the API answers 403.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import second_factor

LAST_SEEN_KEY = "_last_seen"
NEEDS_KEY = "_second_factor_required"
TOUCH_EVERY = 60  # seconds
NOT_ACTIVITY = ("/thong-bao/chua-doc/",)  # background polling
OPEN_PREFIXES = ("/static/", "/healthz", "/i18n/", "/ngon-ngu/", "/favicon")


def needs_second_factor(request) -> bool:
    """``second_factor.required_for`` of the logged-in user, kept in the session from the
    login on (``remember_at_login``), so no page pays a query for it."""
    needs = request.session.get(NEEDS_KEY)
    if needs is None:
        needs = request.session[NEEDS_KEY] = second_factor.required_for(request.user)
    return needs


def remember_at_login(sender, request, user, **kwargs) -> None:
    """On ``user_logged_in``: whether this login needs the second factor."""
    if request is not None and hasattr(request, "session"):
        request.session[NEEDS_KEY] = second_factor.required_for(user)
        request.session[LAST_SEEN_KEY] = int(time.time())


class SessionIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN_KEY)
            limit = (
                settings.SESSION_IDLE_TIMEOUT_OFFICERS
                if needs_second_factor(request)
                else settings.SESSION_IDLE_TIMEOUT
            )
            if last is not None and now - int(last) > limit:
                logout(request)
                messages.info(request, "Phiên làm việc đã hết hạn vì lâu không thao tác. Hãy đăng nhập lại.")
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "Phiên đăng nhập đã hết hạn."}, status=401)
                return redirect(reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()}))
            if (last is None or now - int(last) >= TOUCH_EVERY) and request.path not in NOT_ACTIVITY:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open: tuple[str, ...] | None = None

    def _open_paths(self) -> tuple[str, ...]:
        if self._open is None:
            self._open = (
                reverse("accounts:second_factor"),
                reverse("accounts:second_factor_setup"),
                reverse("accounts:logout"),
            )
        return self._open

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and request.path not in self._open_paths()
            and not second_factor.is_verified(user)
            and needs_second_factor(request)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Tài khoản cán bộ cần xác thực hai bước trước khi dùng API bằng phiên đăng nhập."},
                    status=403,
                )
            target = "accounts:second_factor" if second_factor.has_device(user) else "accounts:second_factor_setup"
            return redirect(reverse(target) + "?" + urlencode({"next": request.get_full_path()}))
        return self.get_response(request)
