"""Refusing the NUL character (U+0000) before any view sees it.

PostgreSQL can neither store nor compare a string holding it (psycopg2 raises ``ValueError``),
so a ``%00`` in an address or a query string used to answer 500 on public pages (the
tracking look-up, receipts, the officers' search). This middleware answers such a request
400 in Vietnamese — the portal's error page, or a JSON error for the API — before any view.
Form fields are left to the forms, which refuse NUL at the field and keep what was typed
(Django's ``ProhibitNullCharactersValidator``, DRF's ``CharField``, and the state machine
for the officers' action fields, ``dossiers.workflow.dossier_transition``).
"""

from django.http import JsonResponse

NUL = "\x00"
MESSAGE = "Địa chỉ có ký tự rỗng (NUL), không hợp lệ."


def _in_values(data) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


def has_nul(request) -> bool:
    """Whether the address or the query string holds NUL."""
    return NUL in request.path_info or _in_values(request.GET)


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
