from django.db import connection
from django.http import JsonResponse


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


def server_error(request):
    """``handler500``: a 503 with Retry-After when the database could not be reached (a
    restart, a fail-over, too many connections: ``OperationalError``/``InterfaceError``),
    else the 500 page. Both are static pages rendered without a request context, so they need
    neither the database nor the session (Django's own ``server_error`` does the same)."""
    import sys

    from django import db
    from django.http import HttpResponse, HttpResponseServerError
    from django.template import loader

    error = sys.exc_info()[1]
    if isinstance(error, (db.OperationalError, db.InterfaceError)):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
