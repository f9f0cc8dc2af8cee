"""The client's address (địa chỉ của người dùng), the one rule for the login lockout, the
rate limits, the access log and the payment gateway's ``vnp_IpAddr``.

Behind reverse proxies (a load balancer, nginx, a post office's network) ``REMOTE_ADDR``
is the nearest proxy's: every citizen would share one address and one lockout. With
``TRUSTED_PROXY_COUNT`` = N > 0 the client is the address the outermost of our N proxies
saw, i.e. the N-th entry from the right of ``X-Forwarded-For`` (entries further left were
written by the client and can be forged). With 0 (no proxy, the default) the header is
ignored, so a client cannot choose its own address.
"""

from django.conf import settings


def client_ip(request) -> str:
    meta = request.META
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = (meta.get("PROXY_REMOTE_ADDR") or meta.get("REMOTE_ADDR") or "").strip()
    if count <= 0:
        return remote
    hops = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(hops) < count:
        return remote  # the request did not come through all our proxies
    return hops[-count]


class ClientAddressMiddleware:
    """Put the client's address in ``REMOTE_ADDR`` for everything after it (django-axes,
    django-ratelimit, the access log), keeping the proxy's in ``PROXY_REMOTE_ADDR``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(settings, "TRUSTED_PROXY_COUNT", 0) > 0:
            request.META.setdefault("PROXY_REMOTE_ADDR", request.META.get("REMOTE_ADDR", ""))
            request.META["REMOTE_ADDR"] = client_ip(request)
        return self.get_response(request)
