from django.urls import path

from . import views

app_name = "national"

urlpatterns = [
    path("hop-cat/dvcqg/<str:kind>/", views.sandbox, name="sandbox"),
]
