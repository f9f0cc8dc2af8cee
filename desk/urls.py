from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("can-bo/", views.home, name="home"),
    path("can-bo/bo-loc/", views.filter_save, name="filter_save"),
    path("can-bo/bo-loc/<int:pk>/xoa/", views.filter_delete, name="filter_delete"),
    path("can-bo/ho-so/<str:code>/", views.dossier, name="dossier"),
    path("can-bo/ho-so/<str:code>/thao-tac/<str:action>/", views.act, name="act"),
    path("can-bo/ho-so/<str:code>/thu-phi/", views.collect_fee, name="collect_fee"),
    path("can-bo/ho-so/<str:code>/mien-phi/", views.exempt_fee, name="exempt_fee"),
    path("can-bo/ho-so/<str:code>/danh-gia-giay/", views.record_rating, name="record_rating"),
    path("can-bo/tiep-nhan/", views.intake_start, name="intake_start"),
    path("can-bo/tiep-nhan/<uuid:public_id>/", views.intake_edit, name="intake_edit"),
    path("can-bo/tiep-nhan/xong/<str:code>/", views.intake_done, name="intake_done"),
]
