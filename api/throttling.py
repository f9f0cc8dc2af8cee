"""Rates per caller (in the cache, Redis in production): each API key at its own rate, a
signed-in browser at the ``user`` rate, anyone else per address at the ``anon`` rate."""

from rest_framework.throttling import SimpleRateThrottle

from .constants import DEFAULT_CLIENT_RATE
from .models import ApiClient


class CallerRateThrottle(SimpleRateThrottle):
    scope = "caller"

    def get_rate(self):  # chosen per request in allow_request
        return None

    def allow_request(self, request, view):
        client = request.auth if isinstance(request.auth, ApiClient) else None
        if client is not None:
            self.rate = client.rate or DEFAULT_CLIENT_RATE
        elif request.user and request.user.is_authenticated:
            self.rate = self.THROTTLE_RATES.get("user")
        else:
            self.rate = self.THROTTLE_RATES.get("anon")
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiClient):
            ident = f"c{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"u{request.user.pk}"
        else:
            ident = f"a{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class TrackingRateThrottle(SimpleRateThrottle):
    """Tracking look-ups guess at codes: a lower rate per address (or caller)."""

    scope = "tracking"

    def get_cache_key(self, request, view):
        ident = f"u{request.user.pk}" if request.user and request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
