from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("bao-cao/", views.kpi, name="kpi"),
    path("bao-cao/ho-so/", views.drill, name="drill"),
    path("bao-cao/bang-so-lieu/", views.tables, name="tables"),
    path("bao-cao/thu-tuc/", views.procedures, name="procedures"),
    path("bao-cao/xuat.<str:fmt>", views.export, name="export"),
    path("minh-bach/", views.transparency, name="transparency"),
    path("minh-bach/<slug:slug>/", views.transparency_agency, name="transparency_agency"),
]
