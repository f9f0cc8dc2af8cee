"""The portal's addresses and one whose view fails with an unexpected error (GET and POST),
for the tests of the 500 page (ROOT_URLCONF = "tests.portal.error_urls")."""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from portal.urls import handler500  # noqa: F401 - handler500 is looked up here
from portal.urls import urlpatterns as portal_urlpatterns

BROKEN_PATH = "/loi-thu/"


@csrf_exempt
def broken(request):
    raise RuntimeError("an unexpected error (test)")


urlpatterns = [path(BROKEN_PATH.strip("/") + "/", broken), *portal_urlpatterns]
