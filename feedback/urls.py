from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("ho-so/<uuid:public_id>/danh-gia/", views.rate, name="rate"),
]
