from django.urls import path

from . import views

app_name = "printing"

urlpatterns = [
    path("bieu-mau/<uuid:public_id>/", views.issued_form, name="issued_form"),
    path("can-bo/ho-so/<str:code>/phieu-kiem-soat/", views.control_sheet, name="control_sheet"),
    path("can-bo/ho-so/<str:code>/phieu-kich-hoat/", views.activation_slip, name="activation_slip"),
    path("can-bo/so-theo-doi/", views.tracking_book, name="tracking_book"),
]
