"""The portal's URLs plus the bare comparison view, for benchmarks only."""

from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

from . import views

urlpatterns = [
    path("_bench/bare/<str:code>/", views.bare_procedure, name="bench_bare"),
    *portal_urlpatterns,
]
