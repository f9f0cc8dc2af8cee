"""Refusing the NUL character (U+0000) before any view sees it.

PostgreSQL can neither store nor compare a string holding it (psycopg2 raises ``ValueError``),
so a ``%00`` in an address, a query string or a form field used to answer 500 on public
pages (the tracking look-up, receipts, the officers' search). Django's form fields refuse it
(``ProhibitNullCharactersValidator``), but views that read an address part or a query value
directly do not. This middleware answers such a request 400 in Vietnamese — the portal's
error page, or a JSON error for the API — before it reaches them.
"""

from django.http import JsonResponse

NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
MESSAGE = "Địa chỉ hoặc dữ liệu gửi lên có ký tự rỗng (NUL), không hợp lệ."


def _in_values(data) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


def has_nul(request) -> bool:
    """Whether the path, the query string or a form field (not a file) holds NUL."""
    if NUL in request.path_info or _in_values(request.GET):
        return True
    if request.method == "POST" and request.content_type in FORM_TYPES:
        return _in_values(request.POST)
    return False


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": MESSAGE}, status=400)
            from .views import _error_page

            return _error_page(request, "400_characters.html", 400)
        return self.get_response(request)
