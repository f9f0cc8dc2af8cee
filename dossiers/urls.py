from django.urls import path

from . import views

app_name = "dossiers"

urlpatterns = [
    path("nop-ho-so/<str:code>/", views.start, name="start"),
    path("ho-so/", views.mine, name="mine"),
    path("ho-so/kho-giay-to/", views.wallet, name="wallet"),
    path("ho-so/<uuid:public_id>/", views.detail, name="detail"),
    path("ho-so/<uuid:public_id>/soan/", views.edit, name="edit"),
    path("ho-so/<uuid:public_id>/da-nop/", views.submitted, name="submitted"),
    path("ho-so/<uuid:public_id>/rut/", views.withdraw, name="withdraw"),
    path("tra-cuu/", views.track, name="track"),
    path("tep/<uuid:public_id>/", views.stored_file, name="file"),
    path("tep/trang/<uuid:public_id>/<str:size>/", views.page_image, name="page_image"),
]
