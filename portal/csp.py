"""The Content-Security-Policy (django-csp, settings ``CONTENT_SECURITY_POLICY``): scripts,
styles, images and fonts from the portal itself only — no inline script or style anywhere,
no plugin, no framing — and forms that post only to the portal and to the payment gateway
it redirects to; the Permissions-Policy header; and ``Cache-Control: private, no-store`` on
signed-in people's pages that set no caching of their own.

The gateway's address is a setting that tests and operators change at run time, so its
origin is added to ``form-action`` per response (a browser checks ``form-action`` on the
redirect a form's POST answers with: the pay button's POST is redirected to the gateway).
"""

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.utils.cache import patch_cache_control


def _origin(url: str) -> str:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


class PortalCSPMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        response = super().process_response(request, response)
        if getattr(settings, "PERMISSIONS_POLICY", "") and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        # A signed-in person's pages hold their data: not kept by a shared computer's browser
        # (a commune's help desk) or by any cache between, unless the view said otherwise.
        # The response's own caching is looked at first: an error page (no-store) is answered
        # without asking who is signed in, which needs the session and the database.
        user = getattr(request, "user", None)
        if not response.has_header("Cache-Control") and user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        targets = [o for o in (_origin(getattr(settings, "VNPAY_PAYMENT_URL", "")),) if o]
        if targets:
            update = dict(parts.update or {})
            update["form-action"] = list(update.get("form-action", [])) + targets
            parts.update = update
        return parts
