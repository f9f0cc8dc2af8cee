"""Candidate fixes, measured beside the real pages (benchmark URLconf only).

Nothing here is used by the portal: these views exist so that a proposed change
to the app can be backed by numbers from the same harness before anyone edits
procedures/ (see docs/BENCHMARKS.md, "Proposed fixes").

``procedure_page_cached``: the procedure page with its content cached per
published version. A published version never changes (models.py), so the HTML of
the page body depends only on the version, whether it is current, the version
history and the language. The view fetches the version without prefetching (one
query) and the history (one query); on a cache hit the template touches nothing
else, on a miss the template's lazy ``.all`` calls load the parts. The footer with
its CSRF token stays outside the cached fragment.
"""

from django.http import Http404, HttpResponse
from django.template import engines
from django.utils.functional import SimpleLazyObject

from procedures import selectors
from procedures.models import ProcedureVersion

CACHED_PAGE = """{% extends "procedures/procedure_detail.html" %}{% load cache %}
{% block content %}{% cache 86400 bench_procedure_page v.pk v.is_current history_key LANGUAGE_CODE %}\
{{ block.super }}{% endcache %}{% endblock %}"""

_template = SimpleLazyObject(lambda: engines["django"].from_string(CACHED_PAGE))


def procedure_page_cached(request, code):
    version = (
        ProcedureVersion.objects.select_related("procedure")
        .filter(procedure__national_code=code, is_current=True)
        .first()
    )
    if version is None:
        raise Http404("Không tìm thấy thủ tục.")
    history = list(selectors.procedure_published_history(version.procedure))
    context = {
        "v": version,
        "history": history,
        "history_key": "-".join(f"{h.pk}.{int(h.is_current)}" for h in history),
    }
    return HttpResponse(_template.render(context, request))
