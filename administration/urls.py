from django.urls import path

from . import views

app_name = "administration"

urlpatterns = [
    path("quan-tri-don-vi/", views.index, name="index"),
    path("quan-tri-don-vi/<int:agency_id>/can-bo/", views.officers, name="officers"),
    path("quan-tri-don-vi/<int:agency_id>/can-bo/them/", views.officer_create, name="officer_create"),
    path("quan-tri-don-vi/<int:agency_id>/can-bo/<int:user_id>/", views.officer_edit, name="officer_edit"),
    path(
        "quan-tri-don-vi/<int:agency_id>/can-bo/<int:user_id>/ngung/",
        views.officer_deactivate,
        name="officer_deactivate",
    ),
    path("quan-tri-don-vi/<int:agency_id>/thu-tuc/", views.procedures, name="procedures"),
    path("quan-tri-don-vi/<int:agency_id>/thu-tuc/<str:code>/", views.procedure_edit, name="procedure_edit"),
    path("quan-tri-don-vi/<int:agency_id>/ngay-nghi/", views.holidays, name="holidays"),
]
