"""The bare view the procedure page is compared with: one indexed query, a tiny response.

It runs through the same middleware stack as the portal's pages, so the difference
with the procedure page is the page's own work (its queries and its template).
"""

from django.http import Http404, HttpResponse

from procedures.models import Procedure


def bare_procedure(request, code):
    pk = Procedure.objects.filter(national_code=code).values_list("pk", flat=True).first()
    if pk is None:
        raise Http404("no such procedure")
    return HttpResponse(str(pk), content_type="text/plain")
