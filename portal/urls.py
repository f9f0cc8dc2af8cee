from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views

# The database unavailable: 503 with Retry-After (portal.views.server_error), else the 500 page.
handler400 = "portal.views.bad_request"
handler500 = "portal.views.server_error"

urlpatterns = [
    path("quan-tri/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ngon-ngu/<str:code>/", views.choose_language, name="choose_language"),
    path("healthz", views.health, name="health"),
    path("api/", include("api.urls")),
    path("", include("national.urls")),
    path("", include("accounts.urls")),
    path("", include("administration.urls")),
    path("", include("desk.urls")),
    path("", include("dossiers.urls")),
    path("", include("printing.urls")),
    path("", include("notifications.urls")),
    path("", include("payments.urls")),
    path("", include("feedback.urls")),
    path("", include("reports.urls")),
    path("", include("procedures.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
