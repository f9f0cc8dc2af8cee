from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("ho-so/<uuid:public_id>/danh-gia/", views.rate, name="rate"),
    path("phan-anh/", views.public_list, name="public_list"),
    path("phan-anh/gui/", views.send, name="send"),
    path("phan-anh/<uuid:public_id>/", views.public_detail, name="public_detail"),
    path("phan-anh/<uuid:public_id>/y-kien/", views.vote, name="vote"),
    path("can-bo/phan-anh/", views.officer_queue, name="officer_queue"),
    path("can-bo/phan-anh/<uuid:public_id>/", views.officer_detail, name="officer_detail"),
]
