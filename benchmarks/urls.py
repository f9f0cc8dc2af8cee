"""The portal's URLs plus the bare comparison view, for benchmarks only."""

from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

from . import experiments, views

urlpatterns = [
    path("_bench/bare/<str:code>/", views.bare_procedure, name="bench_bare"),
    path("_bench/exp/page-cached/<str:code>/", experiments.procedure_page_cached, name="bench_page_cached"),
    *portal_urlpatterns,
]
