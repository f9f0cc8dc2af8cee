import logging
import uuid

from django.db import connection
from django.http import HttpResponse, JsonResponse

logger = logging.getLogger(__name__)


def health(request):
    """Liveness/readiness probe for the load balancer and docker-compose."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def choose_language(request, code):
    """Switch the language with a plain link (no form, so pages carry no CSRF token
    and anonymous pages can be cached whole). Only a known language is accepted, and
    ``next`` only to this site."""
    from django.conf import settings
    from django.http import Http404, HttpResponseRedirect
    from django.utils.http import url_has_allowed_host_and_scheme

    if code not in dict(settings.LANGUAGES):
        raise Http404("Không có ngôn ngữ này.")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


# Methods that send something (a form): the page says what happened to what was typed.
SENDING_METHODS = ("POST", "PUT", "PATCH", "DELETE")
PLAIN_ERROR_PAGE = (
    '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Hệ thống đang gặp sự cố</title></head>'
    "<body><h1>Hệ thống đang gặp sự cố</h1><p>Xin lỗi, đã có lỗi xảy ra. Vui lòng thử lại sau ít phút. "
    'Mã tham chiếu: {reference}.</p><p><a href="/">Về trang chủ</a></p></body></html>'
)


def _error_page(request, template: str, status: int) -> HttpResponse:
    """An error page in the portal's layout (``templates/errors/layout.html``, extending
    ``base.html``) that needs neither the database nor the session: rendered without a
    request context, so no context processor runs (no user, no unread count), with the
    names, the language and the addresses passed in here. It says whether what was sent
    is kept, offers to try again (the same address for a GET, the previous page for a
    form), and gives a reference and the time to quote to the help desk, logged with the
    request so the error can be found."""
    from django.conf import settings
    from django.template import loader
    from django.utils import timezone, translation
    from django.utils.html import escape
    from django.utils.http import url_has_allowed_host_and_scheme

    from privacy.services import request_id

    # The same address again, never another site's (a path starting with // would be one).
    here = "/" + request.get_full_path().lstrip("/")
    back = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except Exception:  # noqa: BLE001 - a host the portal does not serve: no page to go back to
        host = None
    if not host or not url_has_allowed_host_and_scheme(back, allowed_hosts={host}, require_https=request.is_secure()):
        back = here
    reference = request_id(request) or uuid.uuid4().hex[:8].upper()
    sending = request.method in SENDING_METHODS
    logger.log(
        logging.ERROR if status >= 500 else logging.WARNING,
        "Error page %s (%s) for %s %s, reference %s",
        status,
        template,
        request.method,
        request.path,
        reference,
    )
    context = {
        "request": request,
        "LANGUAGE_CODE": translation.get_language(),
        "PORTAL_NAME": settings.PORTAL_NAME,
        "PROVINCE_NAME": settings.PROVINCE_NAME,
        "SUPPORT_CONTACT": getattr(settings, "SUPPORT_CONTACT", ""),
        "sending": sending,
        "retry_url": here,
        "back_url": back,
        "reference": reference,
        "occurred": timezone.localtime(),
    }
    try:
        body = loader.render_to_string(template, context)
    except Exception:  # noqa: BLE001 - the error page must not fail in turn: a plain one then
        logger.exception("The error page %s could not be rendered", template)
        body = PLAIN_ERROR_PAGE.format(reference=escape(reference))
    response = HttpResponse(body, status=status)
    # Never kept by a browser or a cache: the next try must reach the portal again.
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """``handler500``: a 503 with Retry-After when the database could not be reached (a
    restart, a fail-over, too many connections: ``OperationalError``/``InterfaceError``),
    else the 500 page. Both need neither the database nor the session (``_error_page``)."""
    import sys

    from django import db

    error = sys.exc_info()[1]
    if isinstance(error, (db.OperationalError, db.InterfaceError)):
        response = _error_page(request, "503.html", 503)
        response["Retry-After"] = "30"
        return response
    return _error_page(request, "500.html", 500)


def bad_request(request, exception=None):
    """``handler400``: a request Django could not read (a multipart header over its size
    limit, such as a very long file name; a malformed body), said in Vietnamese in the
    portal's layout with what to do (Django's own answer is a bare English line)."""
    return _error_page(request, "400.html", 400)


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: a form sent without a valid token (the page was open too long,
    the person logged in or out in another tab, cookies are blocked): said in Vietnamese in
    the portal's layout, with what to do to send it again (Django's own page is English,
    and its inline style breaks the Content-Security-Policy)."""
    return _error_page(request, "403_csrf.html", 403)
